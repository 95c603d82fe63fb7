import BatchCloneTestSupport
import Testing

@testable import BatchCloneKit

@Suite struct FileLedgerStoreSlotLedgerTests {
    private let t0 = TestTime.start

    @Test func neverGrantsNPlusOneSendsInAWindowAndWaitsExactly() throws {
        try TempFolder.with { (folder: TempFolder) throws in
            let store = FileLedgerStore(path: folder.file("ledger.json"))
            let ledger = RateLimitLedger(
                limits: [RateLimit(count: 3, window: .seconds(10)), RateLimit(count: 7, window: .seconds(60))],
                margin: .zero
            )
            var now = t0
            var grants: [Int64] = []
            var random = SplitMix64(seed: 13)
            while now < t0 + 300_000 {
                switch try store.takeSlot(ledger.policy, source: "p", now: now) {
                case .granted(let at):
                    #expect(at.epochMilliseconds == now)
                    grants.append(at.epochMilliseconds)
                    now += Int64(random.next() % 3_000)
                case .wait(let duration):
                    #expect(duration > .zero)
                    // Asking just before the promised instant must still wait; at it, a slot is free.
                    let due = now + duration.millisecondsRoundedUp
                    #expect(try store.takeSlot(ledger.policy, source: "p", now: due - 1) == .wait(.milliseconds(1)))
                    now = due
                }
            }
            for limit in ledger.limits {
                #expect(LimitChecks.violations(grants, count: limit.limit.count, span: limit.span).isEmpty)
            }
            #expect(try store.snapshot(now: now).log.sends == grants.filter { $0 > now - ledger.retention })
            #expect(grants.count >= 7 * 5 - 1, "the 7/60s limit allows 35 in 300 s; got \(grants.count)")
        }
    }

    @Test func aBlockDelaysTheNextSlot() throws {
        try TempFolder.with { (folder: TempFolder) throws in
            let store = FileLedgerStore(path: folder.file("ledger.json"))
            let ledger = RateLimitLedger(limits: [RateLimit(count: 5, window: .seconds(1))])
            try store.block(for: .seconds(30), now: t0)
            #expect(try store.takeSlot(ledger.policy, source: "p", now: t0 + 1000) == .wait(.seconds(29)))
            #expect(
                try store.takeSlot(ledger.policy, source: "p", now: t0 + 30_000)
                    == .granted(at: LedgerInstant(epochMilliseconds: t0 + 30_000))
            )
            #expect(store.heartbeat == nil)
        }
    }
}
