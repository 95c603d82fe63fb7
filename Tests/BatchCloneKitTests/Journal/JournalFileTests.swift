import BatchCloneTestSupport
import Foundation
import Testing

@testable import BatchCloneKit

@Suite struct JournalFileTests {
    private let t0 = TestTime.start
    private let header = #"{"format":"batch-clone-journal","version":1}"#

    private var sampleEvents: [JournalEvent] {
        [
            .listed(pool: "a"), .listed(pool: "b"), .listed(pool: "c"),
            .sending(pool: "a", at: LedgerInstant(epochMilliseconds: t0)),
            .submitted(pool: "a", operationID: "op-1", at: ServerInstant(epochMilliseconds: t0 + 10)),
            .done(pool: "a", newPoolID: "new-a", operationID: "op-1"),
            .sending(pool: "b", at: LedgerInstant(epochMilliseconds: t0 + 20)),
            .failed(pool: "c", reason: "404", operationID: nil),
        ]
    }

    private func replay(_ events: [JournalEvent]) -> JournalState {
        var state = JournalState()
        for event in events { #expect(state.apply(event) == nil) }
        return state
    }

    private func text(_ path: String) -> String { String(decoding: bytes(of: path) ?? Data(), as: UTF8.self) }

    private func corruptReason(_ body: () throws -> Void) -> String? {
        do {
            try body()
            return nil
        } catch let StorageError.corrupt(_, reason) {
            return reason
        } catch {
            Issue.record("expected StorageError.corrupt, got \(error)")
            return nil
        }
    }

    @Test func creatingWritesTheHeaderLine() throws {
        try TempFolder.with { (folder: TempFolder) throws in
            let path = folder.file("journals/batch.jsonl")
            let (journal, state) = try JournalFile.open(path: path)
            defer { journal.close() }
            #expect(state == JournalState())
            #expect(journal.path == path)
            #expect(text(path) == header + "\n")
        }
    }

    @Test func anEmptyExistingFileGetsAHeader() throws {
        try TempFolder.with { (folder: TempFolder) throws in
            let path = folder.file("batch.jsonl")
            try write("", to: path)
            #expect(try JournalFile.peek(path: path) == JournalState())
            let (journal, state) = try JournalFile.open(path: path)
            journal.close()
            #expect(state == JournalState())
            #expect(text(path) == header + "\n")
        }
    }

    @Test func appendedEventsReadBackAsTheSameState() throws {
        try TempFolder.with { (folder: TempFolder) throws in
            let path = folder.file("batch.jsonl")
            let (journal, _) = try JournalFile.open(path: path)
            try journal.append(Array(sampleEvents.prefix(3)))
            try journal.append(Array(sampleEvents.dropFirst(3)))
            journal.close()
            let lines = text(path).split(separator: "\n", omittingEmptySubsequences: false)
            #expect(lines.count == 1 + sampleEvents.count + 1)
            #expect(lines.first.map(String.init) == header)
            #expect(lines.last == "")
            #expect(lines[4] == #"{"at":"2026-05-28T20:26:40.000Z","event":"sending","pool":"a"}"#)

            let (again, state) = try JournalFile.open(path: path)
            again.close()
            #expect(state == replay(sampleEvents))
            #expect(state["a"]?.phase == .done(newPoolID: "new-a", operationID: "op-1"))
            #expect(state["b"]?.phase == .sending(at: LedgerInstant(epochMilliseconds: t0 + 20)))
            #expect(try JournalFile.peek(path: path) == state)
        }
    }

    @Test func onlySyncedAppendsAndCloseFsyncAndWrittenOnesStillCountAtOnce() throws {
        try TempFolder.with { (folder: TempFolder) throws in
            let path = folder.file("batch.jsonl")
            let (journal, _) = try JournalFile.open(path: path)
            let opened = journal.syncCount
            for event in sampleEvents {
                try journal.append([event], durability: JournalDurability(for: [event]))
            }
            // Two intents (a and b) in the sample: one fsync each; the outcomes only write.
            #expect(journal.syncCount == opened + 2)
            // Written is enough for a reader (and for a process killed now): the page cache has it.
            #expect(try JournalFile.peek(path: path) == replay(sampleEvents))
            journal.close()
            #expect(journal.syncCount == opened + 3)
        }
    }

    @Test func aTornLastLineIsDroppedAndCutSoTheNextAppendIsClean() throws {
        try TempFolder.with { (folder: TempFolder) throws in
            let path = folder.file("batch.jsonl")
            let (journal, _) = try JournalFile.open(path: path)
            try journal.append(sampleEvents)
            journal.close()
            let intact = bytes(of: path)!
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
            handle.seekToEndOfFile()
            let torn = Data(#"{"event":"sending","po"#.utf8)
            handle.write(torn)
            try handle.close()

            // peek reads around the torn line without touching the file.
            #expect(try JournalFile.peek(path: path) == replay(sampleEvents))
            #expect(bytes(of: path)!.count == intact.count + torn.count)

            let (reopened, state) = try JournalFile.open(path: path)
            #expect(state == replay(sampleEvents))
            #expect(bytes(of: path) == intact)
            try reopened.append([
                .submitted(pool: "b", operationID: "op-2", at: ServerInstant(epochMilliseconds: t0 + 30))
            ])
            reopened.close()

            let (third, after) = try JournalFile.open(path: path)
            third.close()
            #expect(
                after
                    == replay(
                        sampleEvents + [
                            .submitted(pool: "b", operationID: "op-2", at: ServerInstant(epochMilliseconds: t0 + 30))
                        ]
                    )
            )
            #expect(
                text(path).hasSuffix(
                    "\n" + #"{"at":"2026-05-28T20:26:40.030Z","event":"submitted","operation":"op-2","pool":"b"}"#
                        + "\n"
                )
            )
        }
    }

