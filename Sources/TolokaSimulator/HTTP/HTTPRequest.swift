import Foundation

/// One parsed HTTP/1.x request as the simulator's routes see it.
struct HTTPRequest: Sendable {
    var method: String
    /// The raw request target, e.g. `/api/v1/operations?limit=5`.
    var target: String
    var version: String
    /// Header names are stored lowercased so lookups are case-insensitive.
    var headers: [(name: String, value: String)]
    var body: [UInt8]

    init(
        method: String,
        target: String,
        version: String = "HTTP/1.1",
        headers: [(name: String, value: String)] = [],
        body: [UInt8] = []
    ) {
        self.method = method
        self.target = target
        self.version = version
        self.headers = headers.map { (name: $0.name.lowercased(), value: $0.value) }
        self.body = body
    }

    func header(_ name: String) -> String? {
        let wanted = name.lowercased()
        return headers.last { $0.name == wanted }?.value
    }

    /// The path part of the target, percent-decoded.
    var path: String {
        let raw = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        return String(raw).removingPercentEncoding ?? String(raw)
    }

    /// Query parameters, form-decoded; a repeated name keeps its last value.
    var query: [String: String] {
        let parts = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2 else { return [:] }
        var result: [String: String] = [:]
        for pair in parts[1].split(separator: "&") {
            let nameAndValue = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = Self.formDecode(nameAndValue[0])
            let value = nameAndValue.count > 1 ? Self.formDecode(nameAndValue[1]) : ""
            result[name] = value
        }
        return result
    }

    /// HTTP/1.1 keeps the connection unless told otherwise; HTTP/1.0 closes unless told otherwise.
    var keepAlive: Bool {
        let connection = header("connection")?.lowercased() ?? ""
        if version == "HTTP/1.0" {
            return connection.contains("keep-alive")
        }
        return !connection.contains("close")
    }

    private static func formDecode(_ text: Substring) -> String {
        let spaced = text.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }
}
