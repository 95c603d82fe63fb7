/// Dotted paths such as `defaults.default_overlap_for_new_tasks`: reading and replacing a nested member.
extension JSONValue {
    /// The value at `path` (member names, outermost first); nil when a member is missing or not an object.
    public func value(at path: [String]) -> JSONValue? {
        guard let first = path.first else { return self }
        return self[first]?.value(at: Array(path.dropFirst()))
    }

    /// This object with the member at `path` set to `value`, creating missing objects on the way;
    /// nil when a member on the way exists but is not an object.
    public func setting(path: [String], to value: JSONValue) -> JSONValue? {
        guard let first = path.first else { return value }
        guard members != nil else { return nil }
        let rest = Array(path.dropFirst())
        if rest.isEmpty { return setting(first, to: value) }
        let child = self[first] ?? .object([])
        guard let changed = child.setting(path: rest, to: value) else { return nil }
        return setting(first, to: changed)
    }
}
