/// A failure to read, write or lock one of the tool's own files (ledger state, journal, results).
public enum StorageError: Error, Equatable, CustomStringConvertible {
    /// The file exists but is not one of ours, or is damaged; it was left untouched.
    case corrupt(path: String, reason: String)
    /// The file could not be read.
    case unreadable(path: String, reason: String)
    /// The file (or its folder) could not be written.
    case unwritable(path: String, reason: String)
    /// Another process holds the file's lock.
    case locked(path: String)

    public var description: String {
        switch self {
        case .corrupt(let path, let reason):
            "\(path) is not a valid batch-clone file (\(reason)); it was left untouched: fix or move it, nothing was sent"
        case .unreadable(let path, let reason):
            "cannot read \(path): \(reason)"
        case .unwritable(let path, let reason):
            "cannot write \(path): \(reason)"
        case .locked(let path):
            "\(path) is in use by another batch-clone process; wait for it to finish or use another --journal"
        }
    }
}
