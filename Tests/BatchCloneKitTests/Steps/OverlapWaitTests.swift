import BatchCloneTestSupport
import Foundation
import Testing

@testable import BatchCloneKit

/// Issue 21: a refused overlap slot holds the edits that set an overlap value, and only those.
@Suite struct OverlapWaitTests {
    private let t0 = TestTime.start
    private let overlap = "defaults.default_overlap_for_new_tasks=5"

    /// 7's overlap edit is done (its open is left); 8's is not.
    private func machine() throws -> BatchRunStateMachine {
        let set = try SetOption(overlap)
        var state = BatchRunStepsTests.cloned(["7", "8"])
        #expect(state.apply(.stepDone(pool: "7", step: set.stepKey)) == nil)
        var machine = BatchRunStateMachine(
            items: ["7", "8"],
            state: state,
            configuration: try BatchRunStepsTests.configuration(sets: [overlap], open: true)
        )
        _ = machine.start(now: t0)
        return machine
    }

    @Test func aRefusedSlotHoldsOverlapEditsUntilItsInstantWhileOtherStepsGoOn() throws {
        var machine = try machine()
        #expect(machine.nextStep(now: t0) == .open("7", newID: "70"))
        machine.overlapSlotRefused(until: t0 + 10_000)
        machine.overlapSlotRefused(until: t0 + 5_000)
        #expect(machine.overlapWaitUntil == t0 + 10_000)
        #expect(machine.nextStep(now: t0) == .open("7", newID: "70"))
        _ = machine.openAnswered("7", .success(nil), now: t0)
        guard case .sleep(let until) = machine.nextStep(now: t0), until <= t0 + 10_000 else {
            Issue.record("the held overlap edit was not slept on")
            return
        }
        #expect(machine.nextStep(now: t0 + 10_000) == .edit("8", newID: "80", sets: [try SetOption(overlap)]))
    }

    @Test func a429OnAnOverlapEditHoldsEveryOverlapEditAndBlocksTheOverlapLog() throws {
        var machine = try machine()
        let limited = TolokaError.api(
            status: 429,
            code: "TOO_MANY_REQUESTS",
            message: "",
            interval: "HOUR",
            retryAfter: 90
        )
        let actions = machine.edited("8", sets: [try SetOption(overlap)], .failure(.api(limited)), now: t0)
        #expect(actions.contains(.blockOverlapLog(until: t0 + 90_000)))
        #expect(machine.overlapWaitUntil == t0 + 90_000)
    }
}
