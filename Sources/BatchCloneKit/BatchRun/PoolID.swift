/// Pool IDs as the API knows them: decimal numbers, so `0123` and `123` are one pool.
public enum PoolID {
    /// The canonical form: leading zeros of a decimal ID stripped (`0` stays); other text as it is.
    public static func canonical(_ id: String) -> String {
        guard !id.isEmpty, id.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return id }
        let stripped = id.drop { $0 == "0" }
        return stripped.isEmpty ? "0" : String(stripped)
    }
}
