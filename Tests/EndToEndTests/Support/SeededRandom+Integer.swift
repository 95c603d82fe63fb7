@testable import TolokaSimulator

/// The chaos test draws its kill moments from the simulator's own SplitMix64, so a seed names the
/// same moments on every machine.
extension SeededRandom {
    /// A uniform integer in `range` (the modulo draw the chaos seeds were measured with).
    mutating func integer(in range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(next() % UInt64(range.count))
    }
}
