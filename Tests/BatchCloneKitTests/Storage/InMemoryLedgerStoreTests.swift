import BatchCloneTestSupport
import Testing

@testable import BatchCloneKit

@Suite struct InMemoryLedgerStoreTests {
    @Test func updatesAreKeptAndReadBack() throws {
        let store = InMemoryLedgerStore(SendLog(sends: [5]))
        #expect(try store.read() == SendLog(sends: [5]))
        let result = try store.update { log -> Int in
            log = SendLog(sends: log.sends + [9], blockedUntil: 20)
            return log.sends.count
        }
        #expect(result == 2)
        #expect(try store.read() == SendLog(sends: [5, 9], blockedUntil: 20))
    }

    @Test func concurrentTakersNeverExceedTheLimit() async {
        let store = InMemoryLedgerStore()
        let policy = RateLimitLedger(limits: [RateLimit(count: 7, window: .seconds(1))], margin: .zero)
        let granted = await withTaskGroup(of: Int.self) { group in
            for _ in 0..<10 {
                group.addTask {
                    var mine = 0
                    for _ in 0..<5 {
                        let ok =
                            (try? store.update { log -> Bool in
                                var ledger = policy
                                ledger.log = log
                                defer { log = ledger.log }
                                return ledger.takeSlot(now: 100)
                            }) ?? false
                        if ok { mine += 1 }
                    }
                    return mine
                }
            }
            return await group.reduce(0, +)
        }
        #expect(granted == 7)
    }
}
