import BatchCloneTestSupport
import Testing

@testable import BatchCloneKit

/// The clones and steps the live line shows, counted as the closing summary counts them, one
/// journal event at a time.
@Suite struct StepProgressTests {
    static func cloned(_ pool: String, new: String, _ extra: [JournalEvent]) -> JournalState {
        BatchRunStepsTests.cloned(pool, new: new, extra: extra)
    }

    @Test func theStartCountsWhatEarlierRunsDidAsTheSummaryDoes() {
        var state = Self.cloned(
            "7",
            new: "70",
            [.stepDone(pool: "7", step: "set a=1"), .stepDone(pool: "7", step: "open")]
        )
        for event: JournalEvent in [
            .listed(pool: "8"), .sending(pool: "8", at: LedgerInstant(epochMilliseconds: 1)),
            .submitted(pool: "8", operationID: "op-8", at: ServerInstant(epochMilliseconds: 2)),
            .done(pool: "8", newPoolID: "80", operationID: "op-8"), .stepDone(pool: "8", step: "set b=2"),
            .listed(pool: "9"), .listed(pool: "unlisted"),
        ] {
            #expect(state.apply(event) == nil)
        }
        let items: [WorkItem] = ["7", "8", "9"]
        let tally = ProgressTally(items: items, journal: state)
        let summary = RunSummary(state: state, items: items, clonedNow: 0, clonesSent: 0, stop: nil)
        #expect(tally.cloned == 2 && tally.cloned == summary.cloned)
        #expect(tally.edited == 2 && tally.opened == 1)
        #expect(summary.stepCounts == (edited: 2, opened: 1))
    }

    @Test func anItemCountsAsEditedOnceWhateverItsEditsAndOpenedOnce() {
        var state = Self.cloned("7", new: "70", [.stepDone(pool: "7", step: "set a=1")])
        var tally = ProgressTally(items: ["7"], journal: state)
        #expect(tally.edited == 1)
        // A re-run that adds two --set: one more edit of an item already edited.
        for event: JournalEvent in [
            .stepDone(pool: "7", step: "set b=2"), .stepDone(pool: "7", step: "set c=3"),
            .stepDone(pool: "7", step: "open"), .stepDone(pool: "7", step: "open"),
        ] {
            let before = state[event.pool]
            #expect(state.apply(event) == nil)
            tally.count(event, before: before)
        }
        #expect(tally.edited == 1 && tally.opened == 1 && tally.cloned == 1)
    }

    @Test func aCloneCountsWhenItIsRecordedDone() {
        var state = JournalState()
        var tally = ProgressTally(items: ["7"], journal: state)
        for event: JournalEvent in [
            .listed(pool: "7"), .sending(pool: "7", at: LedgerInstant(epochMilliseconds: 1)),
            .submitted(pool: "7", operationID: "op-7", at: ServerInstant(epochMilliseconds: 2)),
        ] {
            let before = state[event.pool]
            #expect(state.apply(event) == nil)
            tally.count(event, before: before)
        }
        #expect(tally.cloned == 0)
        let done = JournalEvent.done(pool: "7", newPoolID: "70", operationID: "op-7")
        let before = state[done.pool]
        #expect(state.apply(done) == nil)
        tally.count(done, before: before)
        #expect(tally.cloned == 1 && tally.edited == 0 && tally.opened == 0)
    }

    @Test func snapshotsAndStepEventsCarryTheCountsOfTheStepsAsked() async throws {
        let h = RunHarness()
        let configuration = try BatchRunStepsTests.configuration(sets: ["private_name=x"], open: true)
        let summary = try await h.run(pools: ["7", "8"], configuration: configuration)
        #expect(summary.stepCounts == (edited: 2, opened: 2))
        let counted = h.events.compactMap { event -> [Int]? in
            if case .stepsCounted(let edited, let opened) = event { [edited, opened] } else { nil }
        }
        // One after each step: the two edits and the two opens, in some order, ending at the summary's.
        #expect(counted.count == 4 && counted.last == [2, 2])
        #expect(zip(counted, counted.dropFirst()).allSatisfy { $0[0] <= $1[0] && $0[1] <= $1[1] })
        let snapshots = h.events.compactMap { event -> RunProgress? in
            if case .progress(let progress) = event { progress } else { nil }
        }
        try #require(!snapshots.isEmpty)
        #expect(snapshots.allSatisfy { $0.edited != nil && $0.opened != nil })
    }

    @Test func snapshotsCountOnlyTheStepsTheRunAsks() async throws {
        let h = RunHarness()
        let configuration = try BatchRunStepsTests.configuration(sets: [], open: true)
        _ = try await h.run(pools: ["7"], configuration: configuration)
        let snapshots = h.events.compactMap { event -> RunProgress? in
            if case .progress(let progress) = event { progress } else { nil }
        }
        try #require(!snapshots.isEmpty)
        #expect(snapshots.allSatisfy { $0.edited == nil && $0.opened != nil })

        let plain = RunHarness()
        _ = try await plain.run(pools: ["7"])
        let plainSnapshots = plain.events.compactMap { event -> RunProgress? in
            if case .progress(let progress) = event { progress } else { nil }
        }
        try #require(!plainSnapshots.isEmpty)
        #expect(plainSnapshots.allSatisfy { $0.edited == nil && $0.opened == nil })
        #expect(!plain.events.contains { if case .stepsCounted = $0 { true } else { false } })
    }
}
