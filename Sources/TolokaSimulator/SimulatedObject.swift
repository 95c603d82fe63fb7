import Foundation
import JSONValue

/// A pool or training as the account stores it: its editable fields plus what the server keeps
/// itself (id, status, creation); GET shows both, PUT replaces only the editable ones.
struct SimulatedObject: Sendable {
    /// Fields the server sets: a PUT may carry them, and they are ignored.
    static let readOnlyFields: Set<String> = [
        "id", "status", "created", "last_started", "last_stopped", "last_close_reason", "type", "owner",
    ]
    /// Fields whose change counts against the "change overlap" limit.
    static let overlapPaths = [
        ["defaults", "default_overlap_for_new_task_suites"], ["defaults", "default_overlap_for_new_tasks"],
    ]

    var target: SimulatedTarget
    var id: String
    /// The editable fields, in the order GET shows them.
    var fields: [(String, JSONValue)]
    var created: Date
    /// The latest open operation; the object is OPEN once that operation succeeded.
    var openOperationID: String?

    /// The whole object as `GET` shows it, given its status and when it was last opened.
    func json(status: String, lastStarted: Date?) -> JSONValue {
        var members: [(String, JSONValue)] = [("id", .string(id))]
        members += fields
        members.append(("status", .string(status)))
        if target == .pool {
            members.append(("type", .string("REGULAR")))
        }
        members.append(("created", .string(SimulatorTime.format(created))))
        if let lastStarted {
            members.append(("last_started", .string(SimulatorTime.format(lastStarted))))
        }
        return .object(members)
    }

    /// When the object stops accepting workers; nil when it has no (readable) `will_expire`.
    var willExpire: Date? {
        guard case .string(let text) = JSONValue.object(fields)["will_expire"] else { return nil }
        return SimulatorTime.parse(text)
    }

    /// The value at a dotted path such as `defaults.default_overlap_for_new_tasks`.
    func value(at path: [String]) -> JSONValue? {
        path.reduce(JSONValue.object(fields) as JSONValue?) { value, key in value?[key] }
    }

    /// Whether replacing the fields with `other`'s changes an overlap value.
    func changesOverlap(to other: SimulatedObject) -> Bool {
        Self.overlapPaths.contains { value(at: $0) != other.value(at: $0) }
    }

    /// This object with the editable fields of a full-object PUT `body`, which must hold every
    /// field GET shows (read-only ones excepted) with the same kind of value.
    func replacingFields(with body: JSONValue) throws(SimulatedError) -> SimulatedObject {
        guard let members = body.members else {
            throw SimulatedError(status: 400, code: "VALIDATION_ERROR", message: "the body must be a JSON object")
        }
        var problems: [(field: String, code: String, message: String)] = []
        Self.compare(stored: fields, sent: members, prefix: "", problems: &problems)
        if case .string(let text)? = body["will_expire"], SimulatorTime.parse(text) == nil {
            problems.append(("will_expire", "INVALID_DATE", "expected a UTC time such as 2030-01-31T12:00:00"))
        }
        guard problems.isEmpty else {
            let names = problems.map(\.field).joined(separator: ", ")
            let details = problems.map { problem -> (String, JSONValue) in
                (problem.field, .object([("code", .string(problem.code)), ("message", .string(problem.message))]))
            }
            throw SimulatedError(
                status: 400,
                code: "VALIDATION_ERROR",
                message: "validation failed for \(names): "
                    + (problems.count == 1 ? problems[0].message : "see payload"),
                payload: .object(details)
            )
        }
        var edited = self
        let editable = members.filter { !Self.readOnlyFields.contains($0.0) }
        // Known fields keep their place; new ones follow in the order they were sent.
        edited.fields = fields.map { key, value in (key, editable.last { $0.0 == key }?.1 ?? value) }
        for (key, value) in editable where !fields.contains(where: { $0.0 == key }) {
            edited.fields.append((key, value))
        }
        return edited
    }

    /// Records every stored field missing from `sent` (or sent as another kind), dotted from `prefix`.
    private static func compare(
        stored: [(String, JSONValue)],
        sent: [(String, JSONValue)],
        prefix: String,
        problems: inout [(field: String, code: String, message: String)]
    ) {
        for (key, storedValue) in stored where prefix.isEmpty ? !readOnlyFields.contains(key) : true {
            let path = prefix + key
            guard let sentValue = sent.last(where: { $0.0 == key })?.1 else {
                problems.append((path, "REQUIRED", "is required: send every field of the object"))
                continue
            }
            if case .null = storedValue { continue }
            guard storedValue.kind == sentValue.kind else {
                problems.append((path, "INVALID_TYPE", "expected a \(storedValue.kind), got a \(sentValue.kind)"))
                continue
            }
            if let storedMembers = storedValue.members, let sentMembers = sentValue.members {
                compare(stored: storedMembers, sent: sentMembers, prefix: path + ".", problems: &problems)
            }
        }
    }
}
