import Foundation

/// A validator for the subset of JSON Schema that `Examples/events.schema.json` uses:
/// type, const, enum, required, properties, additionalProperties: false, items, oneOf.
struct SchemaValidator {
    let schema: [String: Any]

    init(path: String) throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        schema = try JSONSerialization.jsonObject(with: data) as! [String: Any]
    }

    /// The problems of `value` against the schema; empty when it is valid.
    func problems(_ value: Any) -> [String] {
        Self.check(value, against: schema, at: "$")
    }

    private static func check(_ value: Any, against schema: [String: Any], at path: String) -> [String] {
        var problems: [String] = []
        if let type = schema["type"] {
            let allowed = (type as? [String]) ?? [type as! String]
            if !allowed.contains(where: { matches(value, type: $0) }) {
                problems.append("\(path): expected \(allowed.joined(separator: " or ")), got \(value)")
            }
        }
        if let constant = schema["const"], !isEqual(value, constant) {
            problems.append("\(path): expected \(constant)")
        }
        if let options = schema["enum"] as? [Any], !options.contains(where: { isEqual(value, $0) }) {
            problems.append("\(path): \(value) is not one of \(options)")
        }
        if let object = value as? [String: Any] {
            for key in schema["required"] as? [String] ?? [] where object[key] == nil {
                problems.append("\(path): missing \(key)")
            }
            let properties = schema["properties"] as? [String: Any] ?? [:]
            for (key, item) in object {
                if let sub = properties[key] as? [String: Any] {
                    problems += check(item, against: sub, at: "\(path).\(key)")
                } else if schema["additionalProperties"] as? Bool == false {
                    problems.append("\(path): unexpected property \(key)")
                }
            }
        }
        if let array = value as? [Any], let items = schema["items"] as? [String: Any] {
            for (index, item) in array.enumerated() {
                problems += check(item, against: items, at: "\(path)[\(index)]")
            }
        }
        if let options = schema["oneOf"] as? [[String: Any]] {
            let matching = options.filter { check(value, against: $0, at: path).isEmpty }
            if matching.count != 1 {
                problems.append("\(path): matches \(matching.count) of the oneOf alternatives, expected exactly 1")
            }
        }
        return problems
    }

    private static func matches(_ value: Any, type: String) -> Bool {
        switch type {
        case "string": return value is String
        case "integer":
            return (value as? NSNumber).map { !isBool($0) && $0.doubleValue == $0.doubleValue.rounded() } ?? false
        case "boolean": return (value as? NSNumber).map(isBool) ?? false
        case "null": return value is NSNull
        case "array": return value is [Any]
        case "object": return value is [String: Any]
        default: return false
        }
    }

    private static func isBool(_ number: NSNumber) -> Bool {
        String(cString: number.objCType) == "c" || type(of: number) == type(of: NSNumber(value: true))
    }

    private static func isEqual(_ a: Any, _ b: Any) -> Bool {
        if let a = a as? String, let b = b as? String { return a == b }
        if let a = a as? NSNumber, let b = b as? NSNumber { return a == b }
        return false
    }
}
