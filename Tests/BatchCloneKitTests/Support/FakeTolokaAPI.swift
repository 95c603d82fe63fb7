import Foundation
import Synchronization

@testable import BatchCloneKit

/// A scripted Toloka API in memory: pools, clone answers, operations that finish after N polls,
/// the server's operation list with paging, and counters of every call.
final class FakeTolokaAPI: TolokaAPI {
    enum CloneAnswer: Sendable {
        /// The server creates an operation that finishes after `polls` reads, with SUCCESS or FAIL.
        case accept(polls: Int = 1, fails: Bool = false)
        /// The server commits the clone, but its answer is lost on the way back.
        case lostAfterCommit(polls: Int = 1, fails: Bool = false, error: TolokaError = .transport("dropped"))
        /// The server answers with an error and creates nothing.
        case error(TolokaError)
    }

    struct ServerOperation: Sendable {
        var id: String
        var type: String
        var pool: String
        var submitted: Int64
        var pollsUntilFinished: Int
        var fails: Bool
        var polls = 0

        var newPoolID: String { "new-\(pool)-\(id)" }
    }

    struct CloneCall: Sendable, Equatable {
        var pool: String
        var at: Int64
    }

    private struct State {
        var checkErrors: [String: TolokaError] = [:]
        var cloneScripts: [String: [CloneAnswer]] = [:]
        var defaultClone: CloneAnswer = .accept()
        var operations: [ServerOperation] = []
        var nextID = 1
        var pollError: TolokaError?
        var listError: TolokaError?
        /// Whether a listed operation counts as read (as a real server's list shows current statuses).
        var listCountsAsRead = false
        var pageSize = 300
        var serverSkew: Int64 = 0
        var checkCalls: [String] = []
        var cloneCalls: [CloneCall] = []
        var operationCalls: [String] = []
        var listQueries: [OperationQuery] = []
        /// Every call in order: "check p", "clone p", "poll op", "list".
        var calls: [String] = []
    }

    static let tooManyRequests = TolokaError.api(
        status: 429, code: "TOO_MANY_REQUESTS", message: "", interval: "MIN", retryAfter: nil)
    static let unauthorized = TolokaError.api(
        status: 401, code: "AUTHENTICATION_ERROR", message: "bad token", interval: nil, retryAfter: nil)
    static let forbidden = TolokaError.api(
        status: 403, code: "ACCESS_DENIED", message: "no rights", interval: nil, retryAfter: nil)
    static let missing = TolokaError.api(
        status: 404, code: "DOES_NOT_EXIST", message: "no such pool", interval: nil, retryAfter: nil)

    private let state = Mutex(State())
    let clock: any BatchClock

    init(clock: any BatchClock) {
        self.clock = clock
    }

    // MARK: - Script

    /// `checkPool` of `pool` throws `error` (every time).
    func failCheck(_ pool: String, with error: TolokaError) {
        state.withLock { $0.checkErrors[pool] = error }
    }

    /// The answers to the clones of `pool`, in order; then the default answer.
    func scriptClones(_ pool: String, _ answers: [CloneAnswer]) {
        state.withLock { $0.cloneScripts[pool] = answers }
    }

    /// The answer to every clone without a script.
    func setDefaultClone(_ answer: CloneAnswer) {
        state.withLock { $0.defaultClone = answer }
    }

    /// Every `operation(_:)` read throws `error` (nil: normal reads again).
    func setPollError(_ error: TolokaError?) {
        state.withLock { $0.pollError = error }
    }

    /// Every `operations(_:)` call throws `error` (nil: normal answers again).
    func setListError(_ error: TolokaError?) {
        state.withLock { $0.listError = error }
    }

    /// The most items one page of `operations(_:)` holds (the query's limit still applies).
    func setPageSize(_ size: Int) {
        state.withLock { $0.pageSize = size }
    }

    /// Makes the operation list show, and advance, each operation's real status like a single read.
    func listShowsCurrentStatus() {
        state.withLock { $0.listCountsAsRead = true }
    }

    /// How far the server's clock is ahead of the test clock (negative: behind), in ms.
    func setServerSkew(_ milliseconds: Int64) {
        state.withLock { $0.serverSkew = milliseconds }
    }

    /// An operation that exists on the server already (another clone, another type); returns its id.
    @discardableResult
    func addServerOperation(
        pool: String, submitted: Int64, type: String = "POOL.CLONE", polls: Int = 1, fails: Bool = false
    ) -> String {
        state.withLock { state in
            Self.create(&state, pool: pool, submitted: submitted, type: type, polls: polls, fails: fails).id
        }
    }

