/// Where one pool stands in a batch; the journal records every change durably.
public enum PoolPhase: Sendable, Equatable {
    /// Not sent yet (or to be sent again).
    case pending
    /// A clone POST was intended at this instant (its slot's grant) and may have reached the server.
    case sending(at: LedgerInstant)
    /// The server accepted the clone at this instant: its operation is being followed.
    case submitted(operationID: String, at: ServerInstant)
    /// Cloned: the new pool's ID (nil when the server did not name it).
    case done(newPoolID: String?, operationID: String)
    /// Given up, with the reason (and the last operation, if any).
    case failed(reason: String, operationID: String?)

    /// Whether nothing more will happen to the pool in this batch.
    public var isSettled: Bool {
        switch self {
        case .done, .failed: true
        default: false
        }
    }
}

/// Everything the journal knows about one pool.
public struct PoolRecord: Sendable, Equatable {
    public var phase: PoolPhase = .pending
    /// Clone operations that ended in FAIL so far.
    public var failedAttempts: Int = 0
    /// Every operation ever linked to this pool, so reconciliation never adopts one twice.
    public var operations: [String] = []
    /// Whether the pool failed while a clone of it may exist (an attempt's outcome stayed unknown).
    public var cloneMayExist: Bool = false
    /// The steps after the clone done so far, by what was asked (`set FIELD=VALUE`, `open`), in order.
    public var stepsDone: [String] = []
    /// The last step that failed, until a step succeeds.
    public var stepFailure: StepFailure?
}

/// A step after the clone that failed: the clone stands.
public struct StepFailure: Sendable, Equatable {
    /// The step as asked (`set FIELD=VALUE`, `open`).
    public var step: String
    public var reason: String
}
