import Foundation

/// A sorted log of arrival times answering "how many in (start, end]" by binary search.
struct ArrivalLog: Sendable {
    private(set) var times: [Date] = []

    var count: Int { times.count }

    mutating func record(_ time: Date) {
        if let last = times.last, last > time {
            times.insert(time, at: firstIndex(after: time))
        } else {
            times.append(time)
        }
    }

    func count(after start: Date, upTo end: Date) -> Int {
        max(0, firstIndex(after: end) - firstIndex(after: start))
    }

    /// The earliest arrival in (start, end], which is the next one to leave a window ending at `end`.
    func oldest(after start: Date, upTo end: Date) -> Date? {
        let index = firstIndex(after: start)
        guard index < times.count, times[index] <= end else { return nil }
        return times[index]
    }

    /// Drops arrivals at or before `cutoff`, in bulk so the amortized cost stays constant.
    mutating func prune(atOrBefore cutoff: Date) {
        let stale = firstIndex(after: cutoff)
        if stale > 0 && stale * 2 >= times.count {
            times.removeFirst(stale)
        }
    }

    /// Index of the first arrival strictly later than `time`.
    private func firstIndex(after time: Date) -> Int {
        var low = 0
        var high = times.count
        while low < high {
            let middle = (low + high) / 2
            if times[middle] <= time {
                low = middle + 1
            } else {
                high = middle
            }
        }
        return low
    }
}
