import BatchCloneTestSupport
import Testing

@testable import BatchCloneKit

/// The normal path of a run: checks before clones, one clone per pool, events in order; busy pools.
@Suite struct BatchRunSendingTests {
    /// Reads until each accepted clone's operation finishes.
    static let pollsToFinish = 3
    /// Pools checked at once once access is confirmed.
    static let lookahead = 4
    /// The pause before a busy (409) pool is sent again.
    static let busyRetryDelay: Int64 = 5 * TestTime.second

    @Test func everyPoolIsClonedOnceWithItsEventsInOrder() async throws {
        let h = RunHarness()
        h.api.setDefaultClone(.accept(polls: Self.pollsToFinish))
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
            #expect(operation.polls == Self.pollsToFinish)
            let events = h.journalEvents(of: pool)
            try #require(events.count == 4, "\(events)")
            #expect(events[0] == .listed(pool: pool))
            guard case .sending = events[1] else { Issue.record("\(events[1]) is not sending"); continue }
            #expect(
                events[2]
                    == .submitted(
                        pool: pool,
                        operationID: operation.id,
                        at: ServerInstant(epochMilliseconds: operation.submitted)
                    )
            )
            #expect(events[3] == .done(pool: pool, newPoolID: operation.newPoolID, operationID: operation.id))
        }
        #expect(h.replayedJournal() == .success(summary.state))
        #expect(h.ledgerSends == h.sendingTimes())
        #expect(h.ledgerSends.count == 3)
        // A pool is checked before its clone, and never cloned before it is checked.
        #expect(h.api.calls.filter { !$0.isPoll }.prefix(2) == [.check("p1"), .clone("p1")])

        let events = h.events
        #expect(events.first == .started(total: 3, sources: 3, alreadyDone: 0, alreadyFailed: 0, toDo: 3))
        for pool in pools {
            let operation = try #require(h.api.serverClones(of: pool).first)
            #expect(events.contains(.submitted(item: WorkItem(source: pool), operationID: operation.id)))
            #expect(
                events.contains(
                    .cloned(item: WorkItem(source: pool), newPoolID: operation.newPoolID, operationID: operation.id)
                )
            )
        }
        #expect(
            ResultsFile.render(items: pools.map { WorkItem(source: $0) }, state: summary.state) == """
                source_pool_id,new_pool_id,operation_id,status,error,target,copy,steps
                p1,new-p1-op-00001,op-00001,cloned,,pool,1,
                p2,new-p2-op-00002,op-00002,cloned,,pool,1,
                p3,new-p3-op-00003,op-00003,cloned,,pool,1,

                """
        )
    }

    @Test func summaryAfterTheRunMatchesTheRunsAnswer() async throws {
        let h = RunHarness()
        let run = h.makeRun(pools: ["a", "b"])
        let answer = try await run.run()
        #expect(await run.summary() == answer)
        #expect(answer.items == ["a", "b"])
    }

    @Test func poolsAreCheckedAheadOfTheirTurnAndFailuresStillCountInOrder() async throws {
        let h = RunHarness()
        h.api.failCheck("p2", with: FakeTolokaAPI.missing)
        let pools = (1...6).map { "p\($0)" }
        let summary = try await h.run(
            pools: pools,
            configuration: RunHarness.configuration { $0.checkLookahead = Self.lookahead }
        )

        #expect(summary.cloned == 5)
        #expect(summary.failed.map(\.item) == ["p2"])
        #expect(h.failures == [.doesNotExist(pool: "p2", on: .check, error: FakeTolokaAPI.missing)])
        #expect(pools.allSatisfy { h.api.checks(of: $0) == 1 })
        #expect(h.api.clones(of: "p2") == 0)
        // The first check goes alone (it confirms access), then four at once ahead of the clones;
        // every clone still follows its own check.
        let calls = h.api.calls.filter { !$0.isPoll }
        #expect(calls.prefix(2) == [.check("p1"), .clone("p1")])
        #expect(Set(calls.dropFirst(2).prefix(Self.lookahead).compactMap(\.pool)) == ["p2", "p3", "p4", "p5"])
        #expect(calls.dropFirst(2).prefix(Self.lookahead).allSatisfy { if case .check = $0 { true } else { false } })
        for pool in pools where pool != "p2" {
            let checkIndex = try #require(calls.firstIndex(of: .check(pool)))
            let cloneIndex = try #require(calls.firstIndex(of: .clone(pool)))
            #expect(checkIndex < cloneIndex)
        }
    }

    @Test func aBusyPoolIsRetriedLater() async throws {
        let h = RunHarness()
        h.api.scriptClones("p1", [.error(FakeTolokaAPI.busy), .error(FakeTolokaAPI.busy)])
        let summary = try await h.run(pools: ["p1"])
        let times = h.api.cloneCalls.map(\.at)
        try #require(times.count == 3)
        #expect(times[1] - times[0] >= Self.busyRetryDelay && times[2] - times[1] >= Self.busyRetryDelay)
        #expect(summary.cloned == 1)
        #expect(h.journalEvents(of: "p1").filter { $0 == .requeued(pool: "p1", operationFailed: false) }.count == 2)
        #expect(h.retries(of: "p1") == [.busy, .busy])

        let stubborn = RunHarness()
        stubborn.api.setDefaultClone(.error(FakeTolokaAPI.busy))
        let given = try await stubborn.run(
            pools: ["p1"],
            configuration: RunHarness.configuration { $0.maxBusyRetries = 1 }
        )
        #expect(stubborn.api.clones(of: "p1") == 2)
        #expect(stubborn.failures == [.stayedBusy(pool: "p1", tries: 2, error: FakeTolokaAPI.busy)])
        #expect(given.failed.map(\.reason) == stubborn.failures.map(\.description))
    }
}
