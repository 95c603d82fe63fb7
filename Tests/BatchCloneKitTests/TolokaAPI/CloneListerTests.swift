import JSONValue
import Synchronization
import Testing

@testable import BatchCloneKit

/// Paging through the account's operations against servers that never end or refuse the filter.
@Suite struct CloneListerTests {
    /// A server whose list pages are scripted: `page(query, index)` answers the index-th request.
    final class ScriptedList: TolokaAPI {
        let page: @Sendable (OperationQuery, Int) throws -> OperationPage
        let queries = Mutex<[OperationQuery]>([])

        init(page: @escaping @Sendable (OperationQuery, Int) throws -> OperationPage) {
            self.page = page
        }

        func check(_ id: String, of target: CloneTarget) async throws {}
        func clone(_ id: String, of target: CloneTarget) async throws -> TolokaOperation {
            throw TolokaError.transport("unused")
        }
        func operation(_ id: String) async throws -> TolokaOperation { throw TolokaError.transport("unused") }
        func object(_ id: String, of target: CloneTarget) async throws -> JSONValue {
            throw TolokaError.transport("unused")
        }
        func replace(_ id: String, of target: CloneTarget, with object: JSONValue) async throws {
            throw TolokaError.transport("unused")
        }
        func open(_ id: String, of target: CloneTarget) async throws -> TolokaOperation? {
            throw TolokaError.transport("unused")
        }
        func operations(_ query: OperationQuery) async throws -> OperationPage {
            let index = queries.withLock { queries in
                queries.append(query)
                return queries.count - 1
            }
            return try page(query, index)
        }
    }

    static func clone(_ id: String) -> TolokaOperation {
        TolokaOperation(id: id, status: .success, submitted: ServerInstant(epochMilliseconds: 1000), sourcePoolID: "1")
    }

    @Test func aListThatRepeatsItselfForeverStopsAtThePageWithNothingNew() async throws {
        let api = ScriptedList { _, _ in OperationPage(items: [Self.clone("a"), Self.clone("b")], hasMore: true) }
        let listing = try await CloneLister(api: api).list(since: ServerInstant(epochMilliseconds: 0), maxPages: 50)
        #expect(api.queries.withLock { $0.count } == 2)
        #expect(listing.operations.map(\.id) == ["a", "b"])
        #expect(listing.truncated)
    }

    @Test func aListThatNeverEndsStopsAfterTheBoundAndSaysSo() async throws {
        let api = ScriptedList { _, index in OperationPage(items: [Self.clone("op-\(index)")], hasMore: true) }
        let listing = try await CloneLister(api: api).list(since: ServerInstant(epochMilliseconds: 0), maxPages: 5)
        #expect(api.queries.withLock { $0.count } == 5)
        #expect(listing.pages == 5)
        #expect(listing.truncated)
    }

    @Test func pagesFollowTheLastIDAndAnEndedListIsComplete() async throws {
        let api = ScriptedList { _, index in
            OperationPage(
                items: [Self.clone("op-\(index)")],
                hasMore: index < 2,
                serverDate: ServerInstant(epochMilliseconds: 5000),
                receivedAt: LocalInstant(epochMilliseconds: 4900)
            )
        }
        let listing = try await CloneLister(api: api).list(since: ServerInstant(epochMilliseconds: 7), maxPages: 50)
        #expect(listing.operations.map(\.id) == ["op-0", "op-1", "op-2"])
        #expect(!listing.truncated)
        #expect(listing.serverDate?.epochMilliseconds == 5000 && listing.receivedAt?.epochMilliseconds == 4900)
        #expect(api.queries.withLock { $0.map(\.idAfter) } == [nil, "op-0", "op-1"])
        #expect(api.queries.withLock { $0.allSatisfy { $0.submittedAtOrAfter.epochMilliseconds == 7 } })
    }

    @Test func aRefusedTypeFilterIsDroppedForGoodAndOtherTypesFilteredHere() async throws {
        let refused = TolokaError.api(
            status: 400,
            code: "VALIDATION_ERROR",
            message: "type",
            interval: nil,
            retryAfter: nil
        )
        let api = ScriptedList { query, _ in
            if query.type != nil { throw refused }
            let open = TolokaOperation(
                id: "open",
                type: "POOL.OPEN",
                status: .success,
                submitted: ServerInstant(epochMilliseconds: 1000)
            )
            return OperationPage(items: [Self.clone("c"), open], hasMore: false)
        }
        let heard = Mutex<[TolokaError]>([])
        let lister = CloneLister(api: api) { error in heard.withLock { $0.append(error) } }
        let first = try await lister.list(since: ServerInstant(epochMilliseconds: 0), maxPages: 50)
        let second = try await lister.list(since: ServerInstant(epochMilliseconds: 0), maxPages: 50)
        #expect(first.operations.map(\.id) == ["c"])
        #expect(second.operations.map(\.id) == ["c"])
        #expect(api.queries.withLock { $0.map(\.type) } == ["POOL.CLONE", nil, nil])
        #expect(heard.withLock { $0 } == [refused])
    }

    @Test func anotherFailureIsThrown() async {
        let api = ScriptedList { _, _ in throw TolokaError.transport("reset") }
        await #expect(throws: TolokaError.transport("reset")) {
            try await CloneLister(api: api).list(since: ServerInstant(epochMilliseconds: 0), maxPages: 3)
        }
    }
}
