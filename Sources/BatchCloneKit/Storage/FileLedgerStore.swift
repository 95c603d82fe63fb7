import Foundation

/// The send log in a JSON file shared by every run on the account, locked through `<path>.lock`.
///
/// Format: `{"format": "batch-clone-ledger", "version": 1, "retention_seconds": N, "blocked_until": ...,
/// "operations": {ID: time}, "sends": [ISO 8601 UTC...]}`. `retention_seconds` and `operations`
/// (optional, added later within version 1: older readers ignore them) are the longest span any run
/// declared and the clone operations behind sends. A file that does not parse is left untouched.
public struct FileLedgerStore: LedgerStore {
    /// The state file's path.
    public let path: String

    /// A store at `path`; its folder is created on first write.
    public init(path: String) {
        self.path = path
    }

    public func update<T>(_ body: (inout SendLog) throws -> T) throws -> T {
        try DurableFile.createFolder(for: path)
        guard let lock = try FileLock.acquire(path + ".lock", wait: true) else {
            throw StorageError.locked(path: path)
        }
        defer { lock.release() }
        let original = try load()
        var log = original
        let result = try body(&log)
        if log != original {
            try DurableFile.write(Self.encode(log), to: path)
        }
        return result
    }

    private func load() throws(StorageError) -> SendLog {
        guard let data = try DurableFile.read(path) else { return SendLog() }
        return try Self.decode(data, path: path)
    }

    static func encode(_ log: SendLog) -> Data {
        var text = "{\n  \"format\": \"batch-clone-ledger\",\n  \"version\": 1,\n"
        if let retention = log.retention {
            text += "  \"retention_seconds\": \(retention / 1000),\n"
        }
        if let blocked = log.blockedUntil {
            text += "  \"blocked_until\": \"\(UTCTimestamp.format(milliseconds: blocked))\",\n"
        }
        if !log.operations.isEmpty {
            // Operation IDs are checked to be short printable tokens when decoded from the server.
            let operations = log.operations.sorted { ($0.value, $0.key) < ($1.value, $1.key) }
                .map { "    \"\($0.key)\": \"\(UTCTimestamp.format(milliseconds: $0.value))\"" }
            text += "  \"operations\": {\n" + operations.joined(separator: ",\n") + "\n  },\n"
        }
        let sends = log.sends.map { "    \"\(UTCTimestamp.format(milliseconds: $0))\"" }
        text += "  \"sends\": [" + (sends.isEmpty ? "" : "\n" + sends.joined(separator: ",\n") + "\n  ") + "]\n}\n"
        return Data(text.utf8)
    }

    static func decode(_ data: Data, path: String) throws(StorageError) -> SendLog {
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw .corrupt(path: path, reason: "not a JSON object")
        }
        guard object["format"] as? String == "batch-clone-ledger" else {
            throw .corrupt(path: path, reason: "\"format\" is not \"batch-clone-ledger\"")
        }
        guard let version = object["version"] as? Int, version == 1 else {
            throw .corrupt(path: path, reason: "unsupported \"version\"; this batch-clone reads version 1")
        }
        guard let texts = object["sends"] as? [String] else {
            throw .corrupt(path: path, reason: "\"sends\" is not a list of times")
        }
        var sends: [Int64] = []
        sends.reserveCapacity(texts.count)
        for text in texts {
            guard let time = UTCTimestamp.parse(text) else {
                throw .corrupt(path: path, reason: "'\(text)' in \"sends\" is not an ISO 8601 UTC time")
            }
            sends.append(time)
        }
        var blocked: Int64?
        if let value = object["blocked_until"] {
            guard let text = value as? String, let time = UTCTimestamp.parse(text) else {
                throw .corrupt(path: path, reason: "\"blocked_until\" is not an ISO 8601 UTC time")
            }
            blocked = time
        }
        var retention: Int64?
        if let value = object["retention_seconds"] {
            guard let seconds = (value as? Int).map(Int64.init), seconds >= 0, seconds <= Int64.max / 1000 else {
                throw .corrupt(path: path, reason: "\"retention_seconds\" is not a whole number of seconds")
            }
            retention = seconds * 1000
        }
        var operations: [String: Int64] = [:]
        if let value = object["operations"] {
            guard let entries = value as? [String: String] else {
                throw .corrupt(path: path, reason: "\"operations\" is not an object of operation IDs and times")
            }
            for (id, text) in entries {
                guard let time = UTCTimestamp.parse(text) else {
                    throw .corrupt(path: path, reason: "'\(text)' in \"operations\" is not an ISO 8601 UTC time")
                }
                operations[id] = time
            }
        }
        return SendLog(sends: sends, blockedUntil: blocked, retention: retention, operations: operations)
    }
}

extension FileLedgerStore {
    /// Reads the log without locking or creating anything (for plans and status); empty when absent.
    public func peek() throws -> SendLog {
        guard let data = try DurableFile.read(path) else { return SendLog() }
        return try Self.decode(data, path: path)
    }
}
