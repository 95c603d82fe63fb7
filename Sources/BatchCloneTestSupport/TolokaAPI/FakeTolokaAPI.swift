import BatchCloneKit
import Foundation
import JSONValue
import Synchronization

/// A scripted Toloka API in memory: pools, clone answers, operations that finish after N reads,
/// the server's operation list with paging, and every call in order.
public final class FakeTolokaAPI: TolokaAPI {
    struct State {
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
        var cloneCalls: [CloneCall] = []
        var calls: [Call] = []
        /// Pools and trainings as objects, by id; an id not here reads as `defaultObject(id)`.
        var objects: [String: JSONValue] = [:]
        /// Errors the next object calls throw, by `"object ID"`, `"replace ID"` or `"open ID"`, in order.
        var objectErrors: [String: [TolokaError]] = [:]
        /// Objects opened (their open operation created).
        var opened: Set<String> = []
    }

    let state = Mutex(State())
    /// The clock that stamps clone calls and the operations the server creates.
    public let clock: any BatchClock

    /// A server with no operations, accepting every clone with one read to finish.
    public init(clock: any BatchClock) {
        self.clock = clock
    }

    // MARK: - Script

    /// `checkPool` of `pool` throws `error` (every time).
    public func failCheck(_ pool: String, with error: TolokaError) {
        state.withLock { $0.checkErrors[pool] = error }
    }

    /// The answers to the clones of `pool`, in order; then the default answer.
    public func scriptClones(_ pool: String, _ answers: [CloneAnswer]) {
        state.withLock { $0.cloneScripts[pool] = answers }
    }

    /// The answer to every clone without a script.
    public func setDefaultClone(_ answer: CloneAnswer) {
        state.withLock { $0.defaultClone = answer }
    }

    /// Every `operation(_:)` read throws `error` (nil: normal reads again).
    public func setPollError(_ error: TolokaError?) {
        state.withLock { $0.pollError = error }
    }

    /// Every `operations(_:)` call throws `error` (nil: normal answers again).
    public func setListError(_ error: TolokaError?) {
        state.withLock { $0.listError = error }
    }

    /// The most items one page of `operations(_:)` holds (the query's limit still applies).
    public func setPageSize(_ size: Int) {
        state.withLock { $0.pageSize = size }
    }

    /// Makes the operation list show, and advance, each operation's real status like a single read.
    public func listShowsCurrentStatus() {
        state.withLock { $0.listCountsAsRead = true }
    }

    /// How far the server's clock is ahead of the test clock (negative: behind), in ms.
    public func setServerSkew(_ milliseconds: Int64) {
        state.withLock { $0.serverSkew = milliseconds }
    }

    /// An operation that exists on the server already (another clone, another type); returns its id.
    @discardableResult
    public func addServerOperation(
        pool: String,
        submitted: Int64,
        type: String = "POOL.CLONE",
        polls: Int = 1,
        fails: Bool = false
    ) -> String {
        state.withLock { state in
            Self.create(&state, pool: pool, submitted: submitted, type: type, polls: polls, fails: fails).id
        }
    }

    static func create(
        _ state: inout State,
        pool: String,
        submitted: Int64,
        type: String = "POOL.CLONE",
        polls: Int,
        fails: Bool
    ) -> ServerOperation {
        let id = String(format: "op-%05d", state.nextID)
        state.nextID += 1
        let operation = ServerOperation(
            id: id,
            type: type,
            pool: pool,
            submitted: submitted,
            pollsUntilFinished: polls,
            fails: fails
        )
        state.operations.append(operation)
        return operation
    }

    /// The object `id` holds from the start (a source's fields for templates).
    public func setObject(_ id: String, _ object: JSONValue) {
        state.withLock { $0.objects[id] = object }
    }

    /// The next calls `call` (`object`, `replace` or `open`) of `id` throw these errors, in order.
    public func failObjectCalls(_ call: String, _ id: String, with errors: [TolokaError]) {
        state.withLock { $0.objectErrors["\(call) \(id)"] = errors }
    }

    /// An object with a name, an expiry in the future and an overlap, as a clone of a template has.
    public static func defaultObject(_ id: String) -> JSONValue {
        .object([
            ("private_name", .string("pool \(id)")),
            ("will_expire", .string("2030-01-01T00:00:00")),
            ("defaults", .object([("default_overlap_for_new_tasks", .int(3))])),
        ])
    }

    /// The object `id` as it stands.
    public func storedObject(_ id: String) -> JSONValue {
        state.withLock { $0.objects[id] } ?? Self.defaultObject(id)
    }

    // MARK: - Observations

    /// Every call so far, in order.
    public var calls: [Call] { state.withLock { $0.calls } }
    /// Every clone call with its time.
    public var cloneCalls: [CloneCall] { state.withLock { $0.cloneCalls } }
    /// The pools checked, in order.
    public var checkCalls: [String] { calls.compactMap { if case .check(let pool) = $0 { pool } else { nil } } }
    /// The operation ids read one by one, in order.
    public var operationCalls: [String] { calls.compactMap { if case .poll(let id) = $0 { id } else { nil } } }
    /// The queries of every operation list, in order.
    public var listQueries: [OperationQuery] {
        calls.compactMap { if case .list(let query) = $0 { query } else { nil } }
    }
    /// The objects replaced, in order.
    public var replaceCalls: [String] { calls.compactMap { if case .replace(let id, _) = $0 { id } else { nil } } }
    /// The objects asked to open, in order.
    public var openCalls: [String] { calls.compactMap { if case .open(let id) = $0 { id } else { nil } } }
    /// How many clones of `pool` were asked.
    public func clones(of pool: String) -> Int { cloneCalls.filter { $0.pool == pool }.count }
    /// How many checks of `pool` were asked.
    public func checks(of pool: String) -> Int { checkCalls.filter { $0 == pool }.count }
    /// Every operation on the server, in creation order.
    public var serverOperations: [ServerOperation] { state.withLock { $0.operations } }
    /// Clone operations the server created for `pool`, in creation order.
    public func serverClones(of pool: String) -> [ServerOperation] {
        serverOperations.filter { $0.pool == pool && $0.type == "POOL.CLONE" }
    }
}
