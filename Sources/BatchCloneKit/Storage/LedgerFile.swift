import Foundation

/// The state file's content as read: the log, and where the next update may append.
///
/// Version 2 (written since issue 11) is JSON Lines: a header line `{"format": "batch-clone-ledger",
/// "version": 2, "generation": "<16 hex>", "snapshot_lines": N}`, then one `LedgerChange` per line,
/// the first N being the compacted log. A compaction writes the whole log anew (a line per send) under a fresh generation; an
/// update appends one line. Version 1 (one pretty JSON object) still loads and is compacted on write.
///
/// Each target (pools, trainings) has its own log: a line with `"target": "<name>"` changes that
/// target's log, a line without one the pools' (every line of versions before trainings). Such a
/// version reads a training line as pool sends: it counts more, never fewer.
struct LedgerFile: Sendable {
    /// The log of each target, by its name; a target never written has none.
    var logs: [String: SendLog]
    var version: Int
    /// The header line, newline included (version 2); it changes with every compaction.
    var header: [UInt8]
    /// Bytes of complete lines: an unterminated last line is a torn append and is not counted.
    var length: Int
    /// Whether a torn last line follows `length`.
    var torn: Bool
    /// Complete lines so far, the header included: the number of the next line is one more.
    var lines = 0

    /// Reads `data` (the whole file); a file that is not exactly ours throws `.corrupt`.
    static func decode(_ data: Data, path: String) throws(StorageError) -> LedgerFile {
        let bytes = [UInt8](data)
        let firstEnd = bytes.firstIndex(of: 0x0A)
        if let firstEnd,
            let header = try? JSONSerialization.jsonObject(with: Data(bytes[..<firstEnd])) as? [String: Any],
            header["version"] as? Int == 2, header["format"] as? String == "batch-clone-ledger"
        {
            guard header["generation"] is String, let snapshotLines = header["snapshot_lines"] as? Int,
                snapshotLines >= 0
            else {
                throw .corrupt(path: path, reason: "line 1 has no \"generation\" or \"snapshot_lines\"")
            }
            var file = LedgerFile(
                logs: [:],
                version: 2,
                header: Array(bytes[...firstEnd]),
                length: firstEnd + 1,
                torn: false,
                lines: 1
            )
            let lines = try file.appendLines(bytes[(firstEnd + 1)...], path: path)
            // A compaction is renamed into place whole: a file cut inside it was cut by hand or by the disk.
            guard lines >= snapshotLines else {
                throw .corrupt(
                    path: path,
                    reason: "it ends at line \(lines + 1) of the \(snapshotLines + 1) lines its header announces"
                )
            }
            return file
        }
        let log = try decodeVersion1(data, path: path)
        return LedgerFile(logs: [OwnSend.poolTarget: log], version: 1, header: [], length: bytes.count, torn: false)
    }

