/// One durable fact of a batch, appended to the journal as a JSON line.
public enum JournalEvent: Sendable, Equatable {
    /// The pool is part of the batch.
    case listed(pool: String)
    /// A clone POST is about to leave (written before it does); `at` is its slot's grant, the own
    /// send's intent on the ledger's clock.
    case sending(pool: String, at: LedgerInstant)
    /// The server accepted the clone; `at` is the operation's `submitted` stamp, or, when the
    /// answer had none, the instant it arrived on our clock (the machine knows which while it runs).
    case submitted(pool: String, operationID: String, at: ServerInstant)
    /// The clone finished: the new pool (nil when the server did not name it).
    case done(pool: String, newPoolID: String?, operationID: String)
    /// The pool is given up; `cloneMayExist` when an attempt's outcome stayed unknown, so that
    /// `--retry-failed` never sends it again.
    case failed(pool: String, reason: String, operationID: String?, cloneMayExist: Bool = false)
    /// The pool goes back to pending; `operationFailed` counts the attempt toward `--max-attempts`
    /// (an operation that FAILed, or a lost answer whose clone never appeared).
    case requeued(pool: String, operationFailed: Bool)
    /// A step after the clone (`set FIELD=VALUE`, `open`: the option as asked) is done.
    case stepDone(pool: String, step: String)
    /// A step after the clone failed; the clone stands, and `--retry-failed` runs the step again.
    case stepFailed(pool: String, step: String, reason: String)

    /// The pool the event is about.
    public var pool: String {
        switch self {
        case .listed(let pool), .sending(let pool, _), .submitted(let pool, _, _), .done(let pool, _, _),
            .failed(let pool, _, _, _), .requeued(let pool, _), .stepDone(let pool, _), .stepFailed(let pool, _, _):
            pool
        }
    }
}
