/// What a clone, edit or open acts on: a regular pool or a training, each with its own routes,
/// operation types, parameter keys and clone limits.
public enum SimulatedTarget: String, Sendable, CaseIterable, Codable {
    case pool
    case training

    /// The collection in the API path: `/pools/{id}` or `/trainings/{id}`.
    var pathComponent: String {
        switch self {
        case .pool: "pools"
        case .training: "trainings"
        }
    }

    /// The key of the source in `parameters` and of the new object in `details`.
    var parameterKey: String {
        switch self {
        case .pool: "pool_id"
        case .training: "training_id"
        }
    }

    var cloneOperationType: String {
        switch self {
        case .pool: "POOL.CLONE"
        case .training: "TRAINING.CLONE"
        }
    }

    var openOperationType: String {
        switch self {
        case .pool: "POOL.OPEN"
        case .training: "TRAINING.OPEN"
        }
    }
}
