import JSONValue

/// The slice of the Toloka API that batch-clone uses; errors are `TolokaError`.
public protocol TolokaAPI: Sendable {
    /// Checks that a source exists and is visible (`GET /{collection}/{id}`); costs no clone quota.
    func check(_ id: String, of target: CloneTarget) async throws
    /// Starts a clone (`POST /{collection}/{id}/clone`). Never retried: the endpoint has no idempotency key.
    func clone(_ id: String, of target: CloneTarget) async throws -> TolokaOperation
    /// Reads one operation (`GET /operations/{id}`).
    func operation(_ id: String) async throws -> TolokaOperation
    /// Lists clone operations (`GET /operations`), one page.
    func operations(_ query: OperationQuery) async throws -> OperationPage
    /// Reads a whole object (`GET /{collection}/{id}`), retried like every GET.
    func object(_ id: String, of target: CloneTarget) async throws -> JSONValue
    /// Replaces a whole object (`PUT /{collection}/{id}`); idempotent, so a lost answer is retried (bounded).
    func replace(_ id: String, of target: CloneTarget, with object: JSONValue) async throws
    /// Opens an object (`POST /{collection}/{id}/open`): its operation, or nil when it is open already (204).
    /// Idempotent, so a lost answer is retried (bounded).
    func open(_ id: String, of target: CloneTarget) async throws -> TolokaOperation?
}

extension TolokaAPI {
    /// Checks that a pool exists and is visible (`GET /pools/{id}`).
    public func checkPool(_ id: String) async throws {
        try await check(id, of: .pool)
    }

    /// Starts a pool clone (`POST /pools/{id}/clone`).
    public func clonePool(_ id: String) async throws -> TolokaOperation {
        try await clone(id, of: .pool)
    }
}