    /// Applies the complete lines of `tail` (bytes that follow `length`); returns how many there were.
    @discardableResult
    mutating func appendLines(_ tail: ArraySlice<UInt8>, path: String) throws(StorageError) -> Int {
        var start = tail.startIndex
        let firstLine = lines + 1
        var line = firstLine
        while start < tail.endIndex {
            guard let end = tail[start...].firstIndex(of: 0x0A) else {
                // Only an append cut by a crash ends without a newline; that update never returned.
                torn = true
                return line - firstLine
            }
            let text = tail[start..<end]
            if !text.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) {
                let change = try Self.decodeChange(text, line: line, path: path)
                if let reason = change.apply(to: &logs[change.target, default: SendLog()]) {
                    throw .corrupt(path: path, reason: "line \(line): \(reason)")
                }
            }
            length += end + 1 - start
            lines += 1
            start = end + 1
            line += 1
        }
        return line - firstLine
    }

    static func decodeChange(_ text: ArraySlice<UInt8>, line: Int, path: String) throws(StorageError) -> LedgerChange {
        guard let object = try? JSONSerialization.jsonObject(with: Data(text)) as? [String: Any] else {
            throw .corrupt(path: path, reason: "line \(line) is not a JSON object")
        }
        func times(_ key: String) throws(StorageError) -> [Int64] {
            guard let value = object[key] else { return [] }
            guard let texts = value as? [String] else {
                throw .corrupt(path: path, reason: "line \(line): \"\(key)\" is not a list of times")
            }
            var result: [Int64] = []
            for text in texts {
                guard let time = UTCTimestamp.parse(text) else {
                    throw .corrupt(
                        path: path,
                        reason: "line \(line): '\(text)' in \"\(key)\" is not an ISO 8601 UTC time"
                    )
                }
                result.append(time)
            }
            return result.sorted()
        }
        var change = LedgerChange()
        if let value = object["target"] {
            guard let name = value as? String, !name.isEmpty else {
                throw .corrupt(path: path, reason: "line \(line): \"target\" is not the name of a target")
            }
            change.target = name
        }
        change.removed = try times("remove")
        change.added = try times("add")
        if let value = object["operations"] {
            guard let entries = value as? [String: Any] else {
                throw .corrupt(
                    path: path,
                    reason: "line \(line): \"operations\" is not an object of operation IDs and times"
                )
            }
            for (id, entry) in entries {
                if entry is NSNull {
                    change.operations[id] = .some(nil)
                } else if let text = entry as? String, let time = UTCTimestamp.parse(text) {
                    change.operations[id] = .some(time)
                } else {
                    throw .corrupt(path: path, reason: "line \(line): operation \(id) has no ISO 8601 UTC time")
                }
            }
        }
        if let value = object["blocked_until"] {
            if value is NSNull {
                change.blockedUntil = .some(nil)
            } else if let text = value as? String, let time = UTCTimestamp.parse(text) {
                change.blockedUntil = .some(time)
            } else {
                throw .corrupt(
                    path: path,
                    reason: "line \(line): \"blocked_until\" is not an ISO 8601 UTC time or null"
                )
            }
        }
        change.pendingRemoved = try ownSends(object["own_remove"], key: "own_remove", line: line, path: path)
        change.pendingAdded = try ownSends(object["own_add"], key: "own_add", line: line, path: path)
        if let value = object["links"] {
            guard let entries = value as? [String: Any] else {
                throw .corrupt(
                    path: path,
                    reason: "line \(line): \"links\" is not an object of operation IDs and own sends"
                )
            }
            for (id, entry) in entries {
                change.links[id] =
                    entry is NSNull ? .some(nil) : .some(try ownSend(entry, key: "links", line: line, path: path))
            }
        }
        if let value = object["retention_seconds"] {
            if value is NSNull {
                change.retention = .some(nil)
            } else if let seconds = (value as? Int).map(Int64.init), seconds >= 0, seconds <= Int64.max / 1000 {
                change.retention = .some(seconds * 1000)
            } else {
                throw .corrupt(
                    path: path,
                    reason: "line \(line): \"retention_seconds\" is not a whole number of seconds"
                )
            }
        }
        return change
    }

    /// The own sends under `key`, ascending; none when absent.
    private static func ownSends(_ value: Any?, key: String, line: Int, path: String) throws(StorageError) -> [OwnSend]
    {
        guard let value else { return [] }
        guard let entries = value as? [Any] else {
            throw .corrupt(path: path, reason: "line \(line): \"\(key)\" is not a list of own sends")
        }
        var sends: [OwnSend] = []
        for entry in entries { sends.append(try ownSend(entry, key: key, line: line, path: path)) }
        return sends.sorted()
    }

    /// `{"at": time, "source": ID, "target": kind}`, `target` optional (`pool`).
    private static func ownSend(_ value: Any, key: String, line: Int, path: String) throws(StorageError) -> OwnSend {
        guard let object = value as? [String: Any], let text = object["at"] as? String,
            let intent = UTCTimestamp.parse(text), let source = object["source"] as? String
        else {
            throw .corrupt(
                path: path,
                reason: "line \(line): an own send in \"\(key)\" has no ISO 8601 UTC \"at\" or no \"source\""
            )
        }
        guard let target = object["target"].map({ $0 as? String }) ?? OwnSend.poolTarget else {
            throw .corrupt(
                path: path,
                reason: "line \(line): an own send in \"\(key)\" has a \"target\" that is not text"
            )
        }
        return OwnSend(intent: intent, source: source, target: target)
    }

    /// Every target's log as a fresh version 2 file under `generation`: pools first, a line per send.
    static func encode(_ logs: [String: SendLog], generation: String) -> Data {
        var lines: [String] = []
        let others = logs.keys.filter { $0 != OwnSend.poolTarget }.sorted()
        for target in [OwnSend.poolTarget] + others where logs[target] != nil {
            lines += encodeLines(logs[target]!, target: target)
        }
        let header =
            "{\"format\": \"batch-clone-ledger\", \"version\": 2, \"generation\": \"\(generation)\", "
            + "\"snapshot_lines\": \(lines.count)}\n"
        return Data((header + lines.joined()).utf8)
    }

    /// One target's log as compacted lines, each naming the target unless it is the pools'.
    private static func encodeLines(_ log: SendLog, target: String) -> [String] {
        var lines: [String] = []
        var settings = LedgerChange(target: target)
        if let blocked = log.blockedUntil { settings.blockedUntil = .some(blocked) }
        if let retention = log.retention { settings.retention = .some(retention) }
        if !settings.isEmpty { lines.append(settings.line()) }
        var byTime: [Int64: [String]] = [:]
        for (id, time) in log.operations { byTime[time, default: []].append(id) }
        for ids in byTime.keys { byTime[ids]?.sort(by: >) }
        var pending = log.pending[...]
        var links = log.links
        for time in log.sends {
            var change = LedgerChange(target: target)
            change.added = [time]
            if let id = byTime[time]?.popLast() {
                change.operations[id] = .some(time)
                if let send = links.removeValue(forKey: id) { change.links[id] = .some(send) }
                if byTime[time]?.isEmpty == true { byTime[time] = nil }
            } else if let send = pending.first, send.intentMilliseconds == time {
                change.pendingAdded = [send]
                pending.removeFirst()
            }
            lines.append(change.line())
        }
        // Operations whose send is gone (none in practice: both are pruned by the same cutoff).
        for (time, ids) in byTime.sorted(by: { $0.key < $1.key }) {
            for id in ids.reversed() {
                var change = LedgerChange(target: target)
                change.operations[id] = .some(time)
                lines.append(change.line())
            }
        }
        // Pending sends and links left over (none in practice: a hand-edited file).
        if !pending.isEmpty || !links.isEmpty {
            var change = LedgerChange(target: target)
            change.pendingAdded = Array(pending)
            for (id, send) in links { change.links[id] = .some(send) }
            lines.append(change.line())
        }
        return lines
    }

    /// A size in bytes the file would have right after a compaction, for the compaction rule.
    static func estimatedSize(of log: SendLog) -> Int {
        128 + log.sends.count * 40 + log.operations.count * 64 + log.pending.count * 64 + log.links.count * 96
    }

    /// The same for every target's log.
    static func estimatedSize(of logs: [String: SendLog]) -> Int {
        logs.values.reduce(0) { $0 + estimatedSize(of: $1) }
    }

    /// Version 1: `{"format": "batch-clone-ledger", "version": 1, "retention_seconds": N, "blocked_until": ...,
    /// "operations": {ID: time}, "sends": [time...]}`, the last three optional.
    static func decodeVersion1(_ data: Data, path: String) throws(StorageError) -> SendLog {
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw .corrupt(path: path, reason: "not a JSON object")
        }
        guard object["format"] as? String == "batch-clone-ledger" else {
            throw .corrupt(path: path, reason: "\"format\" is not \"batch-clone-ledger\"")
        }
        guard let version = object["version"] as? Int, version == 1 || version == 2 else {
            throw .corrupt(path: path, reason: "unsupported \"version\"; this batch-clone reads versions 1 and 2")
        }
        guard version == 1 else {
            throw .corrupt(path: path, reason: "a version 2 file must have its header alone on line 1")
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
