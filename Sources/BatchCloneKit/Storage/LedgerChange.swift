/// One update of the send log as one line of the state file: what it removed and added.
///
/// Written as a single JSON object so that a crash tears at most this line, never half an update:
/// `{"remove": [time...], "add": [time...], "operations": {ID: time or null}, "blocked_until": time or
/// null, "retention_seconds": N or null, "own_remove": [own...], "own_add": [own...], "links": {ID: own
/// or null}}`, every key optional, where an own send is `{"at": time, "source": ID, "target": kind}`
/// (`target` omitted for `pool`). Versions before sources ignore the `own` and `links` keys. A line of
/// another target's log than the pools' starts with `"target": "<name>"`.
///
/// A store builds it from the update's own mutations (`SendLog.takeRecordedChange()`), never by
/// comparing the whole log before and after, so that writing it costs O(change).
struct LedgerChange: Equatable {
    /// The name of the target whose log this changes.
    var target = OwnSend.poolTarget
    /// Send times removed, one each, ascending.
    var removed: [Int64] = []
    /// Send times added, ascending.
    var added: [Int64] = []
    /// Operations set to a time, or removed (nil).
    var operations: [String: Int64?] = [:]
    /// The new block, when it changed: `.some(nil)` clears it.
    var blockedUntil: Int64?? = nil
    /// The new declared retention (milliseconds, whole seconds), when it changed (only grows in practice).
    var retention: Int64?? = nil
    /// Pending own sends removed, one each, and added; ascending.
    var pendingRemoved: [OwnSend] = []
    var pendingAdded: [OwnSend] = []
    /// Links of operations to own sends set, or removed (nil).
    var links: [String: OwnSend?] = [:]

    /// An empty change of `target`'s log.
    init(target: String = OwnSend.poolTarget) {
        self.target = target
    }

    var isEmpty: Bool {
        removed.isEmpty && added.isEmpty && operations.isEmpty && blockedUntil == nil && retention == nil
            && pendingRemoved.isEmpty && pendingAdded.isEmpty && links.isEmpty
    }

    /// Applies the change; the reason when it does not fit the log (a send removed that is not there).
    func apply(to log: inout SendLog) -> String? {
        for time in removed {
            guard let index = log.sends.sortedLastIndex(of: time) else {
                return
                    "it removes a send at \(UTCTimestamp.format(milliseconds: time)) that the lines before do not hold"
            }
            log.sends.remove(at: index)
        }
        for time in added { log.insert(time) }
        for (id, time) in operations {
            log.operations[id] = time
        }
        if let blockedUntil { log.blockedUntil = blockedUntil }
        if let retention { log.retention = retention }
        for send in pendingRemoved {
            guard let index = log.pending.sortedLastIndex(of: send) else {
                return "it settles an own send (\(send.target) \(send.source) at "
                    + "\(UTCTimestamp.format(milliseconds: send.intentMilliseconds))) that the lines before do not hold"
            }
            log.pending.remove(at: index)
        }
        for send in pendingAdded { log.addPending(send) }
        for (id, send) in links { log.links[id] = send }
        return nil
    }

    /// The line as written, newline included; IDs sorted so that the file is reproducible.
    func line() -> String {
        var fields: [String] = []
        if target != OwnSend.poolTarget { fields.append("\"target\": " + Self.quoted(target)) }
        if !removed.isEmpty { fields.append("\"remove\": " + Self.times(removed)) }
        if !added.isEmpty { fields.append("\"add\": " + Self.times(added)) }
        if !operations.isEmpty {
            let entries = operations.sorted { $0.key < $1.key }.map { id, time in
                Self.quoted(id) + ": " + (time.map { "\"" + UTCTimestamp.format(milliseconds: $0) + "\"" } ?? "null")
            }
            fields.append("\"operations\": {" + entries.joined(separator: ", ") + "}")
        }
        if let blockedUntil {
            fields.append(
                "\"blocked_until\": "
                    + (blockedUntil.map { "\"" + UTCTimestamp.format(milliseconds: $0) + "\"" } ?? "null")
            )
        }
        if let retention { fields.append("\"retention_seconds\": " + (retention.map { "\($0 / 1000)" } ?? "null")) }
        if !pendingRemoved.isEmpty { fields.append("\"own_remove\": " + Self.ownSends(pendingRemoved)) }
        if !pendingAdded.isEmpty { fields.append("\"own_add\": " + Self.ownSends(pendingAdded)) }
        if !links.isEmpty {
            let entries = links.sorted { $0.key < $1.key }.map { id, send in
                Self.quoted(id) + ": " + (send.map(Self.ownSend) ?? "null")
            }
            fields.append("\"links\": {" + entries.joined(separator: ", ") + "}")
        }
        return "{" + fields.joined(separator: ", ") + "}\n"
    }

    private static func ownSends(_ sends: [OwnSend]) -> String {
        "[" + sends.map(ownSend).joined(separator: ", ") + "]"
    }

    private static func ownSend(_ send: OwnSend) -> String {
        "{\"at\": \"" + UTCTimestamp.format(milliseconds: send.intentMilliseconds) + "\", \"source\": "
            + quoted(send.source)
            + (send.target == OwnSend.poolTarget ? "" : ", \"target\": " + quoted(send.target)) + "}"
    }

    private static func times(_ times: [Int64]) -> String {
        "[" + times.map { "\"" + UTCTimestamp.format(milliseconds: $0) + "\"" }.joined(separator: ", ") + "]"
    }

    /// A JSON string; operation IDs come from the server, so quotes and control characters are escaped.
    static func quoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }
}
