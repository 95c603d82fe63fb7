/// What a batch clones: the one place that spells a kind of source's endpoint, operation type and
/// parameter keys, so a new kind (trainings) is one more value here, not a change in every file.
public struct CloneTarget: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Its name in journals, ledger entries and messages ("pool").
    public let name: String
    /// The API collection of its sources: `GET /{collection}/{id}`, `POST /{collection}/{id}/clone`.
    public let collection: String
    /// The type of its clone operations in `GET /operations`.
    public let operationType: String
    /// The key naming the source in an operation's `parameters` and the clone in its `details`.
    public let parameterKey: String

    /// Pools: `POST /pools/{id}/clone`, answered with a `POOL.CLONE` operation.
    public static let pool = CloneTarget(
        name: "pool",
        collection: "pools",
        operationType: "POOL.CLONE",
        parameterKey: "pool_id"
    )

    /// Training pools: `POST /trainings/{id}/clone`, answered with a `TRAINING.CLONE` operation,
    /// under limits of their own.
    public static let training = CloneTarget(
        name: "training",
        collection: "trainings",
        operationType: "TRAINING.CLONE",
        parameterKey: "training_id"
    )

    /// Every target the client knows, for decoding operations and journal entries.
    public static let all: [CloneTarget] = [.pool, .training]

    /// The target whose clone operations have `type`, if any.
    public static func cloning(operationType type: String) -> CloneTarget? {
        all.first { $0.operationType == type }
    }

    public var description: String { name }

    public static func < (lhs: CloneTarget, rhs: CloneTarget) -> Bool { lhs.name < rhs.name }
}
