/// Text from servers and input files made safe to show on a terminal and short enough for a message.
extension String {
    /// This text with every control character (C0, DEL, C1, line separators, bidirectional
    /// overrides) written as a visible `\u{..}` escape, so a server cannot move the cursor,
    /// retitle the terminal or reorder what people read.
    public var printable: String {
        guard unicodeScalars.contains(where: Self.isControl) else { return self }
        var out = ""
        out.reserveCapacity(utf8.count)
        for scalar in unicodeScalars {
            if Self.isControl(scalar) {
                out += "\\u{" + String(scalar.value, radix: 16) + "}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// `printable`, cut to at most `limit` characters with a trailing `…` when longer, so a
    /// 10 MB field never floods a message.
    public func printable(limit: Int) -> String {
        // Cutting first keeps the work proportional to the limit, not to the text.
        let head = String(unicodeScalars.prefix(limit + 1))
        var text = head.printable
        guard text.count > limit || head.unicodeScalars.count > limit else { return text }
        text = String(text.prefix(max(0, limit - 1)))
        return text + "…"
    }

    /// How messages quote a value: `printable(limit: 80)`.
    public var quotedForMessage: String { printable(limit: 80) }

    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F: true
        case 0x2028, 0x2029: true
        case 0x202A...0x202E, 0x2066...0x2069, 0x200E, 0x200F, 0x061C: true
        default: false
        }
    }
}
