import Foundation
import Testing

@testable import BatchCloneKit

@Suite struct BatchRunTests {
    private let t0 = TestTime.start

    private func sendingTimes(_ events: [JournalEvent]) -> [Int64] {
        events.compactMap { if case .sending(_, let at) = $0 { at } else { nil } }
    }

    private func count(_ events: [RunEvent], _ matches: (RunEvent) -> Bool) -> Int { events.filter(matches).count }

    // MARK: - Happy path

    @Test func severalDueOperationsAreReadWithOneListRequest() async throws {
        let h = RunHarness()
        h.api.listShowsCurrentStatus()
        h.api.setDefaultClone(.accept(polls: 3))
        let pools = (1...8).map { "p\($0)" }
        let summary = try await h.run(
            pools: pools,
            configuration: RunHarness.configuration {
                $0.listPollMinimum = 3
                $0.clockSkew = .seconds(60)
            })

        #expect(summary.stop == nil && summary.cloned == 8)
        #expect(pools.allSatisfy { h.api.clones(of: $0) == 1 })
        let queries = h.api.listQueries
        #expect(!queries.isEmpty)
        #expect(h.api.operationCalls.count < 8 * 3, "single reads: \(h.api.operationCalls.count)")
        let submits = pools.compactMap { pool in h.api.serverClones(of: pool).first.map(\.submitted) }
        let firstSubmit = try #require(submits.min())
        #expect(queries.allSatisfy { $0.type == "POOL.CLONE" && $0.submittedAtOrAfter >= firstSubmit - 60_000 })
        #expect(summary.state == h.replayedJournal())
    }

    @Test func poolsAreCheckedAheadOfTheirTurnAndFailuresStillCountInOrder() async throws {
        let h = RunHarness()
        let notFound = TolokaError.api(status: 404, code: "DOES_NOT_EXIST", message: "", interval: nil, retryAfter: nil)
        h.api.failCheck("p2", with: notFound)
        let pools = (1...6).map { "p\($0)" }
        let summary = try await h.run(pools: pools, configuration: RunHarness.configuration { $0.checkLookahead = 4 })

        #expect(summary.cloned == 5)
        #expect(summary.failed.map(\.pool) == ["p2"])
        #expect(pools.allSatisfy { h.api.checks(of: $0) == 1 })
        #expect(h.api.clones(of: "p2") == 0)
        // The first check goes alone (it confirms access), then four at once ahead of the clones;
        // every clone still follows its own check.
        let calls = h.api.calls.filter { !$0.hasPrefix("poll") }
        #expect(calls.prefix(2) == ["check p1", "clone p1"])
        #expect(Set(calls.dropFirst(2).prefix(4)) == ["check p2", "check p3", "check p4", "check p5"])
        for pool in pools where pool != "p2" {
            let checkIndex = try #require(calls.firstIndex(of: "check \(pool)"))
            let cloneIndex = try #require(calls.firstIndex(of: "clone \(pool)"))
            #expect(checkIndex < cloneIndex)
        }
    }

    @Test func aFailingListFallsBackToSingleReads() async throws {
        let h = RunHarness()
        h.api.setListError(.api(status: 503, code: "REMOTE_SERVICE_UNAVAILABLE", message: "", interval: nil, retryAfter: nil))
        h.api.setDefaultClone(.accept(polls: 2))
        let pools = (1...5).map { "p\($0)" }
        let summary = try await h.run(pools: pools, configuration: RunHarness.configuration { $0.listPollMinimum = 3 })

        #expect(summary.stop == nil && summary.cloned == 5)
        #expect(!h.api.listQueries.isEmpty)
        #expect(pools.allSatisfy { h.api.serverClones(of: $0).first?.polls == 2 })
    }

