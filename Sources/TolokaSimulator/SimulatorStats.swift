import Foundation

/// What the simulator observed, for assertions in tests and for `GET /_sim/stats`.
public struct SimulatorStats: Sendable, Codable, Equatable {
    /// Accepted clones (operations created) per source pool id, including commit-then-fail ones.
    public var clonesPerPool: [String: Int] = [:]
    /// Clone POSTs received per source pool id, whatever their answer.
    public var clonePostsPerPool: [String: Int] = [:]
    /// Total accepted clones.
    public var acceptedClones: Int = 0
    /// Number of 429 answers on all endpoints.
    public var tooManyRequests: Int = 0
    /// All requests handled, including rejected and faulted ones.
    public var requests: Int = 0
    /// Requests per route, e.g. `GET /pools/{id}` or `POST /pools/{id}/clone`.
    public var requestsByRoute: [String: Int] = [:]
    /// Arrival time of every accepted clone POST, in order.
    public var cloneArrivals: [Date] = []
    /// Clones counted from `SimulatorConfiguration.hiddenClones` so far (never listed).
    public var hiddenClones: Int = 0
    /// Accepted training clones per source training id.
    public var clonesPerTraining: [String: Int] = [:]
    /// Training clone POSTs received per source training id, whatever their answer.
    public var clonePostsPerTraining: [String: Int] = [:]
    /// Total accepted training clones (not in `acceptedClones`, which counts pool clones).
    public var acceptedTrainingClones: Int = 0
    /// Arrival time of every accepted training clone POST, in order.
    public var trainingCloneArrivals: [Date] = []
    /// Accepted `PUT`s per pool or training id, repeats included.
    public var editsPerObject: [String: Int] = [:]
    /// Open operations created per pool or training id (a 204 for an open one is not counted).
    public var opensPerObject: [String: Int] = [:]
    /// Accepted edits that changed an overlap value.
    public var overlapChanges: Int = 0
    /// Faults injected on purpose (GET failures, commit-then-fail, commit-then-drop).
    public var injectedFaults: Int = 0

    /// Creates empty statistics.
    public init() {}
}
