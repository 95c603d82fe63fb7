import Foundation
import Synchronization

/// A simulated slice of the Toloka API served over HTTP on loopback, for `--simulate` and end-to-end tests.
public final class TolokaSimulator: Sendable {
    private let configuration: SimulatorConfiguration
    private let core: SimulatorCore
    private let server: HTTPServer
    private let boundPort = Mutex<Int?>(nil)

    /// Creates a simulator whose account starts at `now()`; nothing listens until `start()`.
    public init(configuration: SimulatorConfiguration, now: @escaping @Sendable () -> Date = { Date() }) {
        self.configuration = configuration
        let core = SimulatorCore(configuration: configuration, now: now)
        self.core = core
        self.server = HTTPServer { request in core.handle(request) }
    }

    deinit {
        server.stop()
    }

    /// Binds and starts serving on background threads; returns the bound port.
    @discardableResult
    public func start() throws -> Int {
        if let port = boundPort.withLock({ $0 }), server.isRunning {
            return port
        }
        // Restarting after stop() keeps the same port when the first start picked an ephemeral one.
        let requested = boundPort.withLock { $0 } ?? configuration.port
        let port = try server.start(host: configuration.host, port: requested)
        boundPort.withLock { $0 = port }
        return port
    }

    /// The API root, `http://<host>:<port>/api/v1`.
    public var baseURL: URL {
        let port = boundPort.withLock { $0 } ?? configuration.port
        let host = configuration.host.contains(":") ? "[\(configuration.host)]" : configuration.host
        return URL(string: "http://\(host):\(port)/api/v1")!
    }

    /// A snapshot of what the simulator observed so far.
    public var stats: SimulatorStats {
        core.stats
    }

    /// Closes the listening socket and open connections; idempotent.
    public func stop() {
        server.stop()
    }
}

/// The model behind its lock plus the clock; kept apart from the server so the handler holds no cycle.
final class SimulatorCore: Sendable {
    private let routes: Mutex<SimulatorRoutes>
    private let now: @Sendable () -> Date
    private let responseDelay: Duration
    private let responseDelayJitter: Duration
    private let onCloneCommitted: (@Sendable (String, Int) -> Void)?

    init(configuration: SimulatorConfiguration, now: @escaping @Sendable () -> Date) {
        let offset = configuration.clockOffset.simulatorSeconds
        let serverNow: @Sendable () -> Date = { now().addingTimeInterval(offset) }
        self.routes = Mutex(SimulatorRoutes(configuration: configuration, now: serverNow()))
        self.now = serverNow
        self.responseDelay = configuration.faults.responseDelay
        self.responseDelayJitter = configuration.faults.responseDelayJitter
        self.onCloneCommitted = configuration.onCloneCommitted
    }

    var stats: SimulatorStats {
        routes.withLock { $0.account.stats }
    }

    func handle(_ request: HTTPRequest) -> HTTPHandlerResult {
        let arrival = now()
        let (result, accepted) = routes.withLock { routes in
            // Counts only: holding a copy of the stats would make the next change copy its arrays.
            let pools = routes.account.stats.acceptedClones
            let trainings = routes.account.stats.acceptedTrainingClones
            let result = routes.respond(to: request, now: arrival)
            let stats = routes.account.stats
            // The count of the target that just cloned, pools or trainings.
            if stats.acceptedClones > pools { return (result, Optional(stats.acceptedClones)) }
            if stats.acceptedTrainingClones > trainings { return (result, Optional(stats.acceptedTrainingClones)) }
            return (result, nil)
        }
        if let accepted, let onCloneCommitted {
            let parts = request.target.split(separator: "/")
            let pool = parts.count >= 2 ? String(parts[parts.count - 2]) : ""
            onCloneCommitted(pool, accepted)
        }
        if responseDelay > .zero || responseDelayJitter > .zero {
            // Sleeping outside the lock delays this answer without stalling other connections.
            let jitter = responseDelayJitter.simulatorSeconds
            Thread.sleep(forTimeInterval: responseDelay.simulatorSeconds + (jitter > 0 ? .random(in: 0...jitter) : 0))
        }
        // The server's clock at arrival, so that a client can estimate its offset from ours.
        let date = (name: "Date", value: HTTPDate.format(arrival))
        switch result {
        case .respond(var response):
            response.headers.append(date)
            return .respond(response)
        case .stream(var head, let length, let chunk, let pause, let framed):
            head.headers.append(date)
            return .stream(head: head, length: length, chunk: chunk, pause: pause, framed: framed)
        case .drop:
            return .drop
        }
    }
}
