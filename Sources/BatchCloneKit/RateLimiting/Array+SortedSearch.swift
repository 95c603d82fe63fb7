/// Binary search in an ascending array, so that the log's sorted lists stay O(log n) to search.
extension RandomAccessCollection where Element: Comparable, Index == Int {
    /// The first index whose element is greater than `value`: where `value` goes after its equals.
    func sortedIndex(after value: Element) -> Int {
        var low = startIndex
        var high = endIndex
        while low < high {
            let middle = (low + high) / 2
            if self[middle] <= value { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// The last index holding `value`, if any.
    func sortedLastIndex(of value: Element) -> Int? {
        let index = sortedIndex(after: value)
        return index > startIndex && self[index - 1] == value ? index - 1 : nil
    }
}
