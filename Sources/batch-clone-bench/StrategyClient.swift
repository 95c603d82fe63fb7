import BatchCloneKit
import Foundation

/// What the hand-written strategies (2-4) share: the project's own HTTP client and the waits they
/// take on a 429, so they differ only in how they pace their sends.
struct StrategyClient: Sendable {
    /// The answer to one clone POST, as these strategies care about it.
    enum CloneAnswer {
        case accepted(TolokaOperation)
        /// `interval` from `payload.interval`; `retryAfter` in seconds from the header.
        case tooManyRequests(interval: String?, retryAfter: Double?)
    }

    let api: TolokaClient
    /// `payload.interval` name to the scaled window it stands for.
    let windows: [String: Duration]
    let clock = ContinuousClock()

    init(baseURL: URL, windows: [String: Duration]) {
        // The project's own client, so these strategies send exactly the requests batch-clone
        // would (same headers, POSTs on fresh connections) and differ only in pacing.
        api = TolokaClient(
            baseURL: baseURL,
            authorization: "ApiKey bench",
            transport: standardTransport(),
            clock: SystemClock()
        )
        self.windows = windows
    }

    /// One POST; every error but a 429 ends the strategy, as no fault is injected.
    func clone(_ pool: String) async throws -> CloneAnswer {
        do {
            return .accepted(try await api.clonePool(pool))
        } catch let error as TolokaError {
            if case .api(let status, _, _, let interval, let retryAfter, _) = error, status == 429 {
                return .tooManyRequests(interval: interval, retryAfter: retryAfter)
            }
            throw error
        }
    }

    /// The window a 429's `payload.interval` names; an unknown name means the longest one.
    func window(named interval: String?) -> Duration {
        interval.flatMap { windows[$0] } ?? windows.values.max() ?? .seconds(60)
    }

    /// What a generic "sleep on 429" does: the Retry-After header, else the window of the interval.
    func retryWait(interval: String?, retryAfter: Double?) -> Duration {
        if let retryAfter { return .milliseconds(Int64((retryAfter * 1000).rounded(.up))) }
        return window(named: interval)
    }

    func sleep(for duration: Duration) async throws {
        try await clock.sleep(for: duration, tolerance: .milliseconds(1))
    }

    func sleep(until deadline: ContinuousClock.Instant) async throws {
        try await clock.sleep(until: deadline, tolerance: .milliseconds(1))
    }
}
