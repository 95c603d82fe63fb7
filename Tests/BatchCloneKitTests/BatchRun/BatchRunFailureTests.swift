import BatchCloneTestSupport
import Testing

@testable import BatchCloneKit

/// Pools that fail before any quota is spent, and the errors that end a whole run.
@Suite struct BatchRunFailureTests {
    static let t0 = TestTime.start
    /// How long a test lets a run idle (in warped time) before calling it hung.
    static let hourOfPatience: Int64 = 60 * TestTime.minute
    static let minuteOfPatience: Int64 = TestTime.minute
    /// Reads that never come within a test: an operation that never finishes.
    static let neverFinishes = 1_000_000

    @Test func aMissingPoolFailsWithoutSpendingQuota() async throws {
        let h = RunHarness()
        h.api.failCheck("p2", with: FakeTolokaAPI.missing)
        let summary = try await h.run(pools: ["p1", "p2", "p3"])
        #expect(h.api.clones(of: "p2") == 0)
        #expect(h.api.checks(of: "p2") == 1)
        #expect(summary.cloned == 2)
        #expect(summary.failed.map(\.item.source) == ["p2"])
        let failure = PoolFailure.doesNotExist(pool: "p2", on: .check, error: FakeTolokaAPI.missing)
        #expect(h.failures == [failure])
        #expect(
            h.journalEvents(of: "p2") == [
                .listed(pool: "p2"),
                .failed(pool: "p2", reason: failure.description, operationID: nil),
            ]
        )
        #expect(h.ledgerSends.count == 2)
        #expect(summary.stop == nil)
    }

    @Test func accessDeniedOnTheFirstThreePoolsStopsTheRun() async throws {
        let h = RunHarness()
        for pool in ["p1", "p2", "p3"] { h.api.failCheck(pool, with: FakeTolokaAPI.forbidden) }
        let run = h.makeRun(pools: ["p1", "p2", "p3", "p4"])
        await #expect {
            try await run.run()
        } throws: { error in
            guard case RunError.accessDenied(let detail) = error else { return false }
            return detail.contains("403")
        }
        #expect(h.api.cloneCalls.isEmpty)
        #expect(h.api.calls == [.check("p1"), .check("p2"), .check("p3")])
        #expect(h.ledgerSends.isEmpty)
        let summary = await run.summary()
        #expect(summary.failed.map(\.item.source) == ["p1", "p2"])
        #expect(
            h.failures == [
                .accessDenied(pool: "p1", on: .check, error: FakeTolokaAPI.forbidden),
                .accessDenied(pool: "p2", on: .check, error: FakeTolokaAPI.forbidden),
            ]
        )
        #expect(summary.state["p3"]?.phase == .pending)
        #expect(summary.state["p4"]?.phase == .pending)
    }

    @Test func accessDeniedAfterAnAccessiblePoolIsPerPool() async throws {
        let h = RunHarness()
        let denied = ["p2", "p3", "p4"]
        for pool in denied { h.api.failCheck(pool, with: FakeTolokaAPI.forbidden) }
        let summary = try await h.run(pools: ["p1", "p2", "p3", "p4", "p5"])
        #expect(summary.failed.map(\.item.source) == denied)
        #expect(h.failures == denied.map { .accessDenied(pool: $0, on: .check, error: FakeTolokaAPI.forbidden) })
        #expect(summary.failed.map(\.reason) == h.failures.map(\.description))
        #expect(summary.cloned == 2)
        #expect(h.api.cloneCalls.map(\.pool) == ["p1", "p5"])
    }

    @Test func authenticationFailureOnTheFirstCheckSendsNothingElse() async throws {
        let h = RunHarness()
        h.api.failCheck("p1", with: FakeTolokaAPI.unauthorized)
        await #expect {
            try await h.run(pools: ["p1", "p2"])
        } throws: { error in
            if case RunError.authentication = error { true } else { false }
        }
        #expect(h.api.calls == [.check("p1")])
        #expect(h.ledgerSends.isEmpty)
    }

    @Test func authenticationFailureOnACloneStopsTheRun() async throws {
        let h = RunHarness()
        h.api.scriptClones("p1", [.error(FakeTolokaAPI.unauthorized)])
        let run = h.makeRun(pools: ["p1", "p2"])
        await #expect {
            try await run.run()
        } throws: { error in
            if case RunError.authentication = error { true } else { false }
        }
        #expect(h.api.calls == [.check("p1"), .clone("p1")])
        // The clone's fate is unknown: the pool stays "sending" for the next run to reconcile.
        guard case .sending = await run.summary().state["p1"]?.phase else {
            Issue.record("p1 should stay in sending")
            return
        }
    }

    @Test func aServiceThatKeepsFailingEndsTheRun() async throws {
        let h = RunHarness()
        h.api.failCheck("p1", with: FakeTolokaAPI.unavailable)
        await #expect {
            try await h.run(pools: ["p1"])
        } throws: { error in
            guard case RunError.serviceUnavailable(let detail) = error else { return false }
            return detail.hasPrefix("GET /pools/p1: HTTP 503")
        }
        #expect(h.api.cloneCalls.isEmpty)
    }

    @Test func authenticationFailureWhilePollingStopsTheRun() async throws {
        let h = RunHarness()
        let operation = h.api.addServerOperation(pool: "p1", submitted: Self.t0 - 900)
        h.api.setPollError(FakeTolokaAPI.unauthorized)
        let state = JournalState.replaying([
            .listed(pool: "p1"), .sending(pool: "p1", at: LedgerInstant(epochMilliseconds: Self.t0 - 1000)),
            .submitted(pool: "p1", operationID: operation, at: ServerInstant(epochMilliseconds: Self.t0 - 900)),
        ])
        let (endedByItself, result) = await h.runWatched(
            h.makeRun(pools: ["p1"], state: state),
            patience: Self.hourOfPatience
        )
        // With nothing queued and p1 in flight the send loop idles; the poll loop's error must still end the run.
        #expect(endedByItself, "the run was still going after an hour of idling")
        #expect(throws: RunError.self) { try result.get() }
        if case .failure(let error) = result {
            #expect({ if case RunError.authentication = error { true } else { false } }())
        }
        #expect(h.api.cloneCalls.isEmpty)
        #expect(h.api.calls == [.poll(operation)])
    }

    @Test func aRunThatFailsWhileClonesAreInFlightEndsPromptly() async throws {
        let h = RunHarness()
        h.api.scriptClones("p1", [.accept(polls: Self.neverFinishes)])
        h.api.failCheck("p2", with: FakeTolokaAPI.unavailable)
        let run = h.makeRun(
            pools: ["p1", "p2"],
            configuration: RunHarness.configuration { $0.operationTimeout = .seconds(600) }
        )
        let (endedByItself, result) = await h.runWatched(run, patience: Self.minuteOfPatience)
        // The send loop's error must end the run at once, not after p1's operation times out (10 minutes).
        #expect(endedByItself, "the run was still polling a minute after the failure")
        #expect(throws: RunError.self) { try result.get() }
        #expect(h.api.clones(of: "p2") == 0)
    }
}
