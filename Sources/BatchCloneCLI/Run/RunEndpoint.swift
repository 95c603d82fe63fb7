import BatchCloneKit
import Foundation
import TolokaSimulator

/// Where a run's requests go and how they are authorized: the real API with `TOLOKA_TOKEN`, or,
/// with `--simulate`, the built-in simulator on loopback, which `stop` ends.
struct RunEndpoint {
    var baseURL: URL
    var authorization: String
    /// The rehearsal's simulator; nil against the real API.
    var simulator: TolokaSimulator?

    /// Whether this is a `--simulate` rehearsal.
    var isRehearsal: Bool { simulator != nil }

    /// Starts the simulator for `--simulate`, else reads the token; a missing token is a usage error.
    init(_ options: RunOptions, context: CommandContext, reporter: ProgressReporter) throws {
        if options.simulate {
            let simulator = try Self.startSimulator(options.ledger.limits, reporter: reporter, clock: context.clock)
            self.init(baseURL: simulator.baseURL, authorization: "ApiKey simulated", simulator: simulator)
            return
        }
        guard let token = context.environment["TOLOKA_TOKEN"], !token.trimmingCharacters(in: .whitespaces).isEmpty
        else {
            throw CLIError.missingToken
        }
        let authorization = TolokaCredentials.authorization(for: token)
        self.init(baseURL: options.ledger.baseURL, authorization: authorization, simulator: nil)
    }

    /// The real API at `baseURL` with `token`, for commands that only read (status).
    init(baseURL: URL, token: String) {
        self.init(baseURL: baseURL, authorization: TolokaCredentials.authorization(for: token), simulator: nil)
    }

    private init(baseURL: URL, authorization: String, simulator: TolokaSimulator?) {
        self.baseURL = baseURL
        self.authorization = authorization
        self.simulator = simulator
    }

    /// The HTTP client of the run; its retries are said on the reporter.
    func client(account: String?, clock: any BatchClock, reporter: ProgressReporter) -> TolokaClient {
        client(account: account, clock: clock) { request, error, wait in
            reporter.say("\(request): \(error); retrying in \(String(format: "%.1f", wait))s")
        }
    }

    /// The HTTP client; `onRetry` hears each retried request.
    func client(
        account: String?,
        clock: any BatchClock,
        onRetry: TolokaClient.RetryObserver? = nil
    ) -> TolokaClient {
        TolokaClient(
            baseURL: baseURL,
            authorization: authorization,
            actUnderAccount: account,
            transport: standardTransport(),
            clock: clock,
            onRetry: onRetry
        )
    }

    /// Stops the rehearsal's simulator, if any.
    func stop() {
        simulator?.stop()
    }

    private static func startSimulator(
        _ limits: [RateLimit],
        reporter: ProgressReporter,
        clock: any BatchClock
    ) throws -> TolokaSimulator {
        var configuration = SimulatorConfiguration()
        // The rehearsal serves one run, of either target: both get the run's limits.
        configuration.limits = SimulatedLimit.ranked(limits.map { SimulatedLimit(count: $0.count, window: $0.window) })
        configuration.trainingLimits = configuration.limits
        configuration.seed = UInt64(truncatingIfNeeded: clock.now.epochMilliseconds)
        let simulator = TolokaSimulator(configuration: configuration)
        do {
            _ = try simulator.start()
        } catch {
            throw CLIError.simulator("\(error)")
        }
        reporter.say(
            "simulator listening on \(simulator.baseURL.absoluteString) (limits "
                + limits.map(\.description).joined(separator: ", ") + ")"
        )
        return simulator
    }
}
