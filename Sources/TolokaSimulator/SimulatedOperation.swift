import Foundation
import JSONValue

/// An asynchronous Toloka operation whose state is derived from `now`, so no timers are needed.
struct SimulatedOperation: Sendable {
    enum Status: String, Sendable, CaseIterable {
        case pending = "PENDING"
        case running = "RUNNING"
        case success = "SUCCESS"
        case fail = "FAIL"
    }

    /// The share of the latency spent PENDING before the operation starts RUNNING.
    static let pendingShare = 0.3

    var id: String
    var type: String
    var submitted: Date
    /// Seconds from submission to the final status.
    var latency: Double
    var willFail: Bool
    var parameters: JSONValue
    /// Revealed only once the operation succeeded.
    var successDetails: JSONValue?
    var failureDetails: JSONValue?
    /// Before this time the server does not know the operation: 404 on GET, absent from lists.
    var visibleFrom: Date? = nil

    func isVisible(at now: Date) -> Bool {
        visibleFrom.map { now >= $0 } ?? true
    }

    var startedAt: Date {
        SimulatorTime.truncated(submitted.addingTimeInterval(latency * Self.pendingShare))
    }

    var finishedAt: Date {
        SimulatorTime.truncated(submitted.addingTimeInterval(latency))
    }

    func status(at now: Date) -> Status {
        if now >= finishedAt {
            return willFail ? .fail : .success
        }
        return now >= startedAt ? .running : .pending
    }

    func started(at now: Date) -> Date? {
        status(at: now) == .pending ? nil : startedAt
    }

    func finished(at now: Date) -> Date? {
        switch status(at: now) {
        case .success, .fail: finishedAt
        case .pending, .running: nil
        }
    }

    func progress(at now: Date) -> Int {
        switch status(at: now) {
        case .pending:
            return 0
        case .running:
            let running = finishedAt.timeIntervalSince(startedAt)
            guard running > 0 else { return 99 }
            return min(99, Int(100 * now.timeIntervalSince(startedAt) / running))
        case .success, .fail:
            return 100
        }
    }

    func json(at now: Date) -> JSONValue {
        let status = status(at: now)
        var members: [(String, JSONValue)] = [
            ("id", .string(id)),
            ("type", .string(type)),
            ("status", .string(status.rawValue)),
            ("submitted", .string(SimulatorTime.format(submitted))),
        ]
        if let started = started(at: now) {
            members.append(("started", .string(SimulatorTime.format(started))))
        }
        if let finished = finished(at: now) {
            members.append(("finished", .string(SimulatorTime.format(finished))))
        }
        members.append(("progress", .int(progress(at: now))))
        members.append(("parameters", parameters))
        switch status {
        case .success:
            if let successDetails { members.append(("details", successDetails)) }
        case .fail:
            if let failureDetails { members.append(("details", failureDetails)) }
        case .pending, .running:
            break
        }
        return .object(members)
    }

    /// The 202 answer to a clone shows the operation as just accepted, whatever its latency.
    func acceptedJSON() -> JSONValue {
        .object([
            ("id", .string(id)),
            ("type", .string(type)),
            ("status", .string(Status.pending.rawValue)),
            ("submitted", .string(SimulatorTime.format(submitted))),
            ("progress", .int(0)),
            ("parameters", parameters),
        ])
    }
}
