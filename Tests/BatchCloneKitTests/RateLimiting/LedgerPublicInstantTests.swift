import BatchCloneKit
import BatchCloneTestSupport
import Testing

/// The ledger family through its public API only (no `@testable`): what the CLI and the bench see is typed.
@Suite struct LedgerPublicInstantTests {
    static let t0 = LedgerInstant(epochMilliseconds: 1_796_040_000_000)

    @Test func aBlockedLogAnswersOnTheLedgersClock() {
        let log = SendLog(
            sendInstants: [Self.t0.advanced(byMilliseconds: 500), Self.t0],
            blockedUntilInstant: Self.t0.advanced(byMilliseconds: 3000)
        )
        #expect(log.sendInstants == [Self.t0, Self.t0.advanced(byMilliseconds: 500)])
        let ledger = RateLimitLedger(limits: [RateLimit(count: 2, window: .seconds(1))], margin: .zero, log: log)
        let now = Self.t0.advanced(byMilliseconds: 600)
        #expect(ledger.earliestSend(now: now) == Self.t0.advanced(byMilliseconds: 3000))
        #expect(ledger.status(now: now).map(\.nextFree) == [Self.t0.advanced(byMilliseconds: 1000)])
        #expect(ledger.limits.map(\.widenedWindow) == [.seconds(1)])
        #expect(
            ledger.projectedSends(count: 3, now: now)
                == [3000, 3000, 4000].map { Self.t0.advanced(byMilliseconds: $0) }
        )
        #expect(ledger.futureSkew(now: Self.t0) == .milliseconds(500))
        #expect(ledger.futureSkew(now: now) == nil)
    }

    @Test func aStoreOnOurClockGrantsAtOurInstantAsTheLedgers() throws {
        let store = InMemoryLedgerStore()
        let ledger = RateLimitLedger(limits: [RateLimit(count: 1, window: .seconds(60))], margin: .zero)
        let now = LocalInstant(epochMilliseconds: Self.t0.epochMilliseconds)
        #expect(try store.takeSlot(ledger.policy, source: "p1", now: now) == .granted(at: .sameClock(now)))
        #expect(try store.takeSlot(ledger.policy, source: "p2", now: now + .seconds(1)) == .wait(.seconds(59)))
        let (log, ledgerNow) = try store.snapshot(now: now + .seconds(2))
        #expect(ledgerNow == .sameClock(now + .seconds(2)) && ledgerNow.sameClockLocal == now + .seconds(2))
        #expect(log.pending == [OwnSend(intent: .sameClock(now), source: "p1")])
        #expect(log.pending.map(\.intent) == [Self.t0])
    }
}
