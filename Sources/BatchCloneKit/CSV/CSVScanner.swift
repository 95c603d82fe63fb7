/// The RFC 4180 state machine behind `CSVReader`. It consumes bytes chunk by chunk
/// and keeps its state between chunks, so a record may span any number of reads.
struct CSVScanner {
    private enum State {
        case fieldStart
        case unquoted
        case quoted
        /// A quote inside a quoted field: either the first of `""` or the closing quote.
        case quoteInQuoted
        /// Spaces after a closing quote, tolerated before the separator.
        case afterClosingQuote
    }

    private static let comma = UInt8(ascii: ",")
    private static let quote = UInt8(ascii: "\"")
    private static let lineFeed = UInt8(ascii: "\n")
    private static let carriageReturn = UInt8(ascii: "\r")
    private static let space = UInt8(ascii: " ")
    private static let tab = UInt8(ascii: "\t")

    let path: String?
    private var state = State.fieldStart
    /// The physical line the next byte is on.
    private var line = 1
    private var recordLine = 1
    private var quoteLine = 1
    /// Set after a CR that ended a record, so a following LF does not count as a blank line.
    private var skipLineFeed = false
    private var field: [UInt8] = []
    private var fields: [String] = []
    private var fieldCountHint = 4

    init(path: String?) {
        self.path = path
        field.reserveCapacity(64)
    }

    /// Consumes bytes from `position` until a record completes (returned) or the buffer ends (nil).
    mutating func scan(_ bytes: UnsafeBufferPointer<UInt8>, position: inout Int) throws(CSVError) -> CSVRecord? {
        let end = bytes.count
        var index = position
        defer { position = index }
        // Unquoted bytes are sliced straight from the buffer rather than copied one by one;
        // only a field cut by the end of the buffer is carried over in `field`.
        var unquotedStart = index
        defer {
            if state == .unquoted, unquotedStart < index {
                field.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[unquotedStart..<index]))
            }
        }
        while index < end {
            let byte = bytes[index]
            index += 1
            if skipLineFeed {
                skipLineFeed = false
                if byte == Self.lineFeed { continue }
            }
            switch state {
            case .fieldStart:
                if byte == Self.quote {
                    state = .quoted
                    quoteLine = line
                } else if byte == Self.comma {
                    try finishField()
                } else if byte == Self.lineFeed || byte == Self.carriageReturn {
                    if fields.isEmpty {
                        // A blank line is no record, but it still counts towards line numbers.
                        endLine(byte)
                        recordLine = line
                    } else {
                        try finishField()
                        return finishRecord(terminator: byte)
                    }
                } else {
                    state = .unquoted
                    unquotedStart = index - 1
                    index = Self.endOfUnquoted(bytes, from: index)
                }
            case .unquoted:
                let pending = UnsafeBufferPointer(rebasing: bytes[unquotedStart..<(index - 1)])
                unquotedStart = index
                if byte == Self.comma {
                    try finishField(appending: pending)
                } else if byte == Self.lineFeed || byte == Self.carriageReturn {
                    try finishField(appending: pending)
                    return finishRecord(terminator: byte)
                } else if byte == Self.quote, Self.isBlank(field), Self.isBlank(pending) {
                    // Hand-written files often have `a, "b"`; the spaces are not meant as data.
                    field.removeAll(keepingCapacity: true)
                    state = .quoted
                    quoteLine = line
                } else {
                    // A quote inside an unquoted field is kept literally, as most tools do.
                    field.append(contentsOf: pending)
                    field.append(byte)
                    index = Self.endOfUnquoted(bytes, from: index)
                }
            case .quoted:
                if byte == Self.quote {
                    state = .quoteInQuoted
                } else {
                    if byte == Self.carriageReturn || (byte == Self.lineFeed && field.last != Self.carriageReturn) {
                        line += 1
                    }
                    field.append(byte)
                }
            case .quoteInQuoted, .afterClosingQuote:
                if byte == Self.quote, state == .quoteInQuoted {
                    field.append(byte)
                    state = .quoted
                } else if byte == Self.comma {
                    try finishField()
                } else if byte == Self.lineFeed || byte == Self.carriageReturn {
                    try finishField()
                    return finishRecord(terminator: byte)
                } else if byte == Self.space || byte == Self.tab {
                    state = .afterClosingQuote
                } else {
                    throw .unexpectedCharacterAfterQuote(
                        path: path,
                        line: line,
                        character: Self.character(at: index - 1, in: bytes)
                    )
                }
            }
        }
        return nil
    }

    private static func isBlank(_ bytes: some Sequence<UInt8>) -> Bool {
        bytes.allSatisfy { $0 == space || $0 == tab }
    }

    /// The index of the next byte that can end or change an unquoted field.
    private static func endOfUnquoted(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        var index = start
        while index < bytes.count {
            let byte = bytes[index]
            if byte == comma || byte == lineFeed || byte == carriageReturn || byte == quote { break }
            index += 1
        }
        return index
    }

    /// Flushes the last record when the input ends; nil when nothing is pending.
    mutating func finish() throws(CSVError) -> CSVRecord? {
        switch state {
        case .quoted:
            throw .unterminatedQuote(path: path, line: quoteLine)
        case .fieldStart where fields.isEmpty:
            return nil
        default:
            try finishField()
            return takeRecord()
        }
    }

    private mutating func finishField() throws(CSVError) {
        try finishField(appending: UnsafeBufferPointer(start: nil, count: 0))
    }

    /// Ends the current field: whatever is carried in `field` followed by `tail`.
    private mutating func finishField(appending tail: UnsafeBufferPointer<UInt8>) throws(CSVError) {
        let text: String?
        if field.isEmpty {
            text = Self.decode(tail)
        } else {
            field.append(contentsOf: tail)
            text = field.withUnsafeBufferPointer(Self.decode)
            field.removeAll(keepingCapacity: true)
        }
        guard let text else { throw .invalidUTF8(path: path, line: recordLine) }
        fields.append(text)
        state = .fieldStart
    }

    private mutating func finishRecord(terminator: UInt8) -> CSVRecord {
        let record = takeRecord()
        endLine(terminator)
        recordLine = line
        return record
    }

    // ASCII (the common case for pool IDs) needs no validation; the generic
    // validating initializer is much slower, so it is kept for other text.
    private static func decode(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        var combined: UInt8 = 0
        for byte in bytes { combined |= byte }
        if combined < 0x80 {
            return String(decoding: bytes, as: UTF8.self)
        }
        return String(validating: bytes, as: UTF8.self)
    }

    private mutating func takeRecord() -> CSVRecord {
        let record = CSVRecord(line: recordLine, fields: fields)
        fieldCountHint = max(fieldCountHint, fields.count)
        fields = []
        fields.reserveCapacity(fieldCountHint)
        state = .fieldStart
        return record
    }

    private mutating func endLine(_ terminator: UInt8) {
        line += 1
        skipLineFeed = terminator == Self.carriageReturn
    }

    // Shows the offending character whole, even when it is multi-byte UTF-8.
    private static func character(at index: Int, in bytes: UnsafeBufferPointer<UInt8>) -> String {
        var end = index + 1
        while end < bytes.count, end - index < 4, bytes[end] & 0xC0 == 0x80 { end += 1 }
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[index..<end]), as: UTF8.self)
    }
}
