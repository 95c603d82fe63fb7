/// What the journal holds durably: the per-item records that replaying its events yields, keyed by
/// each work item's `journalKey`.
///
/// Pure and synchronous; the run's state machine applies each event here as it decides it and the
/// driver makes it durable before any later effect. The run's live stages are `WorkItemTable`'s.
public struct JournalState: Sendable, Equatable {
    /// Journal keys in the order they were listed.
    public private(set) var order: [String] = []
    public private(set) var records: [String: PoolRecord] = [:]

    public init() {}

    /// The record of `pool`, if it is part of the batch.
    public subscript(pool: String) -> PoolRecord? { records[pool] }

    /// Applies one event; returns why not when it is not a legal transition (a tampered journal), else nil.
    public mutating func apply(_ event: JournalEvent) -> JournalViolation? {
        let pool = event.pool
        if case .listed = event {
            if records[pool] == nil {
                records[pool] = PoolRecord()
                order.append(pool)
            }
            return nil
        }
        guard var record = records[pool] else { return .neverListed(pool: pool) }
        switch (event, record.phase) {
        case (.sending(_, let at), .pending):
            record.phase = .sending(at: at)
        case (.submitted(_, let operation, let at), .sending), (.submitted(_, let operation, let at), .pending):
            record.phase = .submitted(operationID: operation, at: at)
            if !record.operations.contains(operation) { record.operations.append(operation) }
        case (.stepDone(_, let step), .done):
            if !record.stepsDone.contains(step) { record.stepsDone.append(step) }
            record.stepFailure = nil
        case (.stepFailed(_, let step, let reason), .done):
            record.stepFailure = StepFailure(step: step, reason: reason)
        case (.done(_, let newPool, let operation), .submitted):
            record.phase = .done(newPoolID: newPool, operationID: operation)
        case (.failed(_, let reason, let operation, let mayExist), _):
            if case .done = record.phase { return .failedAfterDone(pool: pool) }
            record.phase = .failed(reason: reason, operationID: operation)
            record.cloneMayExist = mayExist
        case (.requeued(_, let operationFailed), _):
            if case .done = record.phase { return .requeuedAfterDone(pool: pool) }
            // A failed pool requeued (--retry-failed) starts a fresh set of attempts.
            if case .failed = record.phase {
                record.failedAttempts = 0
                record.cloneMayExist = false
            }
            record.phase = .pending
            if operationFailed { record.failedAttempts += 1 }
        default:
            return .illegalTransition(event: event, from: record.phase)
        }
        records[pool] = record
        return nil
    }
}
