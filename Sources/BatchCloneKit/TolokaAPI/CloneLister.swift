/// Reads the account's clone operations (`GET /operations`), for reconciliation, polls and the
/// account view alike.
///
/// A server that always says `has_more` cannot hold a run: paging stops after a number of pages,
/// or at a page that brings no operation not seen before, and the listing says it was cut short.
/// A server that refuses the `type` filter (400; the public reference does not list `POOL.CLONE`
/// among its values) is asked for every type, filtered here, from then on. One lister reads one
/// target's clones.
public actor CloneLister {
    let api: any TolokaAPI
    let target: CloneTarget
    let onTypeFilterRefused: @Sendable (TolokaError) -> Void
    private(set) var typeFilterRefused = false

    /// A day of Toloka's quota is 100 clones: 50 pages of 300 cover any account raised far beyond it.
    public static let defaultPages = 50

    /// A lister of `target`'s clones over `api`; `onTypeFilterRefused` hears once that the fallback took effect.
    public init(
        api: any TolokaAPI,
        target: CloneTarget = .pool,
        onTypeFilterRefused: @escaping @Sendable (TolokaError) -> Void = { _ in }
    ) {
        self.api = api
        self.target = target
        self.onTypeFilterRefused = onTypeFilterRefused
    }

    /// The clone operations submitted since `since` (server time), at most `maxPages` pages.
    public func list(since: ServerInstant, maxPages: Int) async throws -> AccountListing {
        var query = OperationQuery(submittedAtOrAfter: since)
        query.type = target.operationType
        var listing = AccountListing(operations: [], pages: 0)
        var seen: Set<String> = []
        while listing.pages < maxPages {
            if typeFilterRefused { query.type = nil }
            let page: OperationPage
            do {
                page = try await api.operations(query)
            } catch let error as TolokaError where !typeFilterRefused && Self.refusesTypeFilter(error) {
                typeFilterRefused = true
                onTypeFilterRefused(error)
                continue
            }
            listing.pages += 1
            listing.serverDate = page.serverDate ?? listing.serverDate
            listing.receivedAt = page.receivedAt ?? listing.receivedAt
            let fresh = page.items.filter { seen.insert($0.id).inserted }
            listing.operations += fresh.filter { $0.type == target.operationType }
            guard page.hasMore, let last = page.items.last else { return listing }
            if fresh.isEmpty { break }
            query.idAfter = last.id
        }
        listing.truncated = true
        return listing
    }

    /// Whether a failed list request means the server does not know the `type` filter: a 400.
    static func refusesTypeFilter(_ error: TolokaError) -> Bool {
        error.status == 400
    }
}
