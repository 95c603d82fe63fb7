/// Why a CSV file could not be read; messages start with `path:line:` when known.
public enum CSVError: Error, Equatable, CustomStringConvertible {
    case fileNotFound(path: String)
    case unreadable(path: String, reason: String)
    /// A field opened with `"` at `line` and the file ended before the closing quote.
    case unterminatedQuote(path: String?, line: Int)
    /// Text other than a separator followed a closing quote, e.g. `"12"3`.
    case unexpectedCharacterAfterQuote(path: String?, line: Int, character: String)
    /// A record whose bytes are not valid UTF-8 (e.g. a file saved as Latin-1 or UTF-16).
    case invalidUTF8(path: String?, line: Int)

    public var description: String {
        switch self {
        case .fileNotFound(let path):
            return "\(path): no such file; check the path"
        case .unreadable(let path, let reason):
            return "\(path): cannot read the file: \(reason)"
        case .unterminatedQuote(let path, let line):
            return "\(Self.location(path, line)): a quoted field is never closed; "
                + "add the closing '\"' (a quote inside a quoted field is written as '\"\"')"
        case .unexpectedCharacterAfterQuote(let path, let line, let character):
            return "\(Self.location(path, line)): unexpected '\(character.quotedForMessage)' after a closing quote; "
                + "quote the whole field and write a quote inside it as '\"\"'"
        case .invalidUTF8(let path, let line):
            return "\(Self.location(path, line)): the text is not valid UTF-8; save the file as UTF-8"
        }
    }

    private static func location(_ path: String?, _ line: Int) -> String {
        path.map { "\($0):\(line)" } ?? "line \(line)"
    }
}
