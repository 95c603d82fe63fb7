import Testing

@testable import BatchCloneKit

/// Holding slots back for a chain of copies: only when sending another item would make the chain,
/// and so the batch, end later; never past the reservation's lapse.
@Suite struct ChainReservationsTests {
    /// 4 sends per second, no margin.
    static let policy = RateLimitPolicy(limits: [RateLimit(count: 4, window: .seconds(1))], margin: .zero)
    static let a1 = WorkItem(.pool, source: "a")
    static let chain = ChainReservations.Chain(target: .pool, source: "a", copies: 3)

    /// The chain's first copy and two other sources granted at 0; the poll interval (and default link) 100 ms.
    static func reservations() -> ChainReservations {
        var reservations = ChainReservations(pollInterval: 100, defaultLink: 100)
        reservations.granted(a1, at: 0, policy: policy)
        reservations.granted(WorkItem(source: "b"), at: 0, policy: policy)
        reservations.granted(WorkItem(source: "c"), at: 0, policy: policy)
        return reservations
    }

    @Test func holdsTheLastSlotOfAWindowForTheChainThatBoundsTheBatch() throws {
        let reservations = Self.reservations()
        // Sent now, a fourth send would fill the window until 1000: copies at 1000, 1100, 1200
        // instead of 100, 1000, 1100, after the 1000 the rate limits need for the 4 sends left.
        #expect(reservations.rateEnd(now: 0, toSend: 4, policy: Self.policy) == 1000)
        let hold = try #require(reservations.hold(now: 0, toSend: 4, chains: [Self.chain], policy: Self.policy))
        #expect(hold.until == 10)
        #expect(hold.chain == Self.chain)
        // No clone seen done yet, so the 100 ms link is a guess: held for at most the window.
        #expect(reservations.hold(now: 995, toSend: 4, chains: [Self.chain], policy: Self.policy)?.until == 1000)
        #expect(reservations.hold(now: 1000, toSend: 4, chains: [Self.chain], policy: Self.policy) == nil)
    }

    @Test func sendsWhenTheRateLimitsBoundTheBatchOrNoChainWaits() {
        let reservations = Self.reservations()
        // With 20 sends left the limits need 5 s: the chain delayed by a window still ends before.
        #expect(reservations.hold(now: 0, toSend: 20, chains: [Self.chain], policy: Self.policy) == nil)
        #expect(reservations.hold(now: 0, toSend: 4, chains: [], policy: Self.policy) == nil)
        // A chain whose clone this run did not send is not known.
        let other = ChainReservations.Chain(target: .pool, source: "z", copies: 3)
        #expect(reservations.hold(now: 0, toSend: 4, chains: [other], policy: Self.policy) == nil)
    }

    @Test func sendsWhenAFreeSlotIsLeftForTheChain() {
        var reservations = ChainReservations(pollInterval: 100, defaultLink: 100)
        reservations.granted(Self.a1, at: 0, policy: Self.policy)
        // Two sends in the window: a third leaves the fourth slot for the chain's next copy.
        reservations.granted(WorkItem(source: "b"), at: 0, policy: Self.policy)
        let chain = ChainReservations.Chain(target: .pool, source: "a", copies: 1)
        #expect(reservations.hold(now: 0, toSend: 2, chains: [chain], policy: Self.policy) == nil)
    }

    @Test func learnsTheLinkFromClonesSeenDone() {
        var reservations = Self.reservations()
        #expect(reservations.link == 100)
        reservations.cloneDone(WorkItem(source: "b"), now: 300)
        reservations.cloneDone(WorkItem(source: "c"), now: 500)
        #expect(reservations.link == 400)
        // Seen done twice, or never sent: nothing more learned.
        reservations.cloneDone(WorkItem(source: "c"), now: 5000)
        #expect(reservations.link == 400)
        // The chain's copy is now expected at 400 and its reservation lapses at 500.
        #expect(reservations.hold(now: 450, toSend: 4, chains: [Self.chain], policy: Self.policy) != nil)
        #expect(reservations.hold(now: 500, toSend: 4, chains: [Self.chain], policy: Self.policy) == nil)
    }

    @Test func aCloneThatEndedOtherwiseHoldsNothingAndTeachesNoLink() {
        var reservations = Self.reservations()
        #expect(reservations.hold(now: 0, toSend: 4, chains: [Self.chain], policy: Self.policy) != nil)
        reservations.cloneOver(Self.a1)
        #expect(reservations.hold(now: 0, toSend: 4, chains: [Self.chain], policy: Self.policy) == nil)
        reservations.cloneDone(Self.a1, now: 5000)
        #expect(reservations.link == 100)
    }

    @Test func keepsOnlyTheGrantsThatCanDecideASlot() {
        var reservations = ChainReservations(pollInterval: 100, defaultLink: 100)
        for time in stride(from: Int64(0), to: 3000, by: 100) {
            reservations.granted(WorkItem(source: "s\(time)"), at: time, policy: Self.policy)
        }
        #expect(reservations.sends == [2000, 2100, 2200, 2300, 2400, 2500, 2600, 2700, 2800, 2900].suffix(4))
    }
}
