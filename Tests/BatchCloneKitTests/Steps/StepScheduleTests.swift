import Testing

@testable import BatchCloneKit

/// Issue 21: `--dry-run` says which items have steps left and when the overlap limit lets the last
/// overlap edit go.
@Suite struct StepScheduleTests {
    static let now = LocalInstant(epochMilliseconds: 1_796_040_000_000)
    static let hourly = [RateLimit(count: 10, window: .seconds(3600))]

    static func schedule(
        _ list: PoolList,
        state: JournalState? = nil,
        sets: [String],
        open: Bool = false,
        retryFailed: Bool = false
    ) throws -> StepSchedule {
        StepSchedule(
            list: list,
            state: state,
            steps: StepPlan(sets: try sets.map(SetOption.init), open: open),
            overlapLimits: hourly,
            retryFailed: retryFailed,
            now: now
        )
    }

    @Test func withoutStepsNothingIsLeft() throws {
        let schedule = try Self.schedule(PoolList(poolIDs: ["1", "2"]), sets: [])
        #expect(schedule == StepSchedule(itemsWithSteps: 0, overlapEdits: 0, lastOverlapEdit: nil))
    }

    @Test func clonesWithStepsDoneAreLeftAloneAndOthersCount() throws {
        let state = JournalState.replaying([
            .listed(pool: "1"), .sending(pool: "1", at: LedgerInstant(epochMilliseconds: 1)),
            .submitted(pool: "1", operationID: "op-1", at: ServerInstant(epochMilliseconds: 2)),
            .done(pool: "1", newPoolID: "10", operationID: "op-1"),
            .stepDone(pool: "1", step: "set private_name=x"), .stepDone(pool: "1", step: "open"),
            .listed(pool: "2"), .sending(pool: "2", at: LedgerInstant(epochMilliseconds: 3)),
            .submitted(pool: "2", operationID: "op-2", at: ServerInstant(epochMilliseconds: 4)),
            .done(pool: "2", newPoolID: "20", operationID: "op-2"),
            .stepDone(pool: "2", step: "set private_name=x"),
            .listed(pool: "3"), .failed(pool: "3", reason: "404", operationID: nil),
        ])
        let list = PoolList(poolIDs: ["1", "2", "3", "4"])
        // 1 is finished; 2 lacks --open; 3 failed (only with --retry-failed); 4 is still to clone.
        #expect(try Self.schedule(list, state: state, sets: ["private_name=x"], open: true).itemsWithSteps == 2)
        #expect(
            try Self.schedule(list, state: state, sets: ["private_name=x"], open: true, retryFailed: true)
                .itemsWithSteps == 3
        )
        #expect(try Self.schedule(list, state: state, sets: ["private_name=x"]).itemsWithSteps == 1)
    }

    @Test func overlapEditsArePacedByTheOverlapLimitFromNow() throws {
        let list = PoolList(poolIDs: (1...25).map(String.init))
        let schedule = try Self.schedule(list, sets: ["defaults.default_overlap_for_new_tasks=3", "private_name=x"])
        #expect(schedule.itemsWithSteps == 25 && schedule.overlapEdits == 25)
        // 10 an hour (plus the default 1 s margin): edits 21-25 go in the third hour.
        let last = try #require(schedule.lastOverlapEdit)
        #expect(last.epochMilliseconds - Self.now.epochMilliseconds == 2 * 3_601_000)
        let names = try Self.schedule(list, sets: ["private_name=x"])
        #expect(names.overlapEdits == 0 && names.lastOverlapEdit == nil)
    }
}