    private static func create(
        _ state: inout State, pool: String, submitted: Int64, type: String = "POOL.CLONE", polls: Int, fails: Bool
    ) -> ServerOperation {
        let id = String(format: "op-%05d", state.nextID)
        state.nextID += 1
        let operation = ServerOperation(
            id: id, type: type, pool: pool, submitted: submitted, pollsUntilFinished: polls, fails: fails)
        state.operations.append(operation)
        return operation
    }

    // MARK: - Observations

    var checkCalls: [String] { state.withLock { $0.checkCalls } }
    var cloneCalls: [CloneCall] { state.withLock { $0.cloneCalls } }
    var cloneTimes: [Int64] { cloneCalls.map(\.at) }
    func clones(of pool: String) -> Int { cloneCalls.filter { $0.pool == pool }.count }
    func checks(of pool: String) -> Int { checkCalls.filter { $0 == pool }.count }
    var operationCalls: [String] { state.withLock { $0.operationCalls } }
    var listQueries: [OperationQuery] { state.withLock { $0.listQueries } }
    var calls: [String] { state.withLock { $0.calls } }
    var serverOperations: [ServerOperation] { state.withLock { $0.operations } }
    /// Clone operations the server created for `pool`.
    func serverClones(of pool: String) -> [ServerOperation] {
        serverOperations.filter { $0.pool == pool && $0.type == "POOL.CLONE" }
    }

    // MARK: - TolokaAPI

    func checkPool(_ id: String) async throws {
        let error = state.withLock { state in
            state.checkCalls.append(id)
            state.calls.append("check \(id)")
            return state.checkErrors[id]
        }
        if let error { throw error }
    }

    func clonePool(_ id: String) async throws -> TolokaOperation {
        let now = clock.now.epochMilliseconds
        let result: Result<TolokaOperation, TolokaError> = state.withLock { state in
            state.cloneCalls.append(CloneCall(pool: id, at: now))
            state.calls.append("clone \(id)")
            let answer: CloneAnswer
            if var script = state.cloneScripts[id], !script.isEmpty {
                answer = script.removeFirst()
                state.cloneScripts[id] = script
            } else {
                answer = state.defaultClone
            }
            let submitted = now + state.serverSkew
            switch answer {
            case .accept(let polls, let fails):
                let operation = Self.create(&state, pool: id, submitted: submitted, polls: polls, fails: fails)
                return .success(Self.view(operation, status: .pending))
            case .lostAfterCommit(let polls, let fails, let error):
                _ = Self.create(&state, pool: id, submitted: submitted, polls: polls, fails: fails)
                return .failure(error)
            case .error(let error):
                return .failure(error)
            }
        }
        return try result.get()
    }

    func operation(_ id: String) async throws -> TolokaOperation {
        let result: Result<TolokaOperation, TolokaError> = state.withLock { state in
            state.operationCalls.append(id)
            state.calls.append("poll \(id)")
            if let error = state.pollError { return .failure(error) }
            guard let index = state.operations.firstIndex(where: { $0.id == id }) else {
                return .failure(.api(status: 404, code: "DOES_NOT_EXIST", message: "", interval: nil, retryAfter: nil))
            }
            state.operations[index].polls += 1
            let operation = state.operations[index]
            guard operation.polls >= operation.pollsUntilFinished else {
                return .success(Self.view(operation, status: .running))
            }
            return .success(Self.view(operation, status: operation.fails ? .fail : .success))
        }
        return try result.get()
    }

    func operations(_ query: OperationQuery) async throws -> OperationPage {
        let result: Result<OperationPage, TolokaError> = state.withLock { state in
            state.listQueries.append(query)
            state.calls.append("list")
            if let error = state.listError { return .failure(error) }
            let matching = state.operations
                .filter { $0.type == query.type && $0.submitted >= query.submittedAtOrAfter }
                .filter { operation in query.idAfter.map { operation.id > $0 } ?? true }
                .sorted { $0.id < $1.id }
            let size = min(query.limit, state.pageSize)
            var page: [TolokaOperation] = []
            for operation in matching.prefix(size) {
                guard state.listCountsAsRead, let index = state.operations.firstIndex(where: { $0.id == operation.id }) else {
                    page.append(Self.view(operation, status: .running))
                    continue
                }
                state.operations[index].polls += 1
                let read = state.operations[index]
                page.append(
                    Self.view(read, status: read.polls < read.pollsUntilFinished ? .running : read.fails ? .fail : .success))
            }
            return .success(OperationPage(items: Array(page), hasMore: matching.count > size))
        }
        return try result.get()
    }

    private static func view(_ operation: ServerOperation, status: TolokaOperation.Status) -> TolokaOperation {
        TolokaOperation(
            id: operation.id, type: operation.type, status: status, submitted: operation.submitted,
            sourcePoolID: operation.pool, newPoolID: status == .success ? operation.newPoolID : nil,
            failureReason: status == .fail ? "boom" : nil)
    }
}
