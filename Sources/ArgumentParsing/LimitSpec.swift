import DurationFormat

/// A rate limit written as `<count>/<window>`, e.g. `20/1m`: at most `count` actions per `window`.
public struct LimitSpec: Sendable, Hashable, CustomStringConvertible {
    /// How many actions the window allows; at least 1.
    public var count: Int
    /// The sliding window length; greater than zero.
    public var window: Duration

    /// Creates a limit; `count` must be at least 1 and `window` positive.
    public init(count: Int, window: Duration) {
        precondition(count >= 1, "LimitSpec count must be at least 1")
        precondition(window > .zero, "LimitSpec window must be positive")
        self.count = count
        self.window = window
    }

    /// Parses `20/3s` or `100/24h`; whitespace around either part is tolerated.
    public static func parse(_ text: String) -> LimitSpec? {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2 else { return nil }
        let countText = parts[0].trimmingASCIISpaces()
        guard !countText.isEmpty,
            countText.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
            let count = Int(countText), count >= 1,
            let window = DurationParser.parse(String(parts[1]))
        else { return nil }
        return LimitSpec(count: count, window: window)
    }

    /// The canonical form, which `parse` accepts again: `20/1m`, `5/90s`.
    public var description: String {
        "\(count)/\(DurationFormatter.string(window, .argument))"
    }
}

private extension Substring {
    func trimmingASCIISpaces() -> Substring {
        var result = self
        while let first = result.first, first == " " || first == "\t" { result.removeFirst() }
        while let last = result.last, last == " " || last == "\t" { result.removeLast() }
        return result
    }
}
