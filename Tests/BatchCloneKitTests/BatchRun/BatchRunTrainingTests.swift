import BatchCloneTestSupport
import Testing

@testable import BatchCloneKit

/// Issue 21: a run of trainings goes through the same machine as pools, on the trainings' own
/// endpoint, operation type and ledger log.
@Suite struct BatchRunTrainingTests {
    @Test func aTrainingRunClonesThroughItsTargetAndCountsInItsOwnLog() async throws {
        let clock = WarpClock(epochMilliseconds: TestTime.start)
        let api = FakeTolokaAPI(clock: clock)
        api.setDefaultClone(.accept(polls: 2))
        let trainings = InMemoryLedgerStore(target: .training)
        let journal = InMemoryJournal()
        let items = ["t1", "t2", "t3"].map { WorkItem(.training, source: $0) }
        var configuration = RunConfiguration()
        configuration.checkLookahead = 1
        configuration.listPollMinimum = .max
        let run = BatchRun(
            items: items,
            state: JournalState(),
            api: api,
            ledger: trainings,
            journal: journal,
            clock: clock,
            configuration: configuration
        )
        let summary = try await run.run()

        #expect(summary.cloned == 3 && summary.failed.isEmpty)
        #expect(api.serverOperations.map(\.type) == Array(repeating: "TRAINING.CLONE", count: 3))
        #expect(api.checkCalls == ["t1", "t2", "t3"])
        let log = try trainings.read()
        #expect(log.sends.count == 3)
        #expect(log.pending.isEmpty)
        #expect(Set(log.links.values.map(\.target)) == ["training"])
        #expect(Set(log.links.values.map(\.source)) == ["t1", "t2", "t3"])
        // The journal keys trainings apart from pools of the same ID.
        #expect(Set(journal.events.map(\.pool)) == ["training:t1", "training:t2", "training:t3"])
        // The account view asked for training clones only.
        let listed = api.calls.compactMap { call -> String? in
            if case .list(let query) = call { query.type } else { nil }
        }
        #expect(!listed.isEmpty && listed.allSatisfy { $0 == "TRAINING.CLONE" })
    }
}
