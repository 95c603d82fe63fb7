import Foundation

/// The filters, sort and page size of `GET /operations`, validated the way Toloka does.
struct OperationQuery: Sendable {
    enum SortKey: String, Sendable {
        case id
        case submitted
        case finished
    }

    struct Bounds<Value: Comparable & Sendable>: Sendable {
        var greaterThan: Value?
        var greaterOrEqual: Value?
        var lessThan: Value?
        var lessOrEqual: Value?

        var isEmpty: Bool {
            greaterThan == nil && greaterOrEqual == nil && lessThan == nil && lessOrEqual == nil
        }

        func contains(_ value: Value) -> Bool {
            if let greaterThan, !(value > greaterThan) { return false }
            if let greaterOrEqual, !(value >= greaterOrEqual) { return false }
            if let lessThan, !(value < lessThan) { return false }
            if let lessOrEqual, !(value <= lessOrEqual) { return false }
            return true
        }
    }

    static let defaultLimit = 50
    static let maximumLimit = 300

    var type: String?
    var status: SimulatedOperation.Status?
    var submitted = Bounds<Date>()
    var finished = Bounds<Date>()
    var id = Bounds<String>()
    var limit = defaultLimit
    var sort = SortKey.id
    var descending = false

    init() {}

    init(parameters: [String: String]) throws(SimulatedError) {
        type = parameters["type"]
        if let text = parameters["status"] {
            guard let status = SimulatedOperation.Status(rawValue: text) else {
                throw .validation(
                    field: "status",
                    code: "VALUE_NOT_ALLOWED",
                    message: "must be one of PENDING, RUNNING, SUCCESS, FAIL"
                )
            }
            self.status = status
        }
        submitted = try Self.dateBounds("submitted", parameters)
        finished = try Self.dateBounds("finished", parameters)
        id = Bounds(
            greaterThan: parameters["id_gt"],
            greaterOrEqual: parameters["id_gte"],
            lessThan: parameters["id_lt"],
            lessOrEqual: parameters["id_lte"]
        )
        if let text = parameters["limit"] {
            guard let limit = Int(text) else {
                throw .validation(field: "limit", code: "VALUE_IS_NOT_A_NUMBER", message: "must be an integer")
            }
            guard (1...Self.maximumLimit).contains(limit) else {
                throw .validation(
                    field: "limit",
                    code: "VALUE_OUT_OF_RANGE",
                    message: "must be between 1 and \(Self.maximumLimit)"
                )
            }
            self.limit = limit
        }
        if let text = parameters["sort"] {
            let descending = text.hasPrefix("-")
            guard let key = SortKey(rawValue: descending ? String(text.dropFirst()) : text) else {
                throw .validation(
                    field: "sort",
                    code: "VALUE_NOT_ALLOWED",
                    message: "must be id, submitted or finished, optionally prefixed with -"
                )
            }
            sort = key
            self.descending = descending
        }
    }

    private static func dateBounds(_ field: String, _ parameters: [String: String]) throws(SimulatedError) -> Bounds<
        Date
    > {
        func date(_ suffix: String) throws(SimulatedError) -> Date? {
            let name = "\(field)_\(suffix)"
            guard let text = parameters[name] else { return nil }
            guard let date = SimulatorTime.parse(text) else {
                throw .validation(
                    field: name,
                    code: "INVALID_DATE",
                    message: "expected yyyy-mm-ddThh:mm:ss[.sss] in utc, got \(text)"
                )
            }
            return date
        }
        return Bounds(
            greaterThan: try date("gt"),
            greaterOrEqual: try date("gte"),
            lessThan: try date("lt"),
            lessOrEqual: try date("lte")
        )
    }

    /// Filters, sorts and pages `operations` as seen at `now`.
    func apply(to operations: [SimulatedOperation], now: Date) -> (items: [SimulatedOperation], hasMore: Bool) {
        let matching = operations.filter { operation in
            if let type, operation.type != type { return false }
            if let status, operation.status(at: now) != status { return false }
            if !submitted.contains(operation.submitted) { return false }
            if !finished.isEmpty {
                guard let finishedAt = operation.finished(at: now), finished.contains(finishedAt) else { return false }
            }
            return id.contains(operation.id)
        }
        let sorted = matching.sorted { lhs, rhs in
            descending ? precedes(rhs, lhs, now: now) : precedes(lhs, rhs, now: now)
        }
        return (Array(sorted.prefix(limit)), sorted.count > limit)
    }

    /// Ascending order by the sort key, ties broken by id so pages are stable.
    private func precedes(_ lhs: SimulatedOperation, _ rhs: SimulatedOperation, now: Date) -> Bool {
        switch sort {
        case .id:
            return lhs.id < rhs.id
        case .submitted:
            return lhs.submitted == rhs.submitted ? lhs.id < rhs.id : lhs.submitted < rhs.submitted
        case .finished:
            // Unfinished operations sort after finished ones, as if they finished in the future.
            let left = lhs.finished(at: now) ?? .distantFuture
            let right = rhs.finished(at: now) ?? .distantFuture
            return left == right ? lhs.id < rhs.id : left < right
        }
    }
}
