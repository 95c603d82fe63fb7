import Foundation

/// A minimal JSON value for event output, rendered with sorted keys.
enum JSONField: Sendable, Equatable {
    case string(String)
    case int(Int)
    case bool(Bool)
    case null
    case array([JSONField])
    case object([String: JSONField])

    var rendered: String {
        switch self {
        case .string(let text): Self.quote(text)
        case .int(let value): String(value)
        case .bool(let value): value ? "true" : "false"
        case .null: "null"
        case .array(let items): "[" + items.map(\.rendered).joined(separator: ",") + "]"
        case .object(let fields): Self.object(fields)
        }
    }

    static func object(_ fields: [String: JSONField]) -> String {
        "{" + fields.sorted { $0.key < $1.key }.map { quote($0.key) + ":" + $0.value.rendered }.joined(separator: ",") + "}"
    }

    static func quote(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            // DEL and C1 too: JSON allows them raw, but a terminal reading --json would obey them.
            case _ where scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value):
                out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