    @Test func aCompleteLastLineWithoutItsNewlineIsAlsoDropped() throws {
        try TempFolder.with { (folder: TempFolder) throws in
            let path = folder.file("batch.jsonl")
            try write(
                header + "\n" + #"{"event":"listed","pool":"a"}"# + "\n" + #"{"event":"listed","pool":"b"}"#,
                to: path
            )
            let (journal, state) = try JournalFile.open(path: path)
            journal.close()
            #expect(state.order == ["a"])
            #expect(text(path) == header + "\n" + #"{"event":"listed","pool":"a"}"# + "\n")
        }
    }

    @Test func blankLinesAreSkipped() throws {
        try TempFolder.with { (folder: TempFolder) throws in
            let path = folder.file("batch.jsonl")
            try write(header + "\n\n" + #"{"event":"listed","pool":"a"}"# + "\n\n", to: path)
            #expect(try JournalFile.peek(path: path)?.order == ["a"])
        }
    }

    @Test func aCorruptMiddleLineIsReportedWithItsNumberAndLeftAlone() throws {
        try TempFolder.with { (folder: TempFolder) throws in
            let path = folder.file("batch.jsonl")
            let content =
                header + "\n" + #"{"event":"listed","pool":"a"}"# + "\nGARBAGE\n" + #"{"event":"listed","pool":"b"}"#
                + "\n"
            try write(content, to: path)
            let reason = corruptReason { _ = try JournalFile.open(path: path) }
            #expect(reason == "line 3 is not a journal event")
            #expect(corruptReason { _ = try JournalFile.peek(path: path) } == reason)
            #expect(text(path) == content)
            // The failed open released its lock.
            let again = corruptReason { _ = try JournalFile.open(path: path) }
            #expect(again == reason)
        }
    }

    @Test func anIllegalTransitionIsCorruption() throws {
        try TempFolder.with { (folder: TempFolder) throws in
            let path = folder.file("batch.jsonl")
            let content =
                header + "\n" + #"{"event":"listed","pool":"a"}"# + "\n"
                + #"{"event":"done","new_pool":"n","operation":"o","pool":"a"}"# + "\n"
            try write(content, to: path)
            let reason = corruptReason { _ = try JournalFile.open(path: path) }
            #expect(reason?.hasPrefix("line 3: ") == true)
            #expect(text(path) == content)
            let unlisted = header + "\n" + #"{"event":"sending","pool":"x","at":"2026-05-28T20:26:40Z"}"# + "\n"
            try write(unlisted, to: path)
            #expect(corruptReason { _ = try JournalFile.open(path: path) } == "line 2: pool x was never listed")
        }
    }

    @Test(arguments: [
        #"{"event":"listed","pool":"a"}"#,
        #"{"format":"batch-clone-ledger","version":1}"#,
        "hello",
        "",
    ])
    func aForeignFirstLineIsCorruption(first: String) throws {
        try TempFolder.with { (folder: TempFolder) throws in
            let path = folder.file("batch.jsonl")
            let content = first + "\n" + #"{"event":"listed","pool":"a"}"# + "\n"
            try write(content, to: path)
            #expect(
                corruptReason { _ = try JournalFile.open(path: path) } == "line 1 is not a batch-clone journal header"
            )
            #expect(text(path) == content)
        }
    }

    @Test func aNewerJournalVersionIsRefused() throws {
        try TempFolder.with { (folder: TempFolder) throws in
            let path = folder.file("batch.jsonl")
            let content = #"{"format":"batch-clone-journal","version":2}"# + "\n"
            try write(content, to: path)
            #expect(corruptReason { _ = try JournalFile.open(path: path) }?.contains("version") == true)
            #expect(text(path) == content)
        }
    }

    @Test func aSecondOpenWhileTheFirstIsOpenIsLocked() throws {
        try TempFolder.with { (folder: TempFolder) throws in
            let path = folder.file("batch.jsonl")
            let (first, _) = try JournalFile.open(path: path)
            try first.append([.listed(pool: "a")])
            #expect(throws: StorageError.locked(path: path)) { _ = try JournalFile.open(path: path) }
            // peek does not lock.
            #expect(try JournalFile.peek(path: path)?.order == ["a"])
            first.close()
            let (second, state) = try JournalFile.open(path: path)
            second.close()
            #expect(state.order == ["a"])
        }
    }

    @Test func peekOfAMissingJournalIsNilAndCreatesNothing() throws {
        try TempFolder.with { (folder: TempFolder) throws in
            #expect(try JournalFile.peek(path: folder.file("none/batch.jsonl")) == nil)
            #expect(try folder.contents().isEmpty)
        }
    }
}
