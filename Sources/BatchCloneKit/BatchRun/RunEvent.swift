/// What a run reports as it goes, for progress lines and `--json` events.
public enum RunEvent: Sendable, Equatable {
    /// The batch: its work items (a clone per copy of each source), its sources, already settled, to do now.
    case started(total: Int, sources: Int, alreadyDone: Int, alreadyFailed: Int, toDo: Int)
    /// Something the user should know that does not stop the run (a journal pool no longer listed,
    /// a listing that failed, an operation left unfinished...).
    case warning(String)
    /// Waiting for a send slot until this instant.
    case waiting(until: LocalInstant)
    /// A clone was accepted.
    case submitted(item: WorkItem, operationID: String)
    /// A clone finished.
    case cloned(item: WorkItem, newPoolID: String?, operationID: String)
    /// A step after the clone is done (`set FIELD=VALUE`, several joined by `; ` for one edit, or `open`).
    case stepDone(item: WorkItem, step: String, newID: String)
    /// After a step: the clones with an edit done and those opened, earlier runs included, as the
    /// closing summary counts them; keeps the live line current between snapshots.
    case stepsCounted(edited: Int, opened: Int)
    /// A work item failed for good.
    case failed(item: WorkItem, failure: PoolFailure)
    /// A work item will be tried again.
    case retrying(item: WorkItem, reason: RetryReason)
    /// A clone whose answer was lost was found on the server (or not).
    case reconciled(item: WorkItem, operationID: String?)
    /// The server said a limit is full (429): every send of the account waits for `block`.
    case rateLimited(item: WorkItem, block: ServerBlock)
    /// Sending stopped because the next slot is beyond `--max-wait`.
    case stoppedAtLimit(resumeAt: LocalInstant)
    /// The account's operation list showed `count` clones within `window` that this ledger did not
    /// know: made in the web UI, by other machines or tools. They now count.
    case foreignClones(count: Int, window: Duration)
    /// A progress snapshot, after each decision of the ledger.
    case progress(RunProgress)
}
