import BatchCloneTestSupport
import Testing

@testable import BatchCloneKit

/// Reading operations until they finish: single reads, one list for many, FAIL, 404, timeouts, cancellation.
@Suite struct BatchRunPollingTests {
    static let t0 = TestTime.start
    /// Due operations from which the run reads them with one list request.
    static let listPollMinimum = 3
    /// The reconciliation and list look-back allowance for the server's clock.
    static let clockSkew: Int64 = TestTime.minute
    /// Reads that never come within a test: an operation that never finishes.
    static let neverFinishes = 1_000_000
    static let operationTimeout: Int64 = 30 * TestTime.second
    /// Single reads a 30 s timeout at 1 s polls allows, with slack for back-off.
    static let readsBeforeTimeout = 10...40

    @Test func severalDueOperationsAreReadWithOneListRequest() async throws {
        let h = RunHarness()
        h.api.listShowsCurrentStatus()
        let pollsToFinish = 3
        h.api.setDefaultClone(.accept(polls: pollsToFinish))
        let pools = (1...8).map { "p\($0)" }
        let summary = try await h.run(
            pools: pools,
            configuration: RunHarness.configuration {
                $0.listPollMinimum = Self.listPollMinimum
                $0.clockSkew = .milliseconds(Self.clockSkew)
            }
        )

        #expect(summary.stop == nil && summary.cloned == 8)
        #expect(pools.allSatisfy { h.api.clones(of: $0) == 1 })
        let queries = h.api.listQueries
        #expect(!queries.isEmpty)
        #expect(h.api.operationCalls.count < pools.count * pollsToFinish, "single reads: \(h.api.operationCalls.count)")
        let submits = pools.compactMap { pool in h.api.serverClones(of: pool).first.map(\.submitted) }
        let firstSubmit = try #require(submits.min())
        #expect(
            queries.allSatisfy {
                $0.type == "POOL.CLONE" && $0.submittedAtOrAfter.epochMilliseconds >= firstSubmit - Self.clockSkew
            }
        )
        #expect(h.replayedJournal() == .success(summary.state))
    }

    @Test func aFailingListFallsBackToSingleReads() async throws {
        let h = RunHarness()
        h.api.setListError(FakeTolokaAPI.unavailable)
        let pollsToFinish = 2
        h.api.setDefaultClone(.accept(polls: pollsToFinish))
        let pools = (1...5).map { "p\($0)" }
        let summary = try await h.run(
            pools: pools,
            configuration: RunHarness.configuration { $0.listPollMinimum = Self.listPollMinimum }
        )

        #expect(summary.stop == nil && summary.cloned == 5)
        #expect(!h.api.listQueries.isEmpty)
        #expect(pools.allSatisfy { h.api.serverClones(of: $0).first?.polls == pollsToFinish })
    }

    @Test func aFailedOperationIsRetriedAsANewCloneUpToMaxAttempts() async throws {
        let h = RunHarness()
        let maxAttempts = 3
        h.api.setDefaultClone(.accept(polls: 2, fails: true))
        let summary = try await h.run(
            pools: ["p1"],
            configuration: RunHarness.configuration { $0.maxAttempts = maxAttempts }
        )
        #expect(h.api.clones(of: "p1") == maxAttempts)
        let operations = h.api.serverClones(of: "p1").map(\.id)
        try #require(operations.count == maxAttempts)
        let failure = PoolFailure.operationFailed(
            operationID: operations[2],
            reason: "boom",
            attempt: maxAttempts,
            maxAttempts: maxAttempts
        )
        #expect(h.failures == [failure])
        #expect(summary.state["p1"]?.phase == .failed(reason: failure.description, operationID: operations[2]))
        #expect(summary.state["p1"]?.failedAttempts == 2)
        #expect(summary.state["p1"]?.operations == operations)
        let requeues = h.journalEvents(of: "p1").filter { $0 == .requeued(pool: "p1", operationFailed: true) }
        #expect(requeues.count == 2)
        #expect(
            h.retries(of: "p1") == operations.prefix(2).map { .operationFailed(operationID: $0, reason: "boom") }
        )
        #expect(h.api.checks(of: "p1") == 1)
        #expect(summary.clonesSent == 3 && summary.clonedNow == 0)
    }

    @Test func aFailedOperationThenSuccessIsCloned() async throws {
        let h = RunHarness()
        h.api.scriptClones("p1", [.accept(fails: true)])
        let summary = try await h.run(pools: ["p1"])
        #expect(h.api.clones(of: "p1") == 2)
        let second = try #require(h.api.serverClones(of: "p1").last)
        #expect(summary.state["p1"]?.phase == .done(newPoolID: second.newPoolID, operationID: second.id))
        #expect(summary.state["p1"]?.failedAttempts == 1)
    }

    @Test func anOperationTheServerDoesNotShowYetIsLeftUnfinishedNeverFailed() async throws {
        let h = RunHarness()
        let state = JournalState.replaying([
            .listed(pool: "p1"), .sending(pool: "p1", at: LedgerInstant(epochMilliseconds: Self.t0 - 1000)),
            .submitted(pool: "p1", operationID: "op-ghost", at: ServerInstant(epochMilliseconds: Self.t0 - 900)),
        ])
        let summary = try await h.run(pools: ["p1"], state: state)
        #expect(h.failures.isEmpty)
        #expect(
            summary.state["p1"]?.phase
                == .submitted(operationID: "op-ghost", at: ServerInstant(epochMilliseconds: Self.t0 - 900))
        )
        #expect(summary.stop == .unfinishedOperations(count: 1))
        #expect(h.api.cloneCalls.isEmpty)
    }

    @Test func anOperationThatNeverFinishesIsLeftForTheNextRun() async throws {
        let h = RunHarness()
        h.api.setDefaultClone(.accept(polls: Self.neverFinishes))
        let summary = try await h.run(
            pools: ["p1"],
            configuration: RunHarness.configuration {
                $0.operationTimeout = .milliseconds(Self.operationTimeout)
                $0.pollInterval = .seconds(1)
            }
        )
        #expect(summary.stop == .unfinishedOperations(count: 1))
        let operation = try #require(h.api.serverClones(of: "p1").first)
        #expect(
            summary.state["p1"]?.phase
                == .submitted(operationID: operation.id, at: ServerInstant(epochMilliseconds: operation.submitted))
        )
        #expect(Self.readsBeforeTimeout.contains(operation.polls), "\(operation.polls) polls")
        #expect(h.clock.nowMilliseconds - Self.t0 >= Self.operationTimeout)
        #expect(h.events.contains { if case .warning(let text) = $0 { text.contains("unfinished") } else { false } })
        #expect(h.api.clones(of: "p1") == 1)
    }

    @Test func cancellationEndsTheRunAsInterrupted() async throws {
        let h = RunHarness()
        h.api.setDefaultClone(.accept(polls: Self.neverFinishes))
        let run = h.makeRun(
            pools: ["p1"],
            configuration: RunHarness.configuration { $0.operationTimeout = .seconds(1_000_000) }
        )
        let task = Task { try await run.run() }
        // Cancels once the run is busy polling: a few reads of the operation, bounded in spins.
        let readsBeforeCancel = 3
        var spins = 0
        while h.api.operationCalls.count < readsBeforeCancel && spins < 1_000_000 {
            spins += 1
            await Task.yield()
        }
        task.cancel()
        let summary = try await task.value
        #expect(summary.stop == .interrupted)
        #expect(summary.state["p1"]?.phase.isSettled == false)
        #expect(h.api.clones(of: "p1") == 1)
    }
}
