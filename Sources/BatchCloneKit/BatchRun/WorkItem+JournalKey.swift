/// How a work item is named in the journal.
///
/// A pool's first copy is its bare ID, as in journals written before work items, so those resume
/// as they are; any other item is `target:source` with `#copy` past the first.
extension WorkItem {
    public var journalKey: String {
        let base = target == .pool ? source : "\(target.name):\(source)"
        return copy == 1 ? base : "\(base)#\(copy)"
    }

    /// The item a journal key names; nil for a key of an unknown target or a malformed copy.
    public init?(journalKey key: String) {
        var rest = Substring(key)
        var copy = 1
        if let hash = rest.lastIndex(of: "#") {
            guard let number = Int(rest[rest.index(after: hash)...]), number >= 2 else { return nil }
            copy = number
            rest = rest[..<hash]
        }
        var target = CloneTarget.pool
        if let colon = rest.firstIndex(of: ":") {
            guard let named = CloneTarget.all.first(where: { $0.name == rest[..<colon] }) else { return nil }
            target = named
            rest = rest[rest.index(after: colon)...]
        }
        guard !rest.isEmpty else { return nil }
        self.init(target, source: String(rest), copy: copy)
    }
}
