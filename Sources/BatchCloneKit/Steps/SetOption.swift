/// One `--set FIELD=VALUE`: the field's dotted path and the value's template, known by its text.
public struct SetOption: Sendable, Equatable, Hashable {
    /// The option's text as written (`private_name={source.private_name} v{copy}`): the step's identity
    /// in the journal, so a value that resolves differently each day is not applied again.
    public let text: String
    public let field: FieldPath
    public let template: ValueTemplate

    /// Parses `FIELD=VALUE`; the value may be empty, the field may not.
    public init(_ text: String) throws(StepOptionError) {
        guard let equals = text.firstIndex(of: "=") else { throw .missingEquals(text) }
        let name = String(text[..<equals])
        guard let field = FieldPath(name) else { throw .badField(text) }
        self.text = text
        self.field = field
        self.template = ValueTemplate(String(text[text.index(after: equals)...]))
    }

    /// The step's key in the journal.
    public var stepKey: String { "set " + text }

    public static func == (lhs: SetOption, rhs: SetOption) -> Bool { lhs.text == rhs.text }
    public func hash(into hasher: inout Hasher) { hasher.combine(text) }
}
