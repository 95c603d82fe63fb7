import BatchCloneKit

/// Strategy 2: what a loop over toloka-kit's `clone_pool` + `wait_operation` does.
///
/// One pool at a time: POST, wait for the operation to finish, next pool. On a 429 toloka-kit's
/// `TolokaRetry` sleeps the whole window named by `payload.interval` (60 s for `MIN`, a day for
/// `DAY`) unless a Retry-After header is sent; Toloka does not document one, so the header is
/// ignored here and the scaled window is slept.
struct CloneAndWaitStrategy: PacingStrategy {
    let name = "clone-and-wait, sleep window on 429"
    /// toloka-kit's `wait_operation` waits 0.5 s, then polls every 1 s; both scaled like the windows.
    let initialDelay: Duration
    let pollInterval: Duration

    init(timeScale: Double) {
        initialDelay = .milliseconds(Int64((500 * timeScale).rounded()))
        pollInterval = .milliseconds(Int64((1000 * timeScale).rounded()))
    }

    func clone(_ pools: [String], with client: StrategyClient) async throws {
        for pool in pools {
            var operation = try await cloneRetrying(pool, client: client)
            if !operation.status.isFinished {
                try await client.sleep(for: initialDelay)
                operation = try await client.api.operation(operation.id)
                while !operation.status.isFinished {
                    try await client.sleep(for: pollInterval)
                    operation = try await client.api.operation(operation.id)
                }
            }
        }
    }

    private func cloneRetrying(_ pool: String, client: StrategyClient) async throws -> TolokaOperation {
        while true {
            switch try await client.clone(pool) {
            case .accepted(let operation):
                return operation
            case .tooManyRequests(let interval, _):
                try await client.sleep(for: client.window(named: interval))
            }
        }
    }
}
