import BatchCloneKit
import JSONValue

/// Objects read whole, replaced whole, and opened by an operation that finishes after one read.
extension FakeTolokaAPI {
    public func object(_ id: String, of target: CloneTarget) async throws -> JSONValue {
        try state.withLock { state throws(TolokaError) in
            state.calls.append(.object(id))
            try Self.scriptedError(&state, "object", id)
            return state.objects[id] ?? Self.defaultObject(id)
        }
    }

    public func replace(_ id: String, of target: CloneTarget, with object: JSONValue) async throws {
        try state.withLock { state throws(TolokaError) in
            state.calls.append(.replace(id, object))
            try Self.scriptedError(&state, "replace", id)
            state.objects[id] = object
        }
    }

    public func open(_ id: String, of target: CloneTarget) async throws -> TolokaOperation? {
        let now = clock.now.epochMilliseconds
        return try state.withLock { state throws(TolokaError) -> TolokaOperation? in
            state.calls.append(.open(id))
            try Self.scriptedError(&state, "open", id)
            guard state.opened.insert(id).inserted else { return nil }
            let type = target == .training ? "TRAINING.OPEN" : "POOL.OPEN"
            let operation = Self.create(&state, pool: id, submitted: now, type: type, polls: 1, fails: false)
            return TolokaOperation(id: operation.id, type: type, status: .pending, sourcePoolID: id)
        }
    }

    private static func scriptedError(_ state: inout State, _ call: String, _ id: String) throws(TolokaError) {
        guard var errors = state.objectErrors["\(call) \(id)"], !errors.isEmpty else { return }
        let error = errors.removeFirst()
        state.objectErrors["\(call) \(id)"] = errors
        throw error
    }
}
