/// The text of a `--set` value with its placeholders: `{source.FIELD}`, `{copy}`, `{row.COLUMN}`, `{date}`.
///
/// Any other braces are literal text, so a JSON object value such as `{"a": 1}` needs no escaping.
public struct ValueTemplate: Sendable, Equatable {
    /// One piece of the template.
    public enum Part: Sendable, Equatable {
        case literal(String)
        /// A field of the source object, by dotted path.
        case source([String])
        /// The copy number of the work item.
        case copy
        /// A cell of the item's CSV row, by column name.
        case row(String)
        /// Today's UTC date, `YYYY-MM-DD`.
        case date
    }

    public let parts: [Part]

    /// Splits `text` into literal text and placeholders.
    public init(_ text: String) {
        var parts: [Part] = []
        var literal = ""
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "{") {
            literal += rest[..<open]
            let afterOpen = rest.index(after: open)
            guard let close = rest[afterOpen...].firstIndex(of: "}"),
                let part = Self.placeholder(rest[afterOpen..<close])
            else {
                literal += "{"
                rest = rest[afterOpen...]
                continue
            }
            if !literal.isEmpty { parts.append(.literal(literal)) }
            literal = ""
            parts.append(part)
            rest = rest[rest.index(after: close)...]
        }
        literal += rest
        if !literal.isEmpty { parts.append(.literal(literal)) }
        self.parts = parts
    }

    private static func placeholder(_ name: Substring) -> Part? {
        if name == "copy" { return .copy }
        if name == "date" { return .date }
        if name.hasPrefix("source."), let path = FieldPath(String(name.dropFirst("source.".count))) {
            return .source(path.components)
        }
        if name.hasPrefix("row."), name.count > "row.".count { return .row(String(name.dropFirst("row.".count))) }
        return nil
    }

    /// The fields of the source the template reads, as dotted paths.
    public var sourceFields: [String] {
        parts.compactMap { if case .source(let path) = $0 { path.joined(separator: ".") } else { nil } }
    }

    /// The CSV columns the template reads.
    public var rowColumns: [String] {
        parts.compactMap { if case .row(let column) = $0 { column } else { nil } }
    }

    /// The text with every placeholder filled from `context`.
    public func fill(_ context: TemplateContext) -> Result<String, StepValueError> {
        var text = ""
        for part in parts {
            switch part {
            case .literal(let literal):
                text += literal
            case .copy:
                text += String(context.copy)
            case .date:
                text += String(UTCTimestamp.format(milliseconds: context.now).prefix(10))
            case .row(let column):
                guard let cell = context.row[column] else { return .failure(.missingColumn(column)) }
                text += cell
            case .source(let path):
                let field = path.joined(separator: ".")
                guard let source = context.source else { return .failure(.sourceUnread(field)) }
                guard let value = source.value(at: path), value != .null else {
                    return .failure(.missingSourceField(field))
                }
                if case .string(let string) = value { text += string } else { text += value.serialized() }
            }
        }
        return .success(text)
    }
}
