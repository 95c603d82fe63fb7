import Synchronization

/// What the mutations of a `SendLog` changed since a store began recording: net sends and pending
/// sends added and removed, and the first value of each operation, link and setting they touched.
///
/// A store turns it into the one line it appends (`LedgerChange`) in O(change), where diffing the
/// log before and after would cost O(kept sends) per update. It is not part of the log's value:
/// two logs are equal whatever they recorded.
struct ChangeRecording: Sendable, Equatable {
    /// Which recording this is (0: none), so that a store tells its own log from one assigned in its place.
    private(set) var session: UInt64 = 0
    /// Whether mutations are recorded; off except inside a store's update.
    var isOn: Bool { session != 0 }
    /// Sends added (positive) or removed (negative), by time.
    private var sends: [Int64: Int] = [:]
    private var pending: [OwnSend: Int] = [:]
    /// The value each touched entry had before its first change (nil: absent).
    private var operations: [String: Int64?] = [:]
    private var links: [String: OwnSend?] = [:]
    private var blockedUntil: Int64?? = nil
    private var retention: Int64?? = nil

    private static let sessions = Atomic<UInt64>(0)

    /// An empty recording that records, under a session no other recording has.
    static func start() -> ChangeRecording {
        var recording = ChangeRecording()
        recording.session = sessions.add(1, ordering: .relaxed).newValue
        return recording
    }

    static func == (_: ChangeRecording, _: ChangeRecording) -> Bool { true }

    mutating func sendAdded(_ time: Int64) {
        guard isOn else { return }
        sends[time, default: 0] += 1
    }

    mutating func sendRemoved(_ time: Int64) {
        guard isOn else { return }
        sends[time, default: 0] -= 1
    }

    mutating func pendingAdded(_ send: OwnSend) {
        guard isOn else { return }
        pending[send, default: 0] += 1
    }

    mutating func pendingRemoved(_ send: OwnSend) {
        guard isOn else { return }
        pending[send, default: 0] -= 1
    }

    mutating func operationWillChange(_ id: String, from old: Int64?) {
        guard isOn, operations.index(forKey: id) == nil else { return }
        operations[id] = .some(old)
    }

    mutating func linkWillChange(_ id: String, from old: OwnSend?) {
        guard isOn, links.index(forKey: id) == nil else { return }
        links[id] = .some(old)
    }

    mutating func blockWillChange(from old: Int64?) {
        guard isOn, blockedUntil == nil else { return }
        blockedUntil = .some(old)
    }

    mutating func retentionWillChange(from old: Int64?) {
        guard isOn, retention == nil else { return }
        retention = .some(old)
    }

    /// The change from the log as it was when recording began to `log`, as small as a diff of the two.
    func change(to log: SendLog) -> LedgerChange {
        var change = LedgerChange()
        (change.added, change.removed) = Self.split(sends)
        (change.pendingAdded, change.pendingRemoved) = Self.split(pending)
        for (id, old) in operations where log.operations[id] != old {
            change.operations[id] = .some(log.operations[id])
        }
        for (id, old) in links where log.links[id] != old {
            change.links[id] = .some(log.links[id])
        }
        if let old = blockedUntil, old != log.blockedUntil { change.blockedUntil = .some(log.blockedUntil) }
        if let old = retention, old != log.retention { change.retention = .some(log.retention) }
        return change
    }

    /// Net counts as the entries added and removed, each ascending.
    private static func split<Entry: Comparable>(_ counts: [Entry: Int]) -> (added: [Entry], removed: [Entry]) {
        var added: [Entry] = []
        var removed: [Entry] = []
        for (entry, count) in counts where count != 0 {
            if count > 0 {
                added += repeatElement(entry, count: count)
            } else {
                removed += repeatElement(entry, count: -count)
            }
        }
        return (added.sorted(), removed.sorted())
    }
}
