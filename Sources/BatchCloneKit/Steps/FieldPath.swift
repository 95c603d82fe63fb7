/// A dotted field path such as `defaults.default_overlap_for_new_tasks`.
public struct FieldPath: Sendable, Hashable, CustomStringConvertible {
    public let components: [String]

    /// nil when `text` is empty or has an empty component (`a..b`, `.a`).
    public init?(_ text: String) {
        let components = text.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard !text.isEmpty, components.allSatisfy({ !$0.isEmpty && !$0.contains(where: \.isWhitespace) })
        else { return nil }
        self.components = components
    }

    public var description: String { components.joined(separator: ".") }
}
