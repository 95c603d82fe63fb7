/// Names of the arrival logs the account's quotas count in.
enum ArrivalKey {
    static let poolClones = "clone:pool"
    static let trainingClones = "clone:training"

    /// The overlap-change log: one for the account, or one per object when counted per pool.
    static func overlapChanges(_ target: SimulatedTarget, id: String, perObject: Bool) -> String {
        perObject ? "overlap:\(target.rawValue):\(id)" : "overlap"
    }
}
