@testable import BatchCloneKit

/// The oracle of the recorded changes: the change between two logs found by comparing them whole
/// (what `FileLedgerStore` wrote before it recorded each update's own mutations).
extension LedgerChange {
    /// The change that turns `old` into `new`; both logs' sends are sorted, so one merge finds it.
    init(diffing old: SendLog, to new: SendLog) {
        self.init()
        let before = old.sends
        let after = new.sends
        var i = 0
        var j = 0
        while i < before.count || j < after.count {
            if j == after.count || (i < before.count && before[i] < after[j]) {
                removed.append(before[i])
                i += 1
            } else if i == before.count || after[j] < before[i] {
                added.append(after[j])
                j += 1
            } else {
                i += 1
                j += 1
            }
        }
        if old.operations != new.operations {
            for (id, time) in new.operations where old.operations[id] != time {
                operations[id] = .some(time)
            }
            for id in old.operations.keys where new.operations[id] == nil {
                operations[id] = .some(nil)
            }
        }
        if old.blockedUntil != new.blockedUntil { blockedUntil = .some(new.blockedUntil) }
        if old.retention != new.retention { retention = .some(new.retention) }
        if old.pending != new.pending {
            var i = 0
            var j = 0
            while i < old.pending.count || j < new.pending.count {
                if j == new.pending.count || (i < old.pending.count && old.pending[i] < new.pending[j]) {
                    pendingRemoved.append(old.pending[i])
                    i += 1
                } else if i == old.pending.count || new.pending[j] < old.pending[i] {
                    pendingAdded.append(new.pending[j])
                    j += 1
                } else {
                    i += 1
                    j += 1
                }
            }
        }
        if old.links != new.links {
            for (id, send) in new.links where old.links[id] != send { links[id] = .some(send) }
            for id in old.links.keys where new.links[id] == nil { links[id] = .some(nil) }
        }
    }
}
