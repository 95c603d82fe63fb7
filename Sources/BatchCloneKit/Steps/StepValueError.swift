/// Why a `--set` value could not be made for one work item.
public enum StepValueError: Error, Sendable, Equatable, CustomStringConvertible {
    /// `{row.COLUMN}` names a column the CSV lacks (a usage error, caught before anything is sent).
    case missingColumn(String)
    /// `{source.FIELD}` names a field the source object lacks.
    case missingSourceField(String)
    /// The source object could not be read.
    case sourceUnread(String)
    /// The value does not parse as the type of the field it replaces.
    case wrongType(field: String, expected: String, value: String)
    /// A member on the way to the field is not an object.
    case notAnObject(field: String)

    public var description: String {
        switch self {
        case .missingColumn(let column):
            "the CSV has no column '\(column)' for {row.\(column)}"
        case .missingSourceField(let field):
            "the source has no field '\(field)' for {source.\(field)}"
        case .sourceUnread(let field):
            "the source could not be read for {source.\(field)}"
        case .wrongType(let field, let expected, let value):
            "--set \(field): '\(value)' is not a \(expected), the type of the field it replaces"
        case .notAnObject(let field):
            "--set \(field): a member on the way is not an object"
        }
    }
}
