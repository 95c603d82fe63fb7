import Testing

@testable import BatchCloneKit

/// A 429, event by event: the window its `payload.interval` maps to, the block from what is known,
/// the probes when the server refuses again, and `Retry-After`.
@Suite struct BatchRunStateMachineRateLimitTests {
    typealias Base = BatchRunStateMachineTests
    static let t0 = Base.t0
    static let short = RateLimit(count: 10, window: .seconds(2))
    static let middle = RateLimit(count: 30, window: .seconds(6))
    static let long = RateLimit(count: 50, window: .seconds(12))

    static func machine(
        _ pools: [WorkItem],
        limits: [RateLimit] = [short, long],
        _ change: (inout RunConfiguration) -> Void = { _ in }
    ) -> BatchRunStateMachine {
        Base.machine(pools) {
            $0.limits = limits
            $0.margin = .zero
            change(&$0)
        }
    }

    static func tooMany(_ interval: String?, retryAfter: Double? = nil) -> TolokaError {
        Base.error(429, "TOO_MANY_REQUESTS", interval: interval, retryAfter: retryAfter)
    }

    /// The configured limit each name maps to (nil: a literal hour), and the window's length.
    static func mapped(_ machine: BatchRunStateMachine, _ interval: String?) -> (RateLimit?, Int64) {
        let window = machine.mappedWindow(of: interval)
        return (window.limit?.limit, window.length)
    }

    @Test func intervalNamesMapToConfiguredWindows() {
        let two = Self.machine([])
        #expect(Self.mapped(two, "MIN") == (Self.short, 2000))
        #expect(Self.mapped(two, "DAY") == (Self.long, 12_000))
        #expect(Self.mapped(two, "HOUR") == (nil, 3_600_000))
        #expect(Self.mapped(two, nil) == (Self.short, 2000))
        #expect(Self.mapped(two, "WEEK") == (Self.short, 2000))
        let three = Self.machine([], limits: [Self.long, Self.middle, Self.short])
        #expect(Self.mapped(three, "MIN") == (Self.short, 2000))
        #expect(Self.mapped(three, "HOUR") == (Self.middle, 6000))
        #expect(Self.mapped(three, "DAY") == (Self.long, 12_000))
        let real = Self.machine([], limits: RateLimit.tolokaCloneDefaults)
        #expect(Self.mapped(real, "MIN") == (RateLimit.tolokaCloneDefaults[0], 60_000))
        #expect(Self.mapped(real, "DAY") == (RateLimit.tolokaCloneDefaults[1], 86_400_000))
        #expect(Self.mapped(real, "HOUR") == (nil, 3_600_000))
        let alone = Self.machine([], limits: [Self.long])
        #expect(Self.mapped(alone, "MIN") == (Self.long, 12_000))
        #expect(Self.mapped(alone, "DAY") == (Self.long, 12_000))
    }

    @Test func theProbeSpacingGrowsFromASixtyFourthToAQuarterOfTheWindow() {
        let steps = (1...8).map { RateLimitEpisode.probeStep(number: $0, window: 12_800) }
        #expect(steps == [200, 400, 800, 1600, 3200, 3200, 3200, 3200])
        #expect(RateLimitEpisode.probeStep(number: 1, window: 10) == 1)
    }

