/// Brute-force checks of send schedules, independent of the ledger's own formula.
enum LimitChecks {
    /// Windows `[start, start + span)` (starting at a send) that hold more than `count` sends.
    static func violations(_ sends: [Int64], count: Int, span: Int64) -> [(start: Int64, sends: Int)] {
        var found: [(Int64, Int)] = []
        for start in sends {
            let inside = sends.filter { $0 >= start && $0 < start + span }.count
            if inside > count { found.append((start, inside)) }
        }
        return found
    }

    /// Sends in the half-open interval `(from, to]`.
    static func count(_ sends: [Int64], after from: Int64, upTo to: Int64) -> Int {
        sends.filter { $0 > from && $0 <= to }.count
    }
}
