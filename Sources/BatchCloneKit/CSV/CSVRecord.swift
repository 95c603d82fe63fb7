/// One CSV record: its fields and the 1-based physical line of the file where it starts.
public struct CSVRecord: Sendable, Equatable {
    public var line: Int
    public var fields: [String]

    /// Creates a record.
    public init(line: Int, fields: [String]) {
        self.line = line
        self.fields = fields
    }
}
