import BatchCloneTestSupport
import Testing

@testable import BatchCloneKit

/// Clone answers that are lost: the run looks for the clone in the server's operation list before sending again.
@Suite struct BatchRunReconciliationTests {
    /// `--reconcile-window`'s default, in ms.
    static let reconcileWindow: Int64 = 120_000

    static let t0 = TestTime.start
    /// The default allowance for the server's clock: the list is read from this long before the send.
    static let defaultClockSkew: Int64 = 5 * TestTime.minute
    /// A server clock this far behind ours is within the default allowance but beyond a one-minute one.
    static let serverBehind: Int64 = -100 * TestTime.second
    static let oneMinuteSkew: Int64 = TestTime.minute

    @Test func aLostAnswerAfterTheServerCommittedIsAdoptedNotResent() async throws {
        let h = RunHarness()
        h.api.scriptClones("p1", [.lostAfterCommit(polls: 2)])
        let summary = try await h.run(pools: ["p1", "p2"])
        #expect(h.api.clones(of: "p1") == 1)
        #expect(h.api.serverClones(of: "p1").count == 1)
        let operation = try #require(h.api.serverClones(of: "p1").first)
        #expect(summary.state["p1"]?.phase == .done(newPoolID: operation.newPoolID, operationID: operation.id))
        let sentAt = try #require(h.sendingTimes(of: "p1").first)
        #expect(
            h.api.listQueries.first
                == OperationQuery(submittedAtOrAfter: ServerInstant(epochMilliseconds: sentAt - Self.defaultClockSkew))
        )
        #expect(h.retries(of: "p1") == [.answerLost(.transport("dropped"))])
        #expect(h.events.contains(.reconciled(item: "p1", operationID: operation.id)))
        #expect(summary.cloned == 2 && summary.clonesSent == 2)
    }

    @Test func aLostAnswerBeforeTheServerCommittedIsSentAgain() async throws {
        let h = RunHarness()
        h.api.scriptClones("p1", [.error(.transport("connection reset"))])
        let summary = try await h.run(pools: ["p1"])
        #expect(h.api.clones(of: "p1") == 2)
        // Looked for every few seconds through the whole reconcile window before sending again.
        #expect(h.api.listQueries.count > 10)
        let calls = h.api.cloneCalls
        #expect(calls[1].at - calls[0].at >= Self.reconcileWindow)
        #expect(h.events.contains(.reconciled(item: "p1", operationID: nil)))
        let operation = try #require(h.api.serverClones(of: "p1").first)
        #expect(h.api.serverClones(of: "p1").count == 1)
        #expect(summary.state["p1"]?.phase == .done(newPoolID: operation.newPoolID, operationID: operation.id))
        let events = h.journalEvents(of: "p1")
        #expect(events.count == 6)
        #expect(events[2] == .requeued(pool: "p1", operationFailed: true))
        #expect(h.ledgerSends.count == 2)
        #expect(summary.clonesSent == 2)
    }

    @Test func anUnusableCloneAnswerIsReconciledToo() async throws {
        let h = RunHarness()
        let unusable = TolokaError.unexpectedResponse(status: 202, snippet: "<html>")
        h.api.scriptClones("p1", [.lostAfterCommit(error: unusable)])
        let summary = try await h.run(pools: ["p1"])
        #expect(h.api.clones(of: "p1") == 1)
        #expect(h.retries(of: "p1") == [.answerLost(unusable)])
        #expect(summary.cloned == 1)
    }

    @Test func aFailingOperationListEndsTheRunAndLeavesThePoolToReconcileLater() async throws {
        let h = RunHarness()
        h.api.scriptClones("p1", [.lostAfterCommit()])
        h.api.setListError(FakeTolokaAPI.unavailable)
        // One pool: other pools go on while a lost answer is looked for, so whether a second pool
        // was sent before the failing look is a race of the two loops, not a rule of the run.
        let run = h.makeRun(pools: ["p1"])
        await #expect {
            try await run.run()
        } throws: { error in
            guard case RunError.serviceUnavailable(let detail) = error else { return false }
            return detail.hasPrefix("GET /operations: HTTP 503")
        }
        #expect(h.api.clones(of: "p1") == 1)
        guard case .sending = await run.summary().state["p1"]?.phase else {
            Issue.record("p1 should stay in sending, to be reconciled by the next run")
            return
        }
    }

    @Test func anAuthenticationFailureOfTheOperationListStopsTheRun() async throws {
        let h = RunHarness()
        h.api.scriptClones("p1", [.error(.transport("reset"))])
        h.api.setListError(FakeTolokaAPI.unauthorized)
        await #expect {
            try await h.run(pools: ["p1"])
        } throws: { error in
            if case RunError.authentication = error { true } else { false }
        }
        #expect(h.api.clones(of: "p1") == 1)
    }

    @Test func reconciliationPagesThroughTheOperationList() async throws {
        let h = RunHarness()
        h.api.setPageSize(2)
        for pool in ["x1", "x2", "x3"] { h.api.addServerOperation(pool: pool, submitted: Self.t0) }
        h.api.addServerOperation(pool: "p1", submitted: Self.t0, type: "POOL.OPEN")
        h.api.scriptClones("p1", [.lostAfterCommit()])
        let summary = try await h.run(pools: ["p1"])
        let operation = try #require(h.api.serverClones(of: "p1").first)
        #expect(operation.id == "op-00005")
        #expect(summary.state["p1"]?.phase == .done(newPoolID: operation.newPoolID, operationID: operation.id))
        #expect(h.api.listQueries.map(\.idAfter) == [nil, "op-00002"])
        #expect(h.api.clones(of: "p1") == 1)
    }

    @Test func anOperationTheJournalAlreadyOwnsIsNeverAdoptedAgain() async throws {
        let h = RunHarness()
        // The first clone FAILs (its operation stays in the list); the second one's answer is lost.
        h.api.scriptClones("p1", [.accept(fails: true), .lostAfterCommit()])
        let summary = try await h.run(pools: ["p1"])
        let operations = h.api.serverClones(of: "p1")
        #expect(operations.count == 2)
        #expect(h.api.clones(of: "p1") == 2)
        #expect(summary.state["p1"]?.phase == .done(newPoolID: operations[1].newPoolID, operationID: operations[1].id))
        #expect(summary.state["p1"]?.operations == operations.map(\.id))
    }

    @Test func aServerClockSlightlyBehindIsWithinTheSkewAllowance() async throws {
        let h = RunHarness()
        h.api.setServerSkew(Self.serverBehind)
        h.api.scriptClones("p1", [.lostAfterCommit()])
        let summary = try await h.run(pools: ["p1"])
        let operation = try #require(h.api.serverClones(of: "p1").first)
        let sentAt = try #require(h.sendingTimes(of: "p1").first)
        #expect(operation.submitted < sentAt)
        #expect(h.api.clones(of: "p1") == 1)
        #expect(summary.state["p1"]?.phase == .done(newPoolID: operation.newPoolID, operationID: operation.id))
        #expect(
            h.journalEvents(of: "p1").contains(
                .submitted(
                    pool: "p1",
                    operationID: operation.id,
                    at: ServerInstant(epochMilliseconds: operation.submitted)
                )
            )
        )
    }

    @Test func aServerClockBeyondTheSkewAllowanceIsNotMatched() async throws {
        let h = RunHarness()
        h.api.setServerSkew(Self.serverBehind)
        h.api.scriptClones("p1", [.lostAfterCommit()])
        let summary = try await h.run(
            pools: ["p1"],
            configuration: RunHarness.configuration { $0.clockSkew = .milliseconds(Self.oneMinuteSkew) }
        )
        let sentAt = try #require(h.sendingTimes(of: "p1").first)
        #expect(h.api.listQueries.first?.submittedAtOrAfter.epochMilliseconds == sentAt - Self.oneMinuteSkew)
        // Not found within a minute: sent again (the first copy exists on the server, as designed).
        #expect(h.api.clones(of: "p1") == 2)
        #expect(summary.cloned == 1)
    }
}
