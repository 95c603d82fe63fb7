/// The steps after the clone in a run's summary.
extension RunSummary {
    /// Items of the CSV with an edit done, and with their clone opened.
    public var stepCounts: (edited: Int, opened: Int) {
        var counts = (edited: 0, opened: 0)
        for item in items {
            let done = record(of: item)?.stepsDone ?? []
            if done.contains(where: { $0.hasPrefix("set ") }) { counts.edited += 1 }
            if done.contains(StepPlan.openKey) { counts.opened += 1 }
        }
        return counts
    }

    /// `12 of 30 cloned, 9 edited, 7 opened`, when any step was done.
    public var stepsLine: String? {
        let counts = stepCounts
        guard counts.edited + counts.opened > 0 else { return nil }
        return "steps: \(cloned) of \(items.count) cloned, \(counts.edited) edited, \(counts.opened) opened"
    }
}
