import JSONValue

/// A Toloka error answer before it gets its `request_id` and becomes HTTP.
struct SimulatedError: Error, Sendable, Equatable {
    var status: Int
    var code: String
    var message: String
    var payload: JSONValue?
    /// Whole seconds for a `Retry-After` header, when one should be sent.
    var retryAfter: Int?

    static func doesNotExist(_ message: String) -> SimulatedError {
        SimulatedError(status: 404, code: "DOES_NOT_EXIST", message: message)
    }

    static func validation(field: String, code: String, message: String) -> SimulatedError {
        SimulatedError(
            status: 400,
            code: "VALIDATION_ERROR",
            message: "validation failed for \(field): \(message)",
            payload: .object([(field, .object([("code", .string(code)), ("message", .string(message))]))])
        )
    }

    func envelope(requestID: String) -> JSONValue {
        var members: [(String, JSONValue)] = [
            ("request_id", .string(requestID)),
            ("code", .string(code)),
            ("message", .string(message)),
        ]
        if let payload {
            members.append(("payload", payload))
        }
        return .object(members)
    }
}
