/// How soon an append must be on disk: the one ordering the guarantees need is an intent on disk
/// before the request it announces leaves.
public enum JournalDurability: Sendable, Equatable {
    /// On disk (fsync'd) before `append` returns, with everything appended before it.
    case synced
    /// Written to the file, and on disk by the next synced append or the journal's close. Losing it
    /// (power loss; a killed process loses nothing written) only makes the next run learn again from
    /// the server what it says: a clone's operation, its outcome, a step's.
    case written

    /// What `events` need: synced when one of them is an intent (`sending`), written otherwise.
    ///
    /// Every other event records an outcome the server keeps: a lost `submitted` is a clone in doubt,
    /// looked up before anything is sent again; a lost `done`, `failed` or `requeued` is learnt again
    /// from the operation; a lost step is done again, and steps are idempotent.
    public init(for events: [JournalEvent]) {
        self = events.contains { if case .sending = $0 { true } else { false } } ? .synced : .written
    }
}
