@testable import BatchCloneKit

/// `SendLog.attach` and `merge` as they were before issue 20 (pairing a listed clone with the latest
/// unlinked send near it), kept so that the property test can show it finds what the fix removed.
struct LegacySendLogRules {
    var sends: [Int64]
    var operations: [String: Int64] = [:]

    init(sends: [Int64] = []) {
        self.sends = sends.sorted()
    }

    mutating func insert(_ time: Int64) {
        sends.insert(time, at: sends.firstIndex { $0 > time } ?? sends.endIndex)
    }

    mutating func attach(operationID: String, intent: Int64, arrival: Int64?) {
        guard unlinkedCount(at: intent) > 0, let index = sends.lastIndex(of: intent) else { return }
        sends.remove(at: index)
        if operations[operationID] != nil { return }
        let time = max(intent, arrival ?? intent)
        insert(time)
        operations[operationID] = time
    }

    private func unlinkedCount(at time: Int64) -> Int {
        sends.count { $0 == time } - operations.values.count { $0 == time }
    }

    mutating func merge(_ clones: [AccountClone], claimBefore: Int64, claimAfter: Int64) {
        var linked: [Int64: Int] = [:]
        for time in operations.values { linked[time, default: 0] += 1 }
        var unlinked: [Int64] = []
        for time in sends {
            if let count = linked[time], count > 0 { linked[time] = count - 1 } else { unlinked.append(time) }
        }
        for clone in clones.sorted(by: { ($0.time, $0.operationID) < ($1.time, $1.operationID) })
        where operations[clone.operationID] == nil {
            if let index = unlinked.lastIndex(where: {
                $0 <= clone.time.epochMilliseconds + claimAfter && $0 >= clone.time.epochMilliseconds - claimBefore
            }
            ) {
                let claimed = unlinked.remove(at: index)
                let time = max(claimed, clone.time.epochMilliseconds)
                if time != claimed, let position = sends.lastIndex(of: claimed) {
                    sends.remove(at: position)
                    insert(time)
                }
                operations[clone.operationID] = time
                continue
            }
            insert(clone.time.epochMilliseconds)
            operations[clone.operationID] = clone.time.epochMilliseconds
        }
    }
}
