/// A hand-written way of cloning a batch that the benchmark compares with batch-clone.
protocol PacingStrategy: Sendable {
    /// The row label in the table.
    var name: String { get }
    /// Clones every pool once (as far as the strategy manages), pacing sends its own way.
    func clone(_ pools: [String], with client: StrategyClient) async throws
}
