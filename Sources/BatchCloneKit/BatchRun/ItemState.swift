/// Where one work item stands in this run: each stage carries exactly what deciding on it needs.
///
/// Held only by `WorkItemTable`, which checks every move against `allows(_:)`, so an item is in
/// one stage at a time and the queue, the followed operations and the lost answers cannot disagree.
enum ItemState: Sendable, Equatable {
    /// In the send queue, waiting its turn.
    case queued(Pending)
    /// Taken by the send pipeline: checked, then waiting for a slot.
    case current(Pending)
    /// Its clone POST is out, intended at `intent` (the ledger's time of the slot).
    case sending(intent: Int64, Pending)
    /// The server accepted its clone: the operation is followed.
    case inFlight(InFlight)
    /// Its clone's outcome is unknown (a lost answer, a crash): looked for on the server.
    case unsettled(Unsettled)
    /// Followed past `--operation-timeout`: the next run follows it again.
    case unfinished(operationID: String)
    /// Cloned (the journal holds the new ID).
    case done
    /// Given up (the journal holds why).
    case failed
    /// Cloned, with steps after the clone left to do (see `StepPlan`).
    case stepping(Stepping)

    /// What an item waiting to be sent knows about itself.
    struct Pending: Sendable, Equatable {
        /// Not sent again before this instant (a busy source); nil: at its turn.
        var notBefore: Int64? = nil
        var check: Check = .unchecked
        /// 409 busy answers met so far, toward `--max-busy-retries`.
        var busyRetries = 0

        /// An item that was sent before: its source exists, no check needed.
        static let sentBefore = Pending(check: .exists)
    }

    /// Whether the source was seen to exist (`GET /pools/{id}`).
    enum Check: Sendable, Equatable {
        case unchecked
        /// Checked ahead of its turn: nil when it exists, else why not; consumed at its turn.
        case answered(TolokaError?)
        case exists
    }

    /// A clone the server accepted and that is being followed.
    struct InFlight: Sendable, Equatable {
        var operationID: String
        /// When the server accepted it: the server's time when `serverStamped`, else ours.
        var submittedAt: Int64
        var serverStamped: Bool
        /// When this run started following it (epoch ms), for `--operation-timeout`.
        var followedSince: Int64
        var nextPoll: Int64
    }

    /// A clone whose outcome is unknown: looked for until the reconcile window has passed since its intent.
    struct Unsettled: Sendable, Equatable {
        var intentAt: Int64
        var nextLook: Int64
        /// Why the outcome is unknown; nil after a crash.
        var cause: TolokaError?
    }

    /// The stage's name, for internal errors.
    var stage: String {
        switch self {
        case .queued: "queued"
        case .current: "current"
        case .sending: "sending"
        case .inFlight: "in flight"
        case .unsettled: "unsettled"
        case .unfinished: "unfinished"
        case .done: "done"
        case .failed: "failed"
        case .stepping: "stepping"
        }
    }

    /// The lost answer's entry, when the item is unsettled.
    var unsettled: Unsettled? {
        if case .unsettled(let entry) = self { entry } else { nil }
    }

    /// Whether this run is done with the item.
    var isSettled: Bool {
        switch self {
        case .done, .failed, .unfinished: true
        default: false
        }
    }

    /// The moves the run may make; anything else is a bug, reported as an internal error.
    func allows(_ next: ItemState) -> Bool {
        switch (self, next) {
        // Out of the queue only through `WorkItemTable.takeNext`, which keeps the queue in step.
        case (.queued, .queued): true
        case (.current, .current), (.current, .queued), (.current, .sending), (.current, .failed): true
        case (.sending, .inFlight), (.sending, .unsettled), (.sending, .queued), (.sending, .failed): true
        case (.inFlight, .inFlight), (.inFlight, .done), (.inFlight, .queued), (.inFlight, .failed),
            (.inFlight, .unfinished):
            true
        case (.unsettled, .unsettled), (.unsettled, .inFlight), (.unsettled, .queued), (.unsettled, .failed): true
        case (.inFlight, .stepping), (.stepping, .stepping), (.stepping, .done), (.stepping, .failed): true
        default: false
        }
    }
}