    @Test func a429ListsTheAccountThenBlocksUntilTheKnownSlotOfItsWindow() {
        var machine = Self.machine(["p1", "p2"]) { $0.accountView = true }
        // The run lists the account before its first send.
        if case .checkSources(let pools) = machine.nextSend(now: Self.t0) {
            _ = machine.sourcesChecked(pools.map { ($0, nil) })
        }
        guard case .listAccount = machine.nextSend(now: Self.t0) else {
            Issue.record("no first listing")
            return
        }
        _ = machine.accountListed(.success(AccountListing(operations: [])), now: Self.t0)
        _ = Base.sendNext(&machine)
        let now = Self.t0 + 100
        #expect(
            machine.cloneAnswered("p1", .failure(Self.tooMany("DAY")), sentAt: Self.t0, now: now)
                == [.record([.requeued(pool: "p1", operationFailed: false)])]
        )
        #expect(machine.queued(prefix: 2) == ["p1", "p2"])
        // The listing comes at once, before any slot.
        guard case .listAccount = machine.nextSend(now: now) else {
            Issue.record("no listing after the 429")
            return
        }
        #expect(machine.accountListed(.success(AccountListing(operations: [])), now: now).last == .readLedger)
        // The merged ledger: 50 sends in the last 12 s, the oldest at t0 - 11 s, leaves a slot at t0 + 1 s.
        let sends = (0..<50).map { Self.t0 - 11_000 + Int64($0) * 200 }
        let until = Self.t0 + 1000
        let block = ServerBlock(
            interval: "DAY",
            limit: Self.long,
            window: .seconds(12),
            until: until,
            reason: .known
        )
        #expect(
            machine.ledgerRead(SendLog(sends: sends), ledgerNow: now, now: now)
                == [.blockLedger(until: until), .emit(.rateLimited(item: "p1", block: block))]
        )
        // Settled: no more listing, the slot request comes next.
        #expect(machine.nextSend(now: now) == .requestSlot("p1"))
    }

    @Test func onTheRedisClockTheKnownSlotIsConvertedToOurs() {
        var machine = Self.machine(["p1"])
        _ = Base.sendNext(&machine)
        #expect(
            machine.cloneAnswered("p1", .failure(Self.tooMany("MIN")), sentAt: Self.t0, now: Self.t0).first
                == .readLedger
        )
        let ledgerNow = Self.t0 + 5000
        let sends = (0..<10).map { ledgerNow - 1500 + Int64($0) }
        let actions = machine.ledgerRead(SendLog(sends: sends), ledgerNow: ledgerNow, now: Self.t0)
        #expect(actions.first == .blockLedger(until: Self.t0 + 500))
    }

    @Test func refusedAgainAtTheKnownSlotTheRunProbesWithGrowingSpacing() {
        var machine = Self.machine(["p1"])
        _ = Base.sendNext(&machine)
        var now = Self.t0
        _ = machine.cloneAnswered("p1", .failure(Self.tooMany("DAY")), sentAt: now, now: now)
        // What is known leaves a slot at once: no block, and the next send is the first probe.
        #expect(
            machine.ledgerRead(SendLog(sends: [now]), ledgerNow: now, now: now)
                == [
                    .emit(
                        .rateLimited(
                            item: "p1",
                            block: ServerBlock(
                                interval: "DAY",
                                limit: Self.long,
                                window: .seconds(12),
                                until: now,
                                reason: .known
                            )
                        )
                    )
                ]
        )
        var steps: [Int64] = []
        for number in 1...7 {
            _ = Base.sendNext(&machine, now: now)
            let actions = machine.cloneAnswered("p1", .failure(Self.tooMany("DAY")), sentAt: now, now: now)
            guard case .blockLedger(let until) = actions.first else {
                Issue.record("probe \(number) set no block: \(actions)")
                return
            }
            steps.append(until - now)
            #expect(
                actions.contains(
                    .emit(
                        .rateLimited(
                            item: "p1",
                            block: ServerBlock(
                                interval: "DAY",
                                limit: Self.long,
                                window: .seconds(12),
                                until: until,
                                reason: .probe(number: number, step: .milliseconds(until - now))
                            )
                        )
                    )
                )
            )
            now = until
        }
        #expect(steps == [187, 375, 750, 1500, 3000, 3000, 3000])
        // Accepted while unseen clones may still fill the window: a refusal soon after probes on at the
        // spacing reached, without a listing.
        var next = Self.machine(["p1", "p2"])
        next.rateLimit = machine.rateLimit
        _ = Base.sendNext(&next, now: now)
        _ = next.cloneAnswered("p1", .success(Base.operation("op1", .running)), sentAt: now, now: now)
        #expect(next.rateLimit != nil)
        _ = Base.sendNext(&next, now: now + 10)
        #expect(
            next.cloneAnswered("p2", .failure(Self.tooMany("DAY")), sentAt: now + 10, now: now + 10).first
                == .blockLedger(until: now + 3010)
        )
        // A window after the last refusal, an accepted clone ends the episode.
        let later = now + 3010 + 12_000
        _ = Base.sendNext(&next, now: later)
        _ = next.cloneAnswered("p2", .success(Base.operation("op2", .running, pool: "p2")), sentAt: later, now: later)
        #expect(next.rateLimit == nil)
    }

    @Test func aRefusalNamingAnotherWindowStartsOverWithAListing() {
        var machine = Self.machine(["p1"])
        _ = Base.sendNext(&machine)
        _ = machine.cloneAnswered("p1", .failure(Self.tooMany("DAY")), sentAt: Self.t0, now: Self.t0)
        _ = machine.ledgerRead(SendLog(sends: [Self.t0]), ledgerNow: Self.t0, now: Self.t0)
        _ = Base.sendNext(&machine)
        #expect(
            machine.cloneAnswered("p1", .failure(Self.tooMany("MIN")), sentAt: Self.t0, now: Self.t0).first
                == .readLedger
        )
        #expect(machine.listingAfterRateLimit)
    }

    @Test func retryAfterWinsCappedByTheMappedWindowAndASecond() {
        var machine = Self.machine(["p1"])
        _ = Base.sendNext(&machine)
        let within = machine.cloneAnswered(
            "p1",
            .failure(Self.tooMany("DAY", retryAfter: 2.5)),
            sentAt: Self.t0,
            now: Self.t0
        )
        #expect(within.first == .blockLedger(until: Self.t0 + 2500))
        var capped = Self.machine(["p1"])
        _ = Base.sendNext(&capped)
        let actions = capped.cloneAnswered(
            "p1",
            .failure(Self.tooMany("MIN", retryAfter: 86_400)),
            sentAt: Self.t0,
            now: Self.t0
        )
        let block = ServerBlock(
            interval: "MIN",
            limit: Self.short,
            window: .seconds(2),
            until: Self.t0 + 3000,
            reason: .retryAfter
        )
        #expect(
            actions == [
                .blockLedger(until: Self.t0 + 3000), .emit(.rateLimited(item: "p1", block: block)),
                .record([.requeued(pool: "p1", operationFailed: false)]),
            ]
        )
        #expect(!capped.listingAfterRateLimit)
    }

    @Test func aFailedListingStillBlocksFromTheLedger() {
        var machine = Self.machine(["p1"]) { $0.accountView = true }
        if case .checkSources(let pools) = machine.nextSend(now: Self.t0) {
            _ = machine.sourcesChecked(pools.map { ($0, nil) })
        }
        _ = machine.nextSend(now: Self.t0)
        _ = machine.accountListed(.success(AccountListing(operations: [])), now: Self.t0)
        _ = Base.sendNext(&machine)
        _ = machine.cloneAnswered("p1", .failure(Self.tooMany("DAY")), sentAt: Self.t0, now: Self.t0)
        let actions = machine.accountListed(.failure(.transport("reset")), now: Self.t0)
        #expect(actions.last == .readLedger)
    }

    @Test func theStopAtTheLimitNamesTheBlock() {
        var machine = Self.machine(["p1"]) { $0.maxWait = .seconds(1) }
        _ = Base.sendNext(&machine)
        _ = machine.cloneAnswered("p1", .failure(Self.tooMany("DAY", retryAfter: 5)), sentAt: Self.t0, now: Self.t0)
        #expect(machine.nextSend(now: Self.t0) == .requestSlot("p1"))
        let step = machine.slotAnswered(SlotAnswer(granted: false, at: Self.t0 + 5000), now: Self.t0)
        guard case .stopSending = step else {
            Issue.record("no stop: \(step)")
            return
        }
        #expect(machine.summary.serverBlock?.until.epochMilliseconds == Self.t0 + 5000)
        #expect(machine.summary.serverBlock?.reason == .retryAfter)
    }
}
