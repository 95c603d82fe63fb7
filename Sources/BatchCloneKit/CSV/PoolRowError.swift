/// A data row whose ID is missing or malformed, or whose `copies` cell is not a count of copies.
public struct PoolRowError: Sendable, Equatable, CustomStringConvertible {
    public var path: String
    /// The 1-based physical line where the row starts.
    public var line: Int
    /// The trimmed field value, empty when the field is empty or absent.
    public var value: String
    /// What is wrong, phrased to stand after `path:line: `.
    public var reason: String

    /// Creates a row error.
    public init(path: String, line: Int, value: String, reason: String) {
        self.path = path
        self.line = line
        self.value = value
        self.reason = reason
    }

    public var description: String {
        "\(path):\(line): \(reason)"
    }
}