    @Test func everyPoolIsClonedOnceWithItsEventsInOrder() async throws {
        let h = RunHarness()
        h.api.setDefaultClone(.accept(polls: 3))
        let pools = ["p1", "p2", "p3"]
        let summary = try await h.run(pools: pools)

        #expect(summary.stop == nil)
        #expect(summary.cloned == 3 && summary.clonedNow == 3 && summary.clonesSent == 3)
        #expect(summary.failed.isEmpty && summary.unsettled == 0)
        #expect(Array(h.journal.events.prefix(3)) == pools.map { .listed(pool: $0) })
        for pool in pools {
            #expect(h.api.clones(of: pool) == 1)
            #expect(h.api.checks(of: pool) == 1)
            let operation = try #require(h.api.serverClones(of: pool).first)
            #expect(operation.polls == 3)
            let events = h.journalEvents(of: pool)
            try #require(events.count == 4, "\(events)")
            #expect(events[0] == .listed(pool: pool))
            guard case .sending = events[1] else { Issue.record("\(events[1]) is not sending"); continue }
            #expect(events[2] == .submitted(pool: pool, operationID: operation.id, at: operation.submitted))
            #expect(events[3] == .done(pool: pool, newPoolID: operation.newPoolID, operationID: operation.id))
        }
        #expect(summary.state == h.replayedJournal())
        #expect(h.ledgerSends == sendingTimes(h.journal.events))
        #expect(h.ledgerSends.count == 3)
        // A pool is checked before its clone, and never cloned before it is checked.
        #expect(h.api.calls.filter { !$0.hasPrefix("poll") }.prefix(2) == ["check p1", "clone p1"])

        let events = h.events
        #expect(events.first == .started(total: 3, alreadyDone: 0, alreadyFailed: 0, toDo: 3))
        for pool in pools {
            let operation = try #require(h.api.serverClones(of: pool).first)
            #expect(events.contains(.submitted(pool: pool, operationID: operation.id)))
            #expect(events.contains(.cloned(pool: pool, newPoolID: operation.newPoolID, operationID: operation.id)))
        }
        #expect(
            ResultsFile.render(pools: pools, state: summary.state) == """
                source_pool_id,new_pool_id,operation_id,status,error
                p1,new-p1-op-00001,op-00001,cloned,
                p2,new-p2-op-00002,op-00002,cloned,
                p3,new-p3-op-00003,op-00003,cloned,

                """)
    }

    @Test func summaryAfterTheRunMatchesTheRunsAnswer() async throws {
        let h = RunHarness()
        let run = h.makeRun(pools: ["a", "b"])
        let answer = try await run.run()
        #expect(await run.summary() == answer)
        #expect(answer.pools == ["a", "b"])
    }

    // MARK: - Per-pool failures before sending

    @Test func aMissingPoolFailsWithoutSpendingQuota() async throws {
        let h = RunHarness()
        h.api.failCheck("p2", with: FakeTolokaAPI.missing)
        let summary = try await h.run(pools: ["p1", "p2", "p3"])
        #expect(h.api.clones(of: "p2") == 0)
        #expect(h.api.checks(of: "p2") == 1)
        #expect(summary.cloned == 2)
        #expect(summary.failed.map(\.pool) == ["p2"])
        #expect(summary.failed.first?.reason.contains("does not exist") == true)
        #expect(
            h.journalEvents(of: "p2") == [
                .listed(pool: "p2"),
                .failed(pool: "p2", reason: "pool p2 does not exist or is not visible to this account (404)", operationID: nil),
            ])
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
        #expect(h.api.checkCalls == ["p1", "p2", "p3"])
        #expect(h.ledgerSends.isEmpty)
        let summary = await run.summary()
        #expect(summary.failed.map(\.pool) == ["p1", "p2"])
        #expect(summary.state["p3"]?.phase == .pending)
        #expect(summary.state["p4"]?.phase == .pending)
    }

    @Test func accessDeniedAfterAnAccessiblePoolIsPerPool() async throws {
        let h = RunHarness()
        for pool in ["p2", "p3", "p4"] { h.api.failCheck(pool, with: FakeTolokaAPI.forbidden) }
        let summary = try await h.run(pools: ["p1", "p2", "p3", "p4", "p5"])
        #expect(summary.failed.map(\.pool) == ["p2", "p3", "p4"])
        #expect(summary.failed.allSatisfy { $0.reason == "no access to pool \($0.pool) (403)" })
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
        #expect(h.api.calls == ["check p1"])
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
        #expect(h.api.calls == ["check p1", "clone p1"])
        // The clone's fate is unknown: the pool stays "sending" for the next run to reconcile.
        guard case .sending = await run.summary().state["p1"]?.phase else {
            Issue.record("p1 should stay in sending")
            return
        }
    }

    @Test func aServiceThatKeepsFailingEndsTheRun() async throws {
        let h = RunHarness()
        h.api.failCheck(
            "p1", with: .api(status: 503, code: "REMOTE_SERVICE_UNAVAILABLE", message: "", interval: nil, retryAfter: nil))
        await #expect {
            try await h.run(pools: ["p1"])
        } throws: { error in
            guard case RunError.serviceUnavailable(let detail) = error else { return false }
            return detail.hasPrefix("GET /pools/p1: HTTP 503")
        }
        #expect(h.api.cloneCalls.isEmpty)
    }

    // MARK: - Operations

    @Test func aFailedOperationIsRetriedAsANewCloneUpToMaxAttempts() async throws {
        let h = RunHarness()
        h.api.setDefaultClone(.accept(polls: 2, fails: true))
        let summary = try await h.run(pools: ["p1"], configuration: RunHarness.configuration { $0.maxAttempts = 3 })
        #expect(h.api.clones(of: "p1") == 3)
        let operations = h.api.serverClones(of: "p1").map(\.id)
        #expect(operations.count == 3)
        #expect(
            summary.state["p1"]?.phase
                == .failed(
                    reason: "clone operation \(operations[2]) failed: boom (attempt 3 of 3)", operationID: operations[2]))
        #expect(summary.state["p1"]?.failedAttempts == 2)
        #expect(summary.state["p1"]?.operations == operations)
        let requeues = h.journalEvents(of: "p1").filter { $0 == .requeued(pool: "p1", operationFailed: true) }
        #expect(requeues.count == 2)
        #expect(count(h.events) { if case .retrying(pool: "p1", _) = $0 { true } else { false } } == 2)
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
            .listed(pool: "p1"), .sending(pool: "p1", at: t0 - 1000),
            .submitted(pool: "p1", operationID: "op-ghost", at: t0 - 900),
        ])
        let summary = try await h.run(pools: ["p1"], state: state)
        #expect(summary.state["p1"]?.phase == .submitted(operationID: "op-ghost", at: t0 - 900))
        #expect(summary.stop == .unfinishedOperations(count: 1))
        #expect(h.api.cloneCalls.isEmpty)
    }

    @Test func authenticationFailureWhilePollingStopsTheRun() async throws {
        let h = RunHarness()
        let operation = h.api.addServerOperation(pool: "p1", submitted: t0 - 900)
        h.api.setPollError(FakeTolokaAPI.unauthorized)
        let state = JournalState.replaying([
            .listed(pool: "p1"), .sending(pool: "p1", at: t0 - 1000),
            .submitted(pool: "p1", operationID: operation, at: t0 - 900),
        ])
        let (endedByItself, result) = await h.runWatched(h.makeRun(pools: ["p1"], state: state))
        // With nothing queued and p1 in flight the send loop idles; the poll loop's error must still end the run.
        #expect(endedByItself, "the run was still going after an hour of idling")
        #expect(throws: RunError.self) { try result.get() }
        if case .failure(let error) = result {
            #expect({ if case RunError.authentication = error { true } else { false } }())
        }
        #expect(h.api.cloneCalls.isEmpty)
        #expect(h.api.operationCalls.count == 1)
    }

    @Test func aRunThatFailsWhileClonesAreInFlightEndsPromptly() async throws {
        let h = RunHarness()
        h.api.scriptClones("p1", [.accept(polls: 1_000_000)])
        h.api.failCheck(
            "p2", with: .api(status: 503, code: "REMOTE_SERVICE_UNAVAILABLE", message: "", interval: nil, retryAfter: nil))
        let run = h.makeRun(pools: ["p1", "p2"], configuration: RunHarness.configuration { $0.operationTimeout = .seconds(600) })
        let (endedByItself, result) = await h.runWatched(run, patience: 60_000)
        // The send loop's error must end the run at once, not after p1's operation times out (10 minutes).
        #expect(endedByItself, "the run was still polling a minute after the failure")
        #expect(throws: RunError.self) { try result.get() }
        #expect(h.api.clones(of: "p2") == 0)
    }

    @Test func anOperationThatNeverFinishesIsLeftForTheNextRun() async throws {
        let h = RunHarness()
        h.api.setDefaultClone(.accept(polls: 1_000_000))
        let summary = try await h.run(
            pools: ["p1"],
            configuration: RunHarness.configuration {
                $0.operationTimeout = .seconds(30)
                $0.pollInterval = .seconds(1)
            })
        #expect(summary.stop == .unfinishedOperations(count: 1))
        let operation = try #require(h.api.serverClones(of: "p1").first)
        #expect(summary.state["p1"]?.phase == .submitted(operationID: operation.id, at: operation.submitted))
        #expect((10...40).contains(operation.polls), "\(operation.polls) polls")
        #expect(h.clock.nowMilliseconds - t0 >= 30_000)
        #expect(h.events.contains { if case .warning(let text) = $0 { text.contains("unfinished") } else { false } })
        #expect(h.api.clones(of: "p1") == 1)
    }

    // MARK: - Lost answers and reconciliation

    @Test func aLostAnswerAfterTheServerCommittedIsAdoptedNotResent() async throws {
        let h = RunHarness()
        h.api.scriptClones("p1", [.lostAfterCommit(polls: 2)])
        let summary = try await h.run(pools: ["p1", "p2"])
        #expect(h.api.clones(of: "p1") == 1)
        #expect(h.api.serverClones(of: "p1").count == 1)
        let operation = try #require(h.api.serverClones(of: "p1").first)
        #expect(summary.state["p1"]?.phase == .done(newPoolID: operation.newPoolID, operationID: operation.id))
        let sentAt = try #require(sendingTimes(h.journalEvents(of: "p1")).first)
        #expect(h.api.listQueries.first == OperationQuery(submittedAtOrAfter: sentAt - 300_000))
        #expect(h.events.contains(.reconciled(pool: "p1", operationID: operation.id)))
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
        #expect(calls[1].at - calls[0].at >= 120_000)
        #expect(h.events.contains(.reconciled(pool: "p1", operationID: nil)))
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
        h.api.scriptClones("p1", [.lostAfterCommit(error: .unexpectedResponse(status: 202, snippet: "<html>"))])
        let summary = try await h.run(pools: ["p1"])
        #expect(h.api.clones(of: "p1") == 1)
        #expect(summary.cloned == 1)
    }

    @Test func aFailingOperationListEndsTheRunAndLeavesThePoolToReconcileLater() async throws {
        let h = RunHarness()
        h.api.scriptClones("p1", [.lostAfterCommit()])
        h.api.setListError(.api(status: 503, code: "REMOTE_SERVICE_UNAVAILABLE", message: "", interval: nil, retryAfter: nil))
        let run = h.makeRun(pools: ["p1", "p2"])
        await #expect {
            try await run.run()
        } throws: { error in
            guard case RunError.serviceUnavailable(let detail) = error else { return false }
            return detail.hasPrefix("GET /operations: HTTP 503")
        }
        #expect(h.api.clones(of: "p1") == 1)
        #expect(h.api.clones(of: "p2") == 0)
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
        for pool in ["x1", "x2", "x3"] { h.api.addServerOperation(pool: pool, submitted: t0) }
        h.api.addServerOperation(pool: "p1", submitted: t0, type: "POOL.OPEN")
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
        h.api.setServerSkew(-100_000)
        h.api.scriptClones("p1", [.lostAfterCommit()])
        let summary = try await h.run(pools: ["p1"])
        let operation = try #require(h.api.serverClones(of: "p1").first)
        let sentAt = try #require(sendingTimes(h.journalEvents(of: "p1")).first)
        #expect(operation.submitted < sentAt)
        #expect(h.api.clones(of: "p1") == 1)
        #expect(summary.state["p1"]?.phase == .done(newPoolID: operation.newPoolID, operationID: operation.id))
        #expect(h.journalEvents(of: "p1").contains(.submitted(pool: "p1", operationID: operation.id, at: operation.submitted)))
    }

    @Test func aServerClockBeyondTheSkewAllowanceIsNotMatched() async throws {
        let h = RunHarness()
        h.api.setServerSkew(-100_000)
        h.api.scriptClones("p1", [.lostAfterCommit()])
        let summary = try await h.run(pools: ["p1"], configuration: RunHarness.configuration { $0.clockSkew = .seconds(60) })
        let sentAt = try #require(sendingTimes(h.journalEvents(of: "p1")).first)
        #expect(h.api.listQueries.first?.submittedAtOrAfter == sentAt - 60_000)
        // Not found within a minute: sent again (the first copy exists on the server, as designed).
        #expect(h.api.clones(of: "p1") == 2)
        #expect(summary.cloned == 1)
    }

    // MARK: - Resume

    @Test func resumeLeavesDonePoolsPollsSubmittedOnesAndReconcilesSendingOnesFirst() async throws {
        let h = RunHarness(log: SendLog(sends: [t0 - 60_000, t0 - 20_000, t0 - 5000]))
        let operationB = h.api.addServerOperation(pool: "B", submitted: t0 - 20_000, polls: 2)
        let operationC = h.api.addServerOperation(pool: "C", submitted: t0 - 4000)
        let state = JournalState.replaying([
            .listed(pool: "A"), .listed(pool: "B"), .listed(pool: "C"), .listed(pool: "D"), .listed(pool: "E"),
            .sending(pool: "A", at: t0 - 60_000), .submitted(pool: "A", operationID: "op-a", at: t0 - 59_000),
            .done(pool: "A", newPoolID: "new-a", operationID: "op-a"),
            .sending(pool: "B", at: t0 - 20_000), .submitted(pool: "B", operationID: operationB, at: t0 - 20_000),
            .sending(pool: "C", at: t0 - 5000),
            .failed(pool: "E", reason: "gone", operationID: nil),
        ])
        let summary = try await h.run(pools: ["A", "B", "C", "D", "E"], state: state)

        #expect(h.events.first == .started(total: 5, alreadyDone: 1, alreadyFailed: 1, toDo: 3))
        #expect(!h.api.calls.contains { $0.hasSuffix(" A") || $0.hasSuffix(" E") || $0 == "poll op-a" })
        #expect(h.api.clones(of: "B") == 0 && h.api.checks(of: "B") == 0)
        #expect(h.api.operationCalls.filter { $0 == operationB }.count == 2)
        #expect(h.api.clones(of: "C") == 0)
        #expect(h.api.clones(of: "D") == 1)
        #expect(h.api.cloneCalls.count == 1)
        let firstList = try #require(h.api.calls.firstIndex(of: "list"))
        let firstClone = try #require(h.api.calls.firstIndex(of: "clone D"))
        #expect(firstList < firstClone)
        #expect(h.api.listQueries.first?.submittedAtOrAfter == t0 - 5000 - 300_000)

        #expect(summary.state["A"]?.phase == .done(newPoolID: "new-a", operationID: "op-a"))
        #expect(summary.state["B"]?.phase == .done(newPoolID: "new-B-\(operationB)", operationID: operationB))
        #expect(summary.state["C"]?.phase == .done(newPoolID: "new-C-\(operationC)", operationID: operationC))
        #expect(summary.state["E"]?.phase == .failed(reason: "gone", operationID: nil))
        #expect(
            h.journalEvents(of: "C") == [
                .submitted(pool: "C", operationID: operationC, at: t0 - 4000),
                .done(pool: "C", newPoolID: "new-C-\(operationC)", operationID: operationC),
            ])
        #expect(h.journalEvents(of: "A").isEmpty && h.journalEvents(of: "E").isEmpty)
        #expect(summary.clonesSent == 1 && summary.clonedNow == 3)
        #expect(summary.state == h.replayedJournal(from: state))
        #expect(h.ledgerSends.count == 4)
    }

    @Test func aSendingPoolThatNeverReachedTheServerIsSentOnResume() async throws {
        let h = RunHarness()
        let state = JournalState.replaying([.listed(pool: "C"), .sending(pool: "C", at: t0 - 5000)])
        let summary = try await h.run(pools: ["C"], state: state)
        #expect(h.api.clones(of: "C") == 1)
        // The window runs from the journaled intent.
        #expect(try #require(h.api.cloneCalls.first).at >= t0 - 5000 + 120_000)
        #expect(h.journalEvents(of: "C").first == .requeued(pool: "C", operationFailed: true))
        #expect(summary.cloned == 1)
    }

    @Test func journalPoolsMissingFromTheCSVAreLeftAloneWithAWarning() async throws {
        let h = RunHarness()
        let state = JournalState.replaying([.listed(pool: "old")])
        let summary = try await h.run(pools: ["p1"], state: state)
        #expect(h.events.contains(.warning("1 pool(s) of the journal are no longer in the CSV and are left alone: old")))
        #expect(!h.api.calls.contains { $0.hasSuffix("old") })
        #expect(summary.pools == ["p1"])
        #expect(summary.state["old"]?.phase == .pending)
    }

    @Test func retryFailedRequeuesFailedPools() async throws {
        let state = JournalState.replaying([
            .listed(pool: "p1"), .listed(pool: "p2"),
            .failed(pool: "p1", reason: "gone", operationID: nil),
            .sending(pool: "p2", at: t0 - 1000), .submitted(pool: "p2", operationID: "op-x", at: t0 - 1000),
            .done(pool: "p2", newPoolID: "n2", operationID: "op-x"),
        ])
        let without = RunHarness()
        let kept = try await without.run(pools: ["p1", "p2"], state: state)
        #expect(without.api.calls.isEmpty)
        #expect(kept.failed.map(\.pool) == ["p1"])
        #expect(without.events.first == .started(total: 2, alreadyDone: 1, alreadyFailed: 1, toDo: 0))

        let with = RunHarness()
        let retried = try await with.run(
            pools: ["p1", "p2"], state: state, configuration: RunHarness.configuration { $0.retryFailed = true })
        #expect(with.journal.events.first == .requeued(pool: "p1", operationFailed: false))
        #expect(with.api.checks(of: "p1") == 1 && with.api.clones(of: "p1") == 1)
        #expect(with.api.clones(of: "p2") == 0)
        #expect(retried.cloned == 2 && retried.failed.isEmpty)
        #expect(with.events.first == .started(total: 2, alreadyDone: 1, alreadyFailed: 0, toDo: 1))
    }

    // MARK: - Limits

    @Test func a429BlocksTheLedgerAndThePoolIsSentLater() async throws {
        let h = RunHarness()
        h.api.scriptClones("p1", [.error(FakeTolokaAPI.tooManyRequests)])
        let configuration = RunHarness.configuration {
            $0.limits = [RateLimit(count: 20, window: .seconds(60))]
            $0.margin = .zero
        }
        let summary = try await h.run(pools: ["p1", "p2"], configuration: configuration)
        #expect(h.api.clones(of: "p1") == 2)
        let calls = h.api.cloneCalls
        try #require(calls.count == 3)
        #expect(calls.map(\.pool) == ["p1", "p1", "p2"])
        let until = try #require(
            h.events.compactMap { event -> Int64? in
                if case .rateLimited(pool: "p1", interval: "MIN", let until) = event { until } else { nil }
            }.first)
        #expect(until >= calls[0].at + 60_000)
        #expect(calls[1].at >= until && calls[2].at >= until)
        #expect(
            h.journalEvents(of: "p1").map { "\($0)".prefix(while: { $0 != "(" }) } == [
                "listed", "sending", "requeued", "sending", "submitted", "done",
            ])
        #expect(h.journalEvents(of: "p1")[2] == .requeued(pool: "p1", operationFailed: false))
        #expect(summary.cloned == 2 && summary.clonesSent == 3)
        #expect(h.ledgerSends.count == 3)  // the refused send counts too
    }

    @Test func a429RetryAfterSetsTheBlock() async throws {
        let h = RunHarness()
        h.api.scriptClones(
            "p1", [.error(.api(status: 429, code: "TOO_MANY_REQUESTS", message: "", interval: "MIN", retryAfter: 5))])
        let summary = try await h.run(pools: ["p1"])
        let calls = h.api.cloneCalls
        try #require(calls.count == 2)
        let until = try #require(
            h.events.compactMap { event -> Int64? in
                if case .rateLimited(pool: "p1", _, let until) = event { until } else { nil }
            }.first)
        #expect(until - calls[0].at >= 5000 && until - calls[0].at < 10_000)
        #expect(calls[1].at >= until && calls[1].at < calls[0].at + 60_000)
        #expect(summary.cloned == 1)
    }

    @Test func aDaily429BeyondMaxWaitStopsWithTheResumeTime() async throws {
        let h = RunHarness()
        h.api.scriptClones(
            "p1", [.error(.api(status: 429, code: "TOO_MANY_REQUESTS", message: "", interval: "DAY", retryAfter: nil))])
        let summary = try await h.run(pools: ["p1", "p2"])
        let until = try #require(
            h.events.compactMap { event -> Int64? in
                if case .rateLimited(_, "DAY", let until) = event { until } else { nil }
            }.first)
        #expect(until >= h.api.cloneCalls[0].at + 86_401_000)
        #expect(summary.stop == .limit(resumeAt: until))
        #expect(h.api.cloneCalls.count == 1)
        #expect(summary.state["p1"]?.phase == .pending && summary.state["p2"]?.phase == .pending)
    }

    @Test func theWindowOfA429Interval() {
        let machine = BatchRunStateMachine(pools: [], state: JournalState(), configuration: RunHarness.configuration())
        #expect(machine.blockSpan(of: "MIN") == 61_000)
        #expect(machine.blockSpan(of: nil) == 61_000)
        #expect(machine.blockSpan(of: "DAY") == 86_401_000)
    }

    @Test func a429NamingAWindowLongerThanAnyConfiguredOneBlocksForThatWindow() async {
        // Toloka's 429 names MIN, HOUR or DAY. With the default 20/min + 100/day, an HOUR answer means a
        // limit we do not model is full: blocking for only the minute span sends into it again.
        let machine = BatchRunStateMachine(pools: [], state: JournalState(), configuration: RunHarness.configuration())
        let minuteOnly = BatchRunStateMachine(
            pools: [], state: JournalState(),
            configuration: RunHarness.configuration {
                $0.limits = [RateLimit(count: 20, window: .seconds(60))]
            })
        let hour = machine.blockSpan(of: "HOUR")
        let day = minuteOnly.blockSpan(of: "DAY")
        #expect(hour >= 3_600_000)
        #expect(day >= 86_400_000)
    }

    @Test func beyondMaxWaitTheRunStopsAndUnsentPoolsStayPending() async throws {
        let h = RunHarness()
        let configuration = RunHarness.configuration {
            $0.limits = [RateLimit(count: 2, window: .seconds(60))]
            $0.margin = .zero
            $0.maxWait = .seconds(10)
        }
        let summary = try await h.run(pools: ["p1", "p2", "p3", "p4"], configuration: configuration)
        #expect(h.api.cloneCalls.map(\.pool) == ["p1", "p2"])
        let first = try #require(h.ledgerSends.first)
        #expect(summary.stop == .limit(resumeAt: first + 60_000))
        #expect(h.events.contains(.stoppedAtLimit(resumeAt: first + 60_000)))
        #expect(summary.cloned == 2 && summary.clonesSent == 2)
        #expect(summary.state["p3"]?.phase == .pending && summary.state["p4"]?.phase == .pending)
        #expect(h.journalEvents(of: "p3") == [.listed(pool: "p3")])
        #expect(summary.unsettled == 2)
        #expect(ResultsFile.render(pools: ["p3"], state: summary.state).hasSuffix("\np3,,,pending,\n"))
    }

    @Test func progressSnapshotsFollowTheLedger() async throws {
        let h = RunHarness()
        let configuration = RunHarness.configuration {
            $0.limits = [RateLimit(count: 2, window: .seconds(60))]
            $0.margin = .zero
            $0.maxWait = .seconds(10)
        }
        let summary = try await h.run(pools: ["p1", "p2", "p3", "p4"], configuration: configuration)
        let snapshots = h.events.compactMap { event -> RunProgress? in if case .progress(let p) = event { p } else { nil } }
        try #require(snapshots.count == 3)
        let sends = h.ledgerSends
        try #require(sends.count == 2)
        #expect(snapshots.allSatisfy { $0.total == 4 && $0.failed == 0 })
        // After the first slot: one used of two, three pools left, the last at the next window.
        #expect(snapshots[0].limits.map(\.used) == [1])
        #expect(snapshots[0].inFlight == 1)
        #expect(snapshots[0].nextSlot == sends[0])
        #expect(snapshots[0].lastSend == sends[0] + 60_000)
        // Refused: the window is full until the first send leaves it.
        #expect(snapshots[2].limits.map(\.used) == [2])
        #expect(snapshots[2].limits.map(\.remaining) == [0])
        #expect(snapshots[2].nextSlot == sends[0] + 60_000)
        #expect(summary.stop == .limit(resumeAt: snapshots[2].nextSlot))
        #expect(snapshots[2].lastSend == sends[1] + 60_000)
    }

    @Test func withoutMaxWaitTheRunWaitsForTheWindow() async throws {
        let h = RunHarness()
        let configuration = RunHarness.configuration {
            $0.limits = [RateLimit(count: 2, window: .seconds(60))]
            $0.margin = .zero
            $0.maxWait = nil
        }
        let summary = try await h.run(pools: ["p1", "p2", "p3", "p4", "p5"], configuration: configuration)
        #expect(summary.stop == nil && summary.cloned == 5)
        let sends = h.ledgerSends
        #expect(sends[2] >= sends[0] + 60_000 && sends[4] >= sends[2] + 60_000)
        #expect(h.events.contains { if case .waiting = $0 { true } else { false } })
    }

    @Test func recordedSendsObeyEveryLimitIncludingAnotherRunsSends() async throws {
        let earlier: [Int64] = [t0 - 500, t0 - 400, t0 - 300]
        let h = RunHarness(log: SendLog(sends: earlier))
        let configuration = RunHarness.configuration {
            $0.limits = [RateLimit(count: 3, window: .seconds(1)), RateLimit(count: 5, window: .seconds(10))]
            $0.margin = .milliseconds(20)
            $0.operationTimeout = .seconds(1_000_000)
        }
        h.api.setDefaultClone(.accept(polls: 2))
        let pools = (1...15).map { "p\($0)" }
        let summary = try await h.run(pools: pools, configuration: configuration)
        #expect(summary.cloned == 15 && summary.clonesSent == 15)
        let sends = h.ledgerSends
        #expect(sends.count == 18)
        #expect(Array(sends.prefix(3)) == earlier)
        #expect(LimitChecks.violations(sends, count: 3, span: 1020).isEmpty)
        #expect(LimitChecks.violations(sends, count: 5, span: 10_020).isEmpty)
        #expect(sends[3] >= t0 + 520)
        #expect(sendingTimes(h.journal.events) == Array(sends.dropFirst(3)))
        // Each POST left at or after its recorded slot.
        for (call, slot) in zip(h.api.cloneCalls, sends.dropFirst(3)) { #expect(call.at >= slot) }
        for pool in pools { #expect(h.api.clones(of: pool) == 1) }
    }

    @Test func aSendInTheFutureIsWaitedForWithAWarning() async throws {
        let h = RunHarness(log: SendLog(sends: [TestTime.start + 5000]))
        let summary = try await h.run(pools: ["p1"])
        #expect(h.events.contains { if case .warning(let text) = $0 { text.contains("in the future") } else { false } })
        #expect(try #require(h.ledgerSends.last) >= t0 + 5000)
        #expect(h.ledgerSends.count == 2)
        #expect(summary.cloned == 1)
    }

    // MARK: - Busy pools, interruption

    @Test func aBusyPoolIsRetriedLater() async throws {
        let h = RunHarness()
        let busy = TolokaError.api(
            status: 409, code: "POOL_LOCKED_BY_ANOTHER_OPERATION", message: "", interval: nil, retryAfter: nil)
        h.api.scriptClones("p1", [.error(busy), .error(busy)])
        let summary = try await h.run(pools: ["p1"])
        let times = h.api.cloneCalls.map(\.at)
        try #require(times.count == 3)
        #expect(times[1] - times[0] >= 5000 && times[2] - times[1] >= 5000)
        #expect(summary.cloned == 1)
        #expect(h.journalEvents(of: "p1").filter { $0 == .requeued(pool: "p1", operationFailed: false) }.count == 2)

        let stubborn = RunHarness()
        stubborn.api.setDefaultClone(.error(busy))
        let given = try await stubborn.run(pools: ["p1"], configuration: RunHarness.configuration { $0.maxBusyRetries = 1 })
        #expect(stubborn.api.clones(of: "p1") == 2)
        #expect(given.failed.first?.reason.hasPrefix("pool p1 stayed busy (409) after 2 tries") == true)
    }

    @Test func cancellationEndsTheRunAsInterrupted() async throws {
        let h = RunHarness()
        h.api.setDefaultClone(.accept(polls: 1_000_000))
        let run = h.makeRun(pools: ["p1"], configuration: RunHarness.configuration { $0.operationTimeout = .seconds(1_000_000) })
        let task = Task { try await run.run() }
        var spins = 0
        while h.api.operationCalls.count < 3 && spins < 1_000_000 {
            spins += 1
            await Task.yield()
        }
        task.cancel()
        let summary = try await task.value
        #expect(summary.stop == .interrupted)
        #expect(summary.state["p1"]?.phase.isSettled == false)
        #expect(h.api.clones(of: "p1") == 1)
    }

    @Test func configurationLedgerUsesLimitsAndMargin() {
        var configuration = RunConfiguration()
        #expect(configuration.ledger().limits.map(\.span) == [61_000, 86_401_000])
        configuration.limits = [RateLimit(count: 1, window: .seconds(5))]
        configuration.margin = .milliseconds(7)
        let ledger = configuration.ledger(SendLog(sends: [1]))
        #expect(ledger.limits.map(\.span) == [5007])
        #expect(ledger.log.sends == [1])
    }
}
