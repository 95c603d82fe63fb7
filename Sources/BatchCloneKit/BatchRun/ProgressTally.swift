/// The run's clones and steps as the closing summary counts them (`RunSummary.cloned` and
/// `stepCounts`), kept up to date one journal event at a time, so that no snapshot scans the items.
struct ProgressTally: Sendable, Equatable {
    /// Items whose clone is done, their steps done or not.
    private(set) var cloned = 0
    /// Items with at least one `--set` applied.
    private(set) var edited = 0
    /// Items opened.
    private(set) var opened = 0

    /// Counts the run's `items` in `journal` once, at the start.
    init(items: [WorkItem], journal: JournalState) {
        for item in items {
            guard let record = journal[item.journalKey] else { continue }
            if case .done = record.phase { cloned += 1 }
            if record.stepsDone.contains(where: Self.isEdit) { edited += 1 }
            if record.stepsDone.contains(StepPlan.openKey) { opened += 1 }
        }
    }

    /// Counts `event`, just applied to the journal; `before` is its item's record before it.
    mutating func count(_ event: JournalEvent, before: PoolRecord?) {
        switch event {
        case .done:
            cloned += 1
        case .stepDone(_, let step):
            let done = before?.stepsDone ?? []
            guard !done.contains(step) else { return }
            if step == StepPlan.openKey {
                opened += 1
            } else if Self.isEdit(step), !done.contains(where: Self.isEdit) {
                edited += 1
            }
        default:
            break
        }
    }

    /// A `--set` step's journal key (`set FIELD=VALUE`).
    static func isEdit(_ step: String) -> Bool { step.hasPrefix("set ") }
}
