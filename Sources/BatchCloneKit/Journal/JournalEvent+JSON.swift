import Foundation

extension JournalEvent {
    private struct Line: Codable {
        var event: String
        var pool: String
        var at: String?
        var operation: String?
        var newPool: String?
        var reason: String?
        var operationFailed: Bool?
        var cloneMayExist: Bool?
        var step: String?

        enum CodingKeys: String, CodingKey {
            case event, pool, at, operation, reason, step
            case newPool = "new_pool"
            case operationFailed = "operation_failed"
            case cloneMayExist = "clone_may_exist"
        }
    }

    /// The event as one JSON line (without the newline).
    func jsonLine() -> Data {
        var line = Line(event: "", pool: pool)
        switch self {
        case .listed:
            line.event = "listed"
        case .sending(_, let at):
            line.event = "sending"
            line.at = UTCTimestamp.format(milliseconds: at.epochMilliseconds)
        case .submitted(_, let operation, let at):
            line.event = "submitted"
            line.operation = operation
            line.at = UTCTimestamp.format(milliseconds: at.epochMilliseconds)
        case .done(_, let newPool, let operation):
            line.event = "done"
            line.newPool = newPool
            line.operation = operation
        case .failed(_, let reason, let operation, let mayExist):
            line.event = "failed"
            line.reason = reason
            line.operation = operation
            line.cloneMayExist = mayExist ? true : nil
        case .requeued(_, let operationFailed):
            line.event = "requeued"
            line.operationFailed = operationFailed
        case .stepDone(_, let step):
            line.event = "step_done"
            line.step = step
        case .stepFailed(_, let step, let reason):
            line.event = "step_failed"
            line.step = step
            line.reason = reason
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(line)) ?? Data()
    }

    /// Parses one JSON line; nil when it is not a journal event.
    init?(jsonLine: Data) {
        guard var line = try? JSONDecoder().decode(Line.self, from: jsonLine) else { return nil }
        // A journal from before canonical pool IDs may key a pool as `007`; the CSV now says `7`.
        line.pool = PoolID.canonical(line.pool)
        let at = line.at.flatMap(UTCTimestamp.parse)
        switch line.event {
        case "listed":
            self = .listed(pool: line.pool)
        case "sending":
            guard let at else { return nil }
            self = .sending(pool: line.pool, at: LedgerInstant(epochMilliseconds: at))
        case "submitted":
            guard let at, let operation = line.operation else { return nil }
            self = .submitted(pool: line.pool, operationID: operation, at: ServerInstant(epochMilliseconds: at))
        case "done":
            guard let operation = line.operation else { return nil }
            self = .done(pool: line.pool, newPoolID: line.newPool, operationID: operation)
        case "failed":
            guard let reason = line.reason else { return nil }
            self = .failed(
                pool: line.pool,
                reason: reason,
                operationID: line.operation,
                cloneMayExist: line.cloneMayExist ?? false
            )
        case "requeued":
            self = .requeued(pool: line.pool, operationFailed: line.operationFailed ?? false)
        case "step_done":
            guard let step = line.step else { return nil }
            self = .stepDone(pool: line.pool, step: step)
        case "step_failed":
            guard let step = line.step, let reason = line.reason else { return nil }
            self = .stepFailed(pool: line.pool, step: step, reason: reason)
        default:
            return nil
        }
    }
}
