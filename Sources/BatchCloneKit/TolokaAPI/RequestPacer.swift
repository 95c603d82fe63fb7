import Foundation
import Synchronization

/// Keeps the client under the API's global request cap (300 per second) with an exact window log.
final class RequestPacer: Sendable {
    private let ledger: Mutex<RateLimitLedger>
    private let clock: any BatchClock

    init(limit: RateLimit, clock: any BatchClock) {
        ledger = Mutex(RateLimitLedger(limits: [limit], minimumRetention: .zero))
        self.clock = clock
    }

    /// Waits for a request slot and takes it.
    func acquire() async throws {
        while true {
            let now = clock.now.epochMilliseconds
            let wait: Int64? = ledger.withLock { ledger in
                ledger.prune(now: now)
                return ledger.takeSlot(now: now) ? nil : ledger.earliestSend(now: now)
            }
            guard let wait else { return }
            try await clock.sleep(until: Date(epochMilliseconds: wait))
        }
    }
}
