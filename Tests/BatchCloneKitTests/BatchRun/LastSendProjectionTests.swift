import Testing

@testable import BatchCloneKit

/// Issue 22: the live ETA is kept up to date per slot answer instead of projecting every remaining
/// send anew; it must say what a full projection says.
@Suite struct LastSendProjectionTests {
    static let t0: Int64 = 1_800_000_000_000

    static func ledger() -> RateLimitLedger {
        RateLimitLedger(
            limits: [RateLimit(count: 3, window: .seconds(1)), RateLimit(count: 7, window: .seconds(5))],
            margin: .milliseconds(20)
        )
    }

    @Test func aSendMadeAtItsProjectedTimeLeavesTheETAUnchanged() {
        var ledger = Self.ledger()
        var projection = LastSendProjection()
        var toSend = 40
        let eta = projection.update(ledger, now: Self.t0, toSend: toSend, grantedAt: nil)
        #expect(eta == ledger.projectedSends(count: toSend, now: Self.t0).last)
        var now = Self.t0
        while toSend > 0 {
            now = ledger.earliestSend(now: now)
            let granted = ledger.takeSlot(now: now, source: "p\(toSend)")
            #expect(granted)
            toSend -= 1
            let updated = projection.update(ledger, now: now, toSend: toSend, grantedAt: now)
            #expect(updated == (toSend > 0 ? eta : nil), "\(toSend) left")
        }
    }

    @Test func lateSendsAndWaitsMoveTheETAAsAFullProjectionDoes() {
        var random = SplitMix64(seed: 22)
        for _ in 0..<50 {
            var ledger = Self.ledger()
            var projection = LastSendProjection()
            var toSend = random.int(1...60)
            var now = Self.t0
            _ = projection.update(ledger, now: now, toSend: toSend, grantedAt: nil)
            while toSend > 0 {
                // A wait answered (the slot not free yet), then a send some milliseconds late.
                now += random.int64(0...30)
                if ledger.earliestSend(now: now) > now {
                    let waiting = projection.update(ledger, now: now, toSend: toSend, grantedAt: nil)
                    #expect(waiting == ledger.projectedSends(count: toSend, now: now).last)
                    now = ledger.earliestSend(now: now) + random.int64(0...40)
                }
                let granted = ledger.takeSlot(now: now, source: "p\(toSend)")
                #expect(granted)
                toSend -= 1
                let eta = projection.update(ledger, now: now, toSend: toSend, grantedAt: now)
                #expect(eta == ledger.projectedSends(count: toSend, now: now).last, "\(toSend) left")
            }
        }
    }

    @Test func moreToSendOrANewBlockProjectsAgain() {
        var ledger = Self.ledger()
        var projection = LastSendProjection()
        _ = projection.update(ledger, now: Self.t0, toSend: 5, grantedAt: nil)
        // A clone requeued: six to send.
        #expect(
            projection.update(ledger, now: Self.t0, toSend: 6, grantedAt: nil)
                == ledger.projectedSends(count: 6, now: Self.t0).last
        )
        ledger.block(until: Self.t0 + 60_000)
        #expect(
            projection.update(ledger, now: Self.t0 + 10, toSend: 6, grantedAt: nil)
                == ledger.projectedSends(count: 6, now: Self.t0 + 10).last
        )
    }
}
