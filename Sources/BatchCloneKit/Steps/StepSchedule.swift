/// What the steps after the clone leave to do, for `--dry-run`: how many work items still have a
/// step, and how the overlap limit paces the edits that change an overlap value.
public struct StepSchedule: Sendable, Equatable {
    /// Work items with a step left: those still to clone, and clones whose steps are not all done.
    public var itemsWithSteps: Int
    /// Of those, the items whose edit changes an overlap value (paced by the overlap limit).
    public var overlapEdits: Int
    /// When the last overlap edit can go at the earliest, at the overlap limit's pace from now.
    public var lastOverlapEdit: LocalInstant?

    /// A schedule of these figures.
    public init(itemsWithSteps: Int, overlapEdits: Int, lastOverlapEdit: LocalInstant?) {
        self.itemsWithSteps = itemsWithSteps
        self.overlapEdits = overlapEdits
        self.lastOverlapEdit = lastOverlapEdit
    }

    /// The schedule of `steps` over `list`'s work items, given the journal `state`.
    public init(
        list: PoolList,
        state: JournalState?,
        steps: StepPlan,
        overlapLimits: [RateLimit],
        retryFailed: Bool,
        now: LocalInstant
    ) {
        var items = 0
        var overlap = 0
        if !steps.isEmpty {
            list.forEachItem { item in
                let record = state?[item.journalKey]
                let done = record?.stepsDone ?? []
                let due: Bool
                switch record?.phase ?? .pending {
                case .done: due = steps.hasPending(done: done) && (record?.stepFailure == nil || retryFailed)
                case .failed: due = retryFailed
                case .pending, .sending, .submitted: due = true
                }
                guard due else { return }
                items += 1
                if StepPlan.changesOverlap(steps.pendingSets(done: done)) { overlap += 1 }
            }
        }
        itemsWithSteps = items
        overlapEdits = overlap
        let pace = RateLimitLedger(limits: overlapLimits, minimumRetention: .zero)
        lastOverlapEdit = pace.projectedSends(count: overlap, now: .sameClock(now)).last?.sameClockLocal
    }
}
