import Foundation

/// Turns a non-2xx answer into a `TolokaError`, whatever its body looks like.
enum TolokaErrorDecoder {
    private struct Envelope: Decodable {
        struct Payload: Decodable {
            var interval: String?
        }
        var code: String
        var message: String?
        var payload: Payload?
    }

    static func decode(status: Int, headers: [String: String], body: Data, now: Date) -> TolokaError {
        let retryAfter = headers["retry-after"].flatMap { RetryAfter.parse($0, now: now) }
        if let envelope = try? JSONDecoder().decode(Envelope.self, from: body) {
            return .api(
                status: status, code: envelope.code, message: envelope.message ?? "",
                interval: envelope.payload?.interval, retryAfter: retryAfter)
        }
        let text = String(decoding: body.prefix(200), as: UTF8.self)
            .replacingOccurrences(of: "\n", with: " ")
            .trimmingCharacters(in: .whitespaces)
        if status == 429 {
            // A limit answer without our envelope still means "too many requests".
            return .api(status: 429, code: "TOO_MANY_REQUESTS", message: text, interval: nil, retryAfter: retryAfter)
        }
        return .unexpectedResponse(status: status, snippet: text.isEmpty ? "(empty body)" : text)
    }
}
