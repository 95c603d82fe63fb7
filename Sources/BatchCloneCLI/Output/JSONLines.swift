import Foundation

/// Encodes one value as a single JSON line: sorted keys (stable output), snake_case field names.
enum JSONLines {
    static func encode(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        do {
            return escapingInvisibles(String(decoding: try encoder.encode(value), as: UTF8.self)) + "\n"
        } catch {
            // Only non-finite floats fail to encode, and no event has a float.
            preconditionFailure("cannot encode \(value): \(error)")
        }
    }

    /// JSONEncoder escapes C0 controls only; DEL and C1 (a one-byte CSI) are escaped too, so that
    /// `--json` piped to a terminal cannot drive it. Outside strings JSON has no such characters.
    static func escapingInvisibles(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isInvisible) else { return text }
        var result = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if isInvisible(scalar) {
                result.append(contentsOf: String(format: "\\u%04x", scalar.value).unicodeScalars)
            } else {
                result.append(scalar)
            }
        }
        return String(result)
    }

    private static func isInvisible(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value == 0x7F || (0x80...0x9F).contains(scalar.value)
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
