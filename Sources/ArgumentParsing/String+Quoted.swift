/// How a bad value appears in an error message.
extension String {
    /// At most `limit` characters, control characters escaped and a trailing `…` when cut, so a
    /// huge or hostile argument never floods or drives the terminal.
    func quotedForMessage(limit: Int = 80) -> String {
        let head = unicodeScalars.prefix(limit + 1)
        var text = ""
        for scalar in head {
            switch scalar.value {
            case 0x00...0x1F, 0x7F...0x9F, 0x2028, 0x2029, 0x202A...0x202E, 0x2066...0x2069:
                text += "\\u{" + String(scalar.value, radix: 16) + "}"
            default:
                text.unicodeScalars.append(scalar)
            }
        }
        guard text.count > limit || head.count > limit else { return text }
        return String(text.prefix(max(0, limit - 1))) + "…"
    }
}
