/// The clone operations a log counts, by ID, with the send time each accounts for; indexed by time
/// too, so that pruning the oldest and counting those at one instant cost O(log n), not a pass over all.
struct OperationTimes: Sendable, Equatable, Sequence, ExpressibleByDictionaryLiteral {
    /// An operation at its time, ordered by time, then ID.
    struct Timed: Comparable, Sendable {
        var time: Int64
        var id: String

        static func < (lhs: Timed, rhs: Timed) -> Bool {
            (lhs.time, lhs.id) < (rhs.time, rhs.id)
        }
    }

    private(set) var byID: [String: Int64]
    /// The same entries, ascending by time, then ID. A slice, so that dropping the oldest only moves
    /// its start; the next growth of the buffer leaves the dropped ones behind.
    private var byTime: ArraySlice<Timed>

    init(_ byID: [String: Int64] = [:]) {
        self.byID = byID
        self.byTime = byID.map { Timed(time: $0.value, id: $0.key) }.sorted()[...]
    }

    init(dictionaryLiteral elements: (String, Int64)...) {
        self.init(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }

    subscript(id: String) -> Int64? {
        get { byID[id] }
        set {
            if let old = byID[id], let index = byTime.sortedLastIndex(of: Timed(time: old, id: id)) {
                byTime.remove(at: index)
            }
            byID[id] = newValue
            if let newValue {
                let entry = Timed(time: newValue, id: id)
                byTime.insert(entry, at: byTime.sortedIndex(after: entry))
            }
        }
    }

    var count: Int { byID.count }
    var isEmpty: Bool { byID.isEmpty }
    var keys: Dictionary<String, Int64>.Keys { byID.keys }
    var values: Dictionary<String, Int64>.Values { byID.values }

    func makeIterator() -> Dictionary<String, Int64>.Iterator { byID.makeIterator() }

    /// How many operations account for a send at exactly `time`.
    func count(at time: Int64) -> Int {
        end(atOrBefore: time) - end(where: { $0 < time })
    }

    /// Removes the operations at or before `cutoff` and returns them, oldest first.
    mutating func removeAll(atOrBefore cutoff: Int64) -> [Timed] {
        let end = end(atOrBefore: cutoff)
        // A copy: a slice would share the buffer, and the next insert would copy all of it.
        let removed = Array(byTime[..<end])
        for entry in removed { byID[entry.id] = nil }
        byTime = byTime[end...]
        return removed
    }

    static func == (lhs: OperationTimes, rhs: OperationTimes) -> Bool { lhs.byID == rhs.byID }

    private func end(atOrBefore time: Int64) -> Int { end(where: { $0 <= time }) }

    /// The first index whose time fails `isBefore`, which holds for a prefix of the times.
    private func end(where isBefore: (Int64) -> Bool) -> Int {
        var low = byTime.startIndex
        var high = byTime.endIndex
        while low < high {
            let middle = (low + high) / 2
            if isBefore(byTime[middle].time) { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
