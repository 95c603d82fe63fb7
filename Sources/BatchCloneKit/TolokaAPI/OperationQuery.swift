/// The filter of `GET /operations` that reconciliation and batch polling use.
public struct OperationQuery: Sendable, Equatable {
    /// nil lists every type (for a server that refuses the filter); callers then filter themselves.
    public var type: String? = CloneTarget.pool.operationType
    /// `submitted_gte`, on the server's clock.
    public var submittedAtOrAfter: ServerInstant
    /// `id_gt`, to page through results sorted by id.
    public var idAfter: String?
    public var limit: Int = 300

    public init(submittedAtOrAfter: ServerInstant, idAfter: String? = nil, limit: Int = 300) {
        self.submittedAtOrAfter = submittedAtOrAfter
        self.idAfter = idAfter
        self.limit = limit
    }
}
