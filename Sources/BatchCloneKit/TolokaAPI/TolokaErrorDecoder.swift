import Foundation

/// Turns a non-2xx answer into a `TolokaError`, whatever its body looks like.
enum TolokaErrorDecoder {
    /// Toloka's error envelope; a `payload` that is not an object makes the body not an envelope.
    private struct Envelope: Decodable {
        struct Payload: Decodable {
            var interval: String?
        }
        var code: String
        var message: String?
        var payload: Payload?
        var requestID: String?

        private enum CodingKeys: String, CodingKey {
            case code, message, payload
            case requestID = "request_id"
        }
    }

    static func decode(status: Int, headers: [String: String], body: Data, now: Date) -> TolokaError {
        if (300..<400).contains(status) {
            return .redirected(status: status, location: origin(of: headers["location"]))
        }
        let header = headers["retry-after"].flatMap { RetryAfter.parse($0, now: now) }
        if let envelope = try? JSONDecoder().decode(Envelope.self, from: body) {
            let interval = envelope.payload?.interval
            return .api(
                status: status,
                code: envelope.code,
                message: envelope.message ?? "",
                interval: interval,
                retryAfter: header.map { RetryAfter.believed($0, interval: interval) },
                requestID: envelope.requestID
            )
        }
        let text = String(decoding: body.prefix(200), as: UTF8.self)
            .replacingOccurrences(of: "\n", with: " ")
            .trimmingCharacters(in: .whitespaces)
        if status == 429 {
            // A limit answer without our envelope still means "too many requests".
            return .api(
                status: 429,
                code: "TOO_MANY_REQUESTS",
                message: text,
                interval: nil,
                retryAfter: header.map { RetryAfter.believed($0, interval: nil) }
            )
        }
        return .unexpectedResponse(
            status: status,
            snippet: text.isEmpty ? "(empty body)" : text,
            contentType: headers["content-type"]
        )
    }

    /// Only the origin of a redirect target is shown: its path and query may carry anything.
    static func origin(of location: String?) -> String {
        guard let location, !location.isEmpty else { return "(no location)" }
        guard let url = URL(string: location), let scheme = url.scheme, let host = url.host else {
            return "a relative location (same origin)"
        }
        return "\(scheme)://\(host)" + (url.port.map { ":\($0)" } ?? "")
    }
}
