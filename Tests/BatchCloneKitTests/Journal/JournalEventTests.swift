import BatchCloneTestSupport
import Foundation
import Testing

@testable import BatchCloneKit

@Suite struct JournalEventTests {
    private static let t0 = TestTime.start

    static let lines: [(JournalEvent, String)] = [
        (.listed(pool: "p1"), #"{"event":"listed","pool":"p1"}"#),
        (
            .sending(pool: "p1", at: LedgerInstant(epochMilliseconds: t0)),
            #"{"at":"2026-05-28T20:26:40.000Z","event":"sending","pool":"p1"}"#
        ),
        (
            .submitted(pool: "p1", operationID: "op-1", at: ServerInstant(epochMilliseconds: t0 + 123)),
            #"{"at":"2026-05-28T20:26:40.123Z","event":"submitted","operation":"op-1","pool":"p1"}"#
        ),
        (
            .done(pool: "p1", newPoolID: "77", operationID: "op-1"),
            #"{"event":"done","new_pool":"77","operation":"op-1","pool":"p1"}"#
        ),
        (
            .done(pool: "p1", newPoolID: nil, operationID: "op-1"),
            #"{"event":"done","operation":"op-1","pool":"p1"}"#
        ),
        (
            .failed(pool: "p1", reason: "lost", operationID: nil, cloneMayExist: true),
            #"{"clone_may_exist":true,"event":"failed","pool":"p1","reason":"lost"}"#
        ),
        (
            .failed(pool: "p1", reason: "a/b \"quoted\"", operationID: nil),
            #"{"event":"failed","pool":"p1","reason":"a/b \"quoted\""}"#
        ),
        (
            .failed(pool: "p1", reason: "r", operationID: "op-9"),
            #"{"event":"failed","operation":"op-9","pool":"p1","reason":"r"}"#
        ),
        (.requeued(pool: "p1", operationFailed: true), #"{"event":"requeued","operation_failed":true,"pool":"p1"}"#),
        (.requeued(pool: "p1", operationFailed: false), #"{"event":"requeued","operation_failed":false,"pool":"p1"}"#),
    ]

    @Test(arguments: lines)
    func eachEventIsOneSortedJSONLineThatReadsBack(event: JournalEvent, line: String) {
        #expect(String(decoding: event.jsonLine(), as: UTF8.self) == line)
        #expect(JournalEvent(jsonLine: Data(line.utf8)) == event)
    }

    @Test func requeuedWithoutTheFlagIsNotAFailure() {
        #expect(
            JournalEvent(jsonLine: Data(#"{"event":"requeued","pool":"p"}"#.utf8))
                == .requeued(pool: "p", operationFailed: false)
        )
    }

    @Test(arguments: [
        #"not json"#,
        #"{"event":"listed"}"#,
        #"{"event":"teleported","pool":"p"}"#,
        #"{"event":"sending","pool":"p"}"#,
        #"{"event":"sending","pool":"p","at":"noon"}"#,
        #"{"event":"submitted","pool":"p","at":"2026-05-28T20:26:40.000Z"}"#,
        #"{"event":"done","pool":"p","new_pool":"n"}"#,
        #"{"event":"failed","pool":"p"}"#,
    ])
    func incompleteLinesAreNotEvents(line: String) {
        #expect(JournalEvent(jsonLine: Data(line.utf8)) == nil)
    }

    @Test func poolOfEveryEvent() {
        for (event, _) in Self.lines { #expect(event.pool == "p1") }
    }

    @Test func inMemoryJournalKeepsEverything() throws {
        let journal = InMemoryJournal()
        try journal.append([.listed(pool: "a")])
        try journal.append([.listed(pool: "b"), .sending(pool: "a", at: LedgerInstant(epochMilliseconds: 1))])
        #expect(
            journal.events == [
                .listed(pool: "a"), .listed(pool: "b"), .sending(pool: "a", at: LedgerInstant(epochMilliseconds: 1)),
            ]
        )
    }

    @Test func aJournalKeyFromBeforeCanonicalIDsReadsAsTheCanonicalPool() {
        #expect(JournalEvent(jsonLine: Data(#"{"event":"listed","pool":"007"}"#.utf8)) == .listed(pool: "7"))
    }
}
