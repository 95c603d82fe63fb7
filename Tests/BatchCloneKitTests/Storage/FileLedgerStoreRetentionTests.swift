import BatchCloneTestSupport
import Foundation
import Testing

@testable import BatchCloneKit

@Suite struct FileLedgerStoreRetentionTests {
    private let t0 = TestTime.start
    private let weekly = RateLimitLedger(limits: [RateLimit(count: 4, window: .seconds(7 * 86_400))])
    private let defaults = RateLimitLedger(limits: RateLimit.tolokaCloneDefaults)

    /// What a run does under the store's lock before each send: prune, then take a slot if free.
    private func take(_ policy: RateLimitLedger, _ store: FileLedgerStore, at now: Int64) throws -> Bool {
        try store.update { log in
            var ledger = policy
            ledger.log = log
            ledger.prune(now: now)
            defer { log = ledger.log }
            return ledger.takeSlot(now: now)
        }
    }

    @Test func aDefaultRunKeepsTheSendsAWeeklyLimitStillCounts() throws {
        try TempFolder.with { (folder: TempFolder) throws in
            let store = FileLedgerStore(path: folder.file("ledger.json"))
            for day in 0..<4 {
                #expect(try take(weekly, store, at: t0 + Int64(day) * TestTime.day))
            }
            // Three days later a run with default limits (retention 1 day + 1 s of its own) sends once.
            let later = t0 + 6 * TestTime.day
            #expect(try take(defaults, store, at: later))
            #expect(try store.read().sends.count == 5)
            // The weekly run must still see its four sends and refuse a fifth within the week.
            #expect(try !take(weekly, store, at: later + TestTime.minute))
            let earliest = try store.update { log -> Int64 in
                var ledger = weekly
                ledger.log = log
                ledger.prune(now: later)
                return ledger.earliestSend(now: later)
            }
            #expect(earliest == t0 + TestTime.day + 7 * TestTime.day + TestTime.second)
        }
    }

    @Test func withoutTheDeclaredRetentionTheDefaultRunWouldHavePrunedThem() {
        // The same history in memory with no declaration: proves the test above exercises the field.
        var log = SendLog(sends: (0..<4).map { t0 + Int64($0) * TestTime.day })
        log.prune(now: t0 + 6 * TestTime.day, retention: defaults.retention)
        #expect(log.sends.isEmpty)
    }

    @Test func theFileRemembersTheLongestRetentionInWholeSeconds() throws {
        try TempFolder.with { (folder: TempFolder) throws in
            let store = FileLedgerStore(path: folder.file("ledger.json"))
            #expect(try take(weekly, store, at: t0))
            #expect(try take(defaults, store, at: t0 + TestTime.minute))
            let text = String(decoding: bytes(of: store.path)!, as: UTF8.self)
            #expect(text.contains("\"retention_seconds\": 604801}\n"))
            #expect(try store.read().retention == 604_801_000)
        }
    }

    @Test func aRetentionIsRoundedUpToAWholeSecondAndNeverShrinks() {
        var log = SendLog()
        log.declare(retention: 1_500)
        #expect(log.retention == 2_000)
        log.declare(retention: 1_000)
        #expect(log.retention == 2_000)
        log.declare(retention: Int64.max)
        #expect(log.retention == Int64.max)
        log.prune(now: t0, retention: 0)
        #expect(log.retention == Int64.max)
    }

    @Test func aVersionOneFileWithoutTheFieldStillLoads() throws {
        try TempFolder.with { (folder: TempFolder) throws in
            let path = folder.file("ledger.json")
            try write(
                "{\"format\": \"batch-clone-ledger\", \"version\": 1, \"sends\": [\"2026-05-28T20:26:40.000Z\"]}",
                to: path
            )
            #expect(try FileLedgerStore(path: path).read() == SendLog(sends: [t0]))
        }
    }

    @Test(arguments: ["-1", "1.5", "\"7d\"", "99999999999999999999"])
    func aBadRetentionIsRefusedAndTheFileLeftUntouched(value: String) throws {
        try TempFolder.with { (folder: TempFolder) throws in
            let path = folder.file("ledger.json")
            let text =
                "{\"format\": \"batch-clone-ledger\", \"version\": 1, \"retention_seconds\": \(value), \"sends\": []}"
            try write(text, to: path)
            let store = FileLedgerStore(path: path)
            #expect(throws: StorageError.self) { try take(defaults, store, at: t0) }
            #expect(bytes(of: path) == Data(text.utf8))
        }
    }
}
