/// An effect the state machine asks its driver to perform, in order.
///
/// `.record` comes before every effect that depends on it: the driver writes the events first, and
/// syncs an intent (`JournalDurability`), so no request leaves that a crash could forget.
enum RunAction: Sendable, Equatable {
    /// Append these events to the journal (the machine's state already reflects them).
    case record([JournalEvent])
    /// Tell the observer.
    case emit(RunEvent)
    /// Treat the shared ledger as full until this instant (epoch ms): usage we did not see.
    case blockLedger(until: Int64)
    /// Treat the overlap log as full until this instant (epoch ms): an overlap edit met a 429, so
    /// the budget went to edits we did not see.
    case blockOverlapLog(until: Int64)
    /// Read the shared ledger after a 429's listing; feed it to `ledgerRead` (or `ledgerUnreadable`).
    case readLedger
    /// Link the own send of `source` granted at `intent` to its operation, moved to `arrival` (our clock) when later.
    case attachToLedger(operationID: String, intent: Int64, item: WorkItem, arrival: Int64?)
    /// Count the account's clones the ledger does not know; feed the number to `merged`.
    case mergeIntoLedger([AccountClone])
    /// End the run with this error.
    case stop(RunError)
}

/// What the send pipeline does next.
enum SendStep: Sendable, Equatable {
    /// Nothing is left to send.
    case finished
    /// Nothing to do before this instant (epoch ms).
    case sleep(until: Int64)
    /// Check that these items' sources exist (the current one first); feed the answers to `sourcesChecked`.
    case checkSources([WorkItem])
    /// Ask the ledger for a slot for the item; feed the answer to `slotAnswered`.
    case requestSlot(WorkItem)
    /// List the account's clone operations submitted since then (server time, generous); feed the
    /// answer to `accountListed`, then ask again.
    case listAccount(since: ServerInstant)
    /// Perform these, then ask again.
    case perform([RunAction])
}

/// The ledger's answer to a slot request, as the state machine needs it.
struct SlotAnswer: Sendable, Equatable {
    /// The slot was taken at `at`; otherwise `at` is the earliest instant one may be (our clock).
    var granted: Bool
    var at: Int64
    /// How far the ledger's newest send lies after now, if it does (a clock moved back).
    var futureSkew: Int64?
    /// The ledger after the decision, for progress snapshots, when read.
    var ledger: RateLimitLedger?
    /// The ledger's own clock when it was read (Redis `TIME`), if it has one.
    var ledgerNow: Int64? = nil

    /// The slot's grant on the ledger's clock, the own send's intent (meaningful when `granted`).
    var grant: LedgerInstant { LedgerInstant(epochMilliseconds: at) }
}

extension SlotAnswer {
    /// The ledger's `decision` at `now` (our clock), without a read of the ledger.
    init(_ decision: SlotDecision, now: Int64) {
        switch decision {
        // The granted instant is on the ledger's clock (the intent `attach` needs), yet the machine also
        // journals and sends at it as ours: a mix-up for Redis, kept as it was (exact for a file ledger).
        case .granted(let time): self.init(granted: true, at: time.epochMilliseconds)
        case .wait(let duration): self.init(granted: false, at: now + duration.millisecondsRoundedUp)
        }
    }
}

/// What follows a slot answer.
enum SlotStep: Sendable, Equatable {
    /// Perform the actions (the intent among them), then POST the clone of the item.
    case send(WorkItem, at: Int64, actions: [RunAction])
    /// Perform the actions, sleep until `until`, then request a slot again.
    case wait(until: Int64, actions: [RunAction])
    /// Perform the actions; sending is over for this run.
    case stopSending(actions: [RunAction])
    /// First learn the account's clones (see `SendStep.listAccount`), then request the slot again.
    case listAccount(since: ServerInstant)
}

/// What the poll loop does next.
enum PollStep: Sendable, Equatable {
    /// No clone is in flight and none will be sent.
    case finished
    /// Read these operations; when `listSince` is set, one list request (operations submitted
    /// since then) answers most of them first.
    case read(due: [DuePoll], listSince: ServerInstant?)
    /// List the account's clone operations submitted since `since`, looking for clones of `items`
    /// whose outcome is unknown; feed the answer to `clonesListed`.
    case look(items: [WorkItem], since: ServerInstant)
    /// Nothing is due before this instant (epoch ms).
    case sleep(until: Int64)
}

/// An operation due for a read.
struct DuePoll: Sendable, Equatable {
    var item: WorkItem
    var operationID: String
}
