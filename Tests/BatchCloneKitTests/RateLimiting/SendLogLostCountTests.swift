import Testing

@testable import BatchCloneKit

/// Issue 20: an own clone must never lose its place in the count.
@Suite struct SendLogLostCountTests {
    static let t0: Int64 = 1_800_000_000_000
    static let x = OwnSend(intent: t0 + 1000, source: "pool-x")
    static let y = OwnSend(intent: t0 + 1300, source: "pool-y")

    /// X's answer is lost (its clone commits late), Y's is still on the way; a listing shows X's
    /// clone at 1,100 ms. Two clones were accepted: the log must count two at every step.
    @Test func aListingOfOnePoolNeverTakesAnotherPoolsSend() {
        var log = SendLog()
        log.append(Self.x)
        log.append(Self.y)
        log.merge([
            AccountClone(operationID: "op-x", time: LocalInstant(epochMilliseconds: Self.t0 + 1100), source: "pool-x")
        ])
        #expect(log.sends.count >= 2)
        log.attach(operationID: "op-y", send: Self.y, arrival: Self.t0 + 1300)
        #expect(log.sends.count >= 2)
        log.attach(operationID: "op-x", send: Self.x, arrival: Self.t0 + 1100)
        #expect(log.sends == [Self.t0 + 1100, Self.t0 + 1300])
        #expect(log.pending.isEmpty)
    }

    /// The rules before the fix (`LegacySendLogRules`, a copy kept for the property test) lose X's
    /// clone on the same three calls: this is the reproduction of the issue.
    @Test func theRulesBeforeTheFixLoseTheCount() {
        var legacy = LegacySendLogRules(sends: [Self.t0 + 1000, Self.t0 + 1300])
        legacy.merge(
            [AccountClone(operationID: "op-x", time: LocalInstant(epochMilliseconds: Self.t0 + 1100))],
            claimBefore: 60_000,
            claimAfter: 1000
        )
        legacy.attach(operationID: "op-y", intent: Self.t0 + 1300, arrival: Self.t0 + 1300)
        legacy.attach(operationID: "op-x", intent: Self.t0 + 1000, arrival: Self.t0 + 1100)
        #expect(legacy.sends == [Self.t0 + 1300])
    }
}
