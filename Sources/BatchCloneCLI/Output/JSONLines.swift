import Foundation

/// Encodes one value as a single JSON line: sorted keys (stable output), snake_case field names.
enum JSONLines {
    static func encode(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        do {
            return String(decoding: try encoder.encode(value), as: UTF8.self) + "\n"
        } catch {
            // Only non-finite floats fail to encode, and no event has a float.
            preconditionFailure("cannot encode \(value): \(error)")
        }
    }

    /// `event` with the `time` field added, the way every `--json` line carries it.
    struct Stamped<Event: Encodable>: Encodable {
        var event: Event
        var time: String

        private enum CodingKeys: String, CodingKey { case time }

        func encode(to encoder: any Encoder) throws {
            try event.encode(to: encoder)
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(time, forKey: .time)
        }
    }
}
