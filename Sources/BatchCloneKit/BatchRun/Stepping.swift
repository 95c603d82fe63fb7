/// A cloned work item going through its steps after the clone.
extension ItemState {
    struct Stepping: Sendable, Equatable {
        /// The clone the steps act on.
        var newID: String
        /// Not worked on before this instant (a 429's window, an open operation's next read).
        var notBefore: Int64
        /// The open operation being followed, and since when.
        var opening: Opening?
    }

    struct Opening: Sendable, Equatable {
        var operationID: String
        var since: Int64
    }
}
