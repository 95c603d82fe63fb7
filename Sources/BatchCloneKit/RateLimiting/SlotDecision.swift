/// The answer of a `SlotLedger` to one request for a send slot.
public enum SlotDecision: Sendable, Equatable {
    /// The send is recorded at this instant of the store's clock; the request may leave.
    case granted(at: LedgerInstant)
    /// Nothing was recorded; ask again after this long (sleep monotonically, not until a wall-clock instant).
    case wait(Duration)
}
