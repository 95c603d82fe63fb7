/// The slice of the Toloka API that batch-clone uses; errors are `TolokaError`.
public protocol TolokaAPI: Sendable {
    /// Checks that a pool exists and is visible (`GET /pools/{id}`); costs no clone quota.
    func checkPool(_ id: String) async throws
    /// Starts a clone (`POST /pools/{id}/clone`). Never retried: the endpoint has no idempotency key.
    func clonePool(_ id: String) async throws -> TolokaOperation
    /// Reads one operation (`GET /operations/{id}`).
    func operation(_ id: String) async throws -> TolokaOperation
    /// Lists clone operations (`GET /operations`), one page.
    func operations(_ query: OperationQuery) async throws -> OperationPage
}
