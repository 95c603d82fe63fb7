import BatchCloneTestSupport
import Testing

@testable import BatchCloneKit

/// The ledger's slots, 429 answers, `--max-wait`, progress snapshots and sends of other runs.
@Suite struct BatchRunRateLimitTests {
    static let t0 = TestTime.start
    static let minute = TestTime.minute
    /// A per-minute limit alone, without margin: slot times are exact.
    static let perMinute = RateLimit(count: 20, window: .seconds(60))
    /// Two sends a minute, to reach the limit with a handful of pools.
    static let twoPerMinute = RateLimit(count: 2, window: .seconds(60))
    /// `--max-wait` shorter than any window: the run stops rather than waits.
    static let shortMaxWait = Duration.seconds(10)

    static func twoPerMinute(maxWait: Duration?) -> RunConfiguration {
        RunHarness.configuration {
            $0.limits = [twoPerMinute]
            $0.margin = .zero
            $0.maxWait = maxWait
        }
    }

    @Test func a429WithASlotKnownSendsThePoolAgainAtOnce() async throws {
        let h = RunHarness()
        h.api.scriptClones("p1", [.error(FakeTolokaAPI.tooManyRequests)])
        let configuration = RunHarness.configuration {
            $0.limits = [Self.perMinute]
            $0.margin = .zero
        }
        let summary = try await h.run(pools: ["p1", "p2"], configuration: configuration)
        #expect(h.api.clones(of: "p1") == 2)
        let calls = h.api.cloneCalls
        try #require(calls.count == 3)
        #expect(calls.map(\.pool) == ["p1", "p1", "p2"])
        let block = try #require(h.rateLimits.first)
        #expect(block.pool == "p1" && block.interval == "MIN")
        // One send in the minute: what is known leaves a slot at once, and the pool goes again then.
        #expect(block.block.reason == .known && block.until >= calls[0].at)
        #expect(calls[1].at >= block.until && calls[1].at <= block.until + TestTime.second)
        #expect(calls[2].at >= calls[1].at)
        let sends = h.ledgerSends
        try #require(sends.count == 3)  // the refused send counts too
        let operation = try #require(h.api.serverClones(of: "p1").first)
        #expect(
            h.journalEvents(of: "p1") == [
                .listed(pool: "p1"),
                .sending(pool: "p1", at: LedgerInstant(epochMilliseconds: sends[0])),
                .requeued(pool: "p1", operationFailed: false),
                .sending(pool: "p1", at: LedgerInstant(epochMilliseconds: sends[1])),
                .submitted(
                    pool: "p1",
                    operationID: operation.id,
                    at: ServerInstant(epochMilliseconds: operation.submitted)
                ),
                .done(pool: "p1", newPoolID: operation.newPoolID, operationID: operation.id),
            ]
        )
        #expect(summary.cloned == 2 && summary.clonesSent == 3)
    }

    @Test func a429RetryAfterSetsTheBlock() async throws {
        let h = RunHarness()
        let retryAfter: Int64 = 5 * TestTime.second
        h.api.scriptClones(
            "p1",
            [.error(.api(status: 429, code: "TOO_MANY_REQUESTS", message: "", interval: "MIN", retryAfter: 5))]
        )
        let summary = try await h.run(pools: ["p1"])
        let calls = h.api.cloneCalls
        try #require(calls.count == 2)
        let block = try #require(h.rateLimits.first)
        #expect(block.pool == "p1")
        #expect(block.until - calls[0].at >= retryAfter && block.until - calls[0].at < 2 * retryAfter)
        #expect(calls[1].at >= block.until && calls[1].at < calls[0].at + Self.minute)
        #expect(summary.cloned == 1)
    }

    @Test func aDaily429BlocksUntilTheKnownSlotOfTheDayAndStopsBeyondMaxWait() async throws {
        // 99 clones of the last day are in the ledger: the 100th is refused, and the day's window
        // has room again when the oldest leaves it (an hour and the margin from now), not in a day.
        let oldest = Self.t0 - 23 * 60 * Self.minute
        let h = RunHarness(log: SendLog(sends: (0..<99).map { oldest + Int64($0) * TestTime.second }))
        h.api.scriptClones(
            "p1",
            [.error(.api(status: 429, code: "TOO_MANY_REQUESTS", message: "", interval: "DAY", retryAfter: nil))]
        )
        let summary = try await h.run(pools: ["p1", "p2"])
        let block = try #require(h.rateLimits.first)
        #expect(block.interval == "DAY" && block.block.limit == RateLimit.tolokaCloneDefaults[1])
        #expect(block.until == oldest + TestTime.day + TestTime.second)
        #expect(block.block.reason == .known)
        #expect(summary.stop == .limit(resumeAt: LocalInstant(epochMilliseconds: block.until)))
        #expect(summary.serverBlock == block.block)
        #expect(h.api.cloneCalls.count == 1)
        #expect(summary.state["p1"]?.phase == .pending && summary.state["p2"]?.phase == .pending)
    }

    @Test func aDaily429WithRoomKnownProbesInsteadOfBlockingADay() async throws {
        let h = RunHarness()
        let refusal = TolokaError.api(
            status: 429,
            code: "TOO_MANY_REQUESTS",
            message: "",
            interval: "DAY",
            retryAfter: nil
        )
        h.api.scriptClones("p1", [.error(refusal), .error(refusal), .error(refusal)])
        let summary = try await h.run(pools: ["p1"], configuration: RunHarness.configuration { $0.maxWait = nil })
        #expect(summary.cloned == 1 && summary.stop == nil)
        let calls = h.api.cloneCalls.map(\.at)
        try #require(calls.count == 4)
        // At once (nothing known fills the day), then a 1/64 and a 1/32 of the day after each refusal
        // (the fake server answers a second after the request).
        let day = TestTime.day
        #expect(calls[1] - calls[0] < 1000)
        #expect(calls[2] - calls[1] >= day / 64 && calls[2] - calls[1] <= day / 64 + 1000)
        #expect(calls[3] - calls[2] >= day / 32 && calls[3] - calls[2] <= day / 32 + 1000)
        #expect(
            h.rateLimits.map(\.block.reason) == [
                .known, .probe(number: 1, step: .milliseconds(day / 64)),
                .probe(number: 2, step: .milliseconds(day / 32)),
            ]
        )
    }

    @Test func beyondMaxWaitTheRunStopsAndUnsentPoolsStayPending() async throws {
        let h = RunHarness()
        let summary = try await h.run(
            pools: ["p1", "p2", "p3", "p4"],
            configuration: Self.twoPerMinute(maxWait: Self.shortMaxWait)
        )
        #expect(h.api.cloneCalls.map(\.pool) == ["p1", "p2"])
        let first = try #require(h.ledgerSends.first)
        #expect(summary.stop == .limit(resumeAt: LocalInstant(epochMilliseconds: first + Self.minute)))
        #expect(h.events.contains(.stoppedAtLimit(resumeAt: LocalInstant(epochMilliseconds: first + Self.minute))))
        #expect(summary.cloned == 2 && summary.clonesSent == 2)
        #expect(summary.state["p3"]?.phase == .pending && summary.state["p4"]?.phase == .pending)
        #expect(h.journalEvents(of: "p3") == [.listed(pool: "p3")])
        #expect(summary.unsettled == 2)
        #expect(ResultsFile.render(items: ["p3"], state: summary.state).hasSuffix("\np3,,,pending,,pool,1,\n"))
    }

    @Test func progressSnapshotsFollowTheLedger() async throws {
        let h = RunHarness()
        let summary = try await h.run(
            pools: ["p1", "p2", "p3", "p4"],
            configuration: Self.twoPerMinute(maxWait: Self.shortMaxWait)
        )
        let snapshots = h.events.compactMap { event -> RunProgress? in
            if case .progress(let p) = event { p } else { nil }
        }
        try #require(snapshots.count == 3)
        let sends = h.ledgerSends
        try #require(sends.count == 2)
        #expect(snapshots.allSatisfy { $0.total == 4 && $0.failed == 0 })
        // After the first slot: one used of two, three pools left, the last at the next window.
        #expect(snapshots[0].limits.map(\.used) == [1])
        #expect(snapshots[0].inFlight == 1)
        #expect(snapshots[0].nextSlot.epochMilliseconds == sends[0])
        #expect(snapshots[0].lastSend?.epochMilliseconds == sends[0] + Self.minute)
        // Refused: the window is full until the first send leaves it.
        #expect(snapshots[2].limits.map(\.used) == [2])
        #expect(snapshots[2].limits.map(\.remaining) == [0])
        #expect(snapshots[2].nextSlot.epochMilliseconds == sends[0] + Self.minute)
        #expect(summary.stop == .limit(resumeAt: snapshots[2].nextSlot))
        #expect(snapshots[2].lastSend?.epochMilliseconds == sends[1] + Self.minute)
    }

    @Test func withoutMaxWaitTheRunWaitsForTheWindow() async throws {
        let h = RunHarness()
        let summary = try await h.run(
            pools: ["p1", "p2", "p3", "p4", "p5"],
            configuration: Self.twoPerMinute(maxWait: nil)
        )
        #expect(summary.stop == nil && summary.cloned == 5)
        let sends = h.ledgerSends
        #expect(sends[2] >= sends[0] + Self.minute && sends[4] >= sends[2] + Self.minute)
        #expect(h.events.contains { if case .waiting = $0 { true } else { false } })
    }

    @Test func recordedSendsObeyEveryLimitIncludingAnotherRunsSends() async throws {
        let t0 = Self.t0
        let earlier: [Int64] = [t0 - 500, t0 - 400, t0 - 300]
        let h = RunHarness(log: SendLog(sends: earlier))
        let margin: Int64 = 20
        let perSecond = RateLimit(count: 3, window: .seconds(1))
        let perTenSeconds = RateLimit(count: 5, window: .seconds(10))
        let configuration = RunHarness.configuration {
            $0.limits = [perSecond, perTenSeconds]
            $0.margin = .milliseconds(margin)
            $0.operationTimeout = .seconds(1_000_000)
        }
        h.api.setDefaultClone(.accept(polls: 2))
        let pools = (1...15).map { "p\($0)" }
        let summary = try await h.run(pools: pools, configuration: configuration)
        #expect(summary.cloned == 15 && summary.clonesSent == 15)
        let sends = h.ledgerSends
        #expect(sends.count == earlier.count + pools.count)
        #expect(Array(sends.prefix(3)) == earlier)
        #expect(LimitChecks.violations(sends, count: 3, span: TestTime.second + margin).isEmpty)
        #expect(LimitChecks.violations(sends, count: 5, span: 10 * TestTime.second + margin).isEmpty)
        // The first of the earlier sends leaves the one-second window (plus margin) only then.
        #expect(sends[3] >= earlier[0] + TestTime.second + margin)
        #expect(h.sendingTimes() == Array(sends.dropFirst(3)))
        // Each POST left at or after its recorded slot.
        for (call, slot) in zip(h.api.cloneCalls, sends.dropFirst(3)) { #expect(call.at >= slot) }
        for pool in pools { #expect(h.api.clones(of: pool) == 1) }
    }

    @Test func aSendInTheFutureIsWaitedForWithAWarning() async throws {
        let future = Self.t0 + 5 * TestTime.second
        let h = RunHarness(log: SendLog(sends: [future]))
        let summary = try await h.run(pools: ["p1"])
        #expect(h.events.contains { if case .warning(let text) = $0 { text.contains("in the future") } else { false } })
        #expect(try #require(h.ledgerSends.last) >= future)
        #expect(h.ledgerSends.count == 2)
        #expect(summary.cloned == 1)
    }
}
