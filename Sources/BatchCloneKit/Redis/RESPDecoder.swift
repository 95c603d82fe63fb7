/// An incremental RESP2 parser: feed it bytes as they arrive, take complete replies out.
///
/// A reply split over several reads stays buffered until it is whole; malformed input throws.
struct RESPDecoder {
    /// A reply that breaks the protocol; the connection that produced it cannot be trusted any more.
    struct Malformed: Error, Equatable {
        var reason: String
    }

    private var buffer: [UInt8] = []
    private var start = 0
    /// Refuses absurd lengths before allocating for them.
    let maximumBulkLength: Int

    init(maximumBulkLength: Int = 512 * 1024 * 1024) {
        self.maximumBulkLength = maximumBulkLength
    }

    mutating func append(_ bytes: some Sequence<UInt8>) {
        if start > 0 && start == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            start = 0
        }
        buffer.append(contentsOf: bytes)
    }

    /// The next complete reply, or nil when more bytes are needed.
    mutating func next() throws(Malformed) -> RESPValue? {
        var cursor = start
        guard let value = try parse(at: &cursor) else { return nil }
        start = cursor
        if start > 4096 && start * 2 > buffer.count {
            buffer.removeFirst(start)
            start = 0
        }
        return value
    }

    private func parse(at cursor: inout Int) throws(Malformed) -> RESPValue? {
        guard cursor < buffer.count else { return nil }
        let type = buffer[cursor]
        guard let line = try line(after: cursor + 1) else { return nil }
        let text = String(decoding: buffer[(cursor + 1)..<line], as: UTF8.self)
        var next = line + 2
        switch type {
        case UInt8(ascii: "+"):
            cursor = next
            return .simpleString(text)
        case UInt8(ascii: "-"):
            cursor = next
            return .error(text)
        case UInt8(ascii: ":"):
            guard let value = Int64(text) else { throw Malformed(reason: "integer reply '\(text)' is not a number") }
            cursor = next
            return .integer(value)
        case UInt8(ascii: "$"):
            guard let length = Int(text), length >= -1 else {
                throw Malformed(reason: "bulk string length '\(text)' is not a length")
            }
            if length == -1 {
                cursor = next
                return .bulkString(nil)
            }
            guard length <= maximumBulkLength else {
                throw Malformed(reason: "bulk string of \(length) bytes is too long")
            }
            guard buffer.count >= next + length + 2 else { return nil }
            guard buffer[next + length] == 13, buffer[next + length + 1] == 10 else {
                throw Malformed(reason: "bulk string of \(length) bytes is not followed by CRLF")
            }
            cursor = next + length + 2
            return .bulkString(Array(buffer[next..<(next + length)]))
        case UInt8(ascii: "*"):
            guard let count = Int(text), count >= -1 else {
                throw Malformed(reason: "array length '\(text)' is not a length")
            }
            if count == -1 {
                cursor = next
                return .array(nil)
            }
            var elements: [RESPValue] = []
            elements.reserveCapacity(min(count, 1024))
            for _ in 0..<count {
                guard let element = try parse(at: &next) else { return nil }
                elements.append(element)
            }
            cursor = next
            return .array(elements)
        default:
            throw Malformed(reason: "unknown reply type byte \(type)")
        }
    }

    /// The index of the CR ending the line that starts at `from`, nil when the line is incomplete.
    private func line(after from: Int) throws(Malformed) -> Int? {
        var index = from
        while index < buffer.count {
            if buffer[index] == 13 {
                guard index + 1 < buffer.count else { return nil }
                guard buffer[index + 1] == 10 else { throw Malformed(reason: "CR without LF in a reply line") }
                return index
            }
            if buffer[index] == 10 { throw Malformed(reason: "LF without CR in a reply line") }
            index += 1
        }
        if index - from > 64 * 1024 { throw Malformed(reason: "reply line longer than 64 KiB") }
        return nil
    }
}
