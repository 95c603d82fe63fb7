import Testing

@testable import BatchCloneKit

@Suite struct RESPDecoderTests {
    private func decodeAll(_ text: String, chunk: Int = .max) throws -> [RESPValue] {
        var decoder = RESPDecoder()
        var values: [RESPValue] = []
        let bytes = Array(text.utf8)
        var index = 0
        while index < bytes.count {
            let end = min(bytes.count, index + chunk)
            decoder.append(bytes[index..<end])
            index = end
            while let value = try decoder.next() { values.append(value) }
        }
        return values
    }

    @Test func decodesEveryReplyType() throws {
        let text =
            "+OK\r\n-ERR wrong\r\n:-42\r\n$5\r\nhe\r\no\r\n$-1\r\n$0\r\n\r\n*2\r\n:1\r\n*1\r\n+x\r\n*-1\r\n*0\r\n"
        let expected: [RESPValue] = [
            .simpleString("OK"), .error("ERR wrong"), .integer(-42), .bulkString(Array("he\r\no".utf8)),
            .bulkString(nil),
            .bulkString([]), .array([.integer(1), .array([.simpleString("x")])]), .array(nil), .array([]),
        ]
        #expect(try decodeAll(text) == expected)
        // Byte by byte and in odd chunks: a reply split across reads waits until it is whole.
        for chunk in [1, 2, 3, 7] {
            #expect(try decodeAll(text, chunk: chunk) == expected, "chunk \(chunk)")
        }
    }

    @Test func anIncompleteReplyYieldsNothingYet() throws {
        var decoder = RESPDecoder()
        decoder.append(Array("*2\r\n$3\r\nabc\r\n$4\r\nab".utf8))
        #expect(try decoder.next() == nil)
        decoder.append(Array("cd\r".utf8))
        #expect(try decoder.next() == nil)
        decoder.append(Array("\n:7\r\n".utf8))
        #expect(try decoder.next() == .array([.bulkString(Array("abc".utf8)), .bulkString(Array("abcd".utf8))]))
        #expect(try decoder.next() == .integer(7))
        #expect(try decoder.next() == nil)
    }

    @Test(arguments: [
        ("?what\r\n", "unknown reply type"), (":12a\r\n", "not a number"), ("$abc\r\n", "not a length"),
        ("$3\r\nabcd\r\n", "not followed by CRLF"), ("*-2\r\n", "not a length"), ("+OK\rX", "CR without LF"),
        ("+OK\n", "LF without CR"),
    ])
    func malformedInputThrows(input: String, reason: String) {
        var decoder = RESPDecoder()
        decoder.append(Array(input.utf8))
        #expect {
            _ = try decoder.next()
        } throws: { error in
            (error as? RESPDecoder.Malformed)?.reason.contains(reason) == true
        }
    }

    @Test func refusesAbsurdBulkLengths() {
        var decoder = RESPDecoder(maximumBulkLength: 10)
        decoder.append(Array("$11\r\n".utf8))
        #expect(throws: RESPDecoder.Malformed.self) { try decoder.next() }
    }

    @Test func encodesCommandsAsArraysOfBulkStrings() {
        #expect(
            String(decoding: RESPEncoder.command(["SET", "k", "é"]), as: UTF8.self)
                == "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$2\r\né\r\n"
        )
        #expect(String(decoding: RESPEncoder.command([""]), as: UTF8.self) == "*1\r\n$0\r\n\r\n")
    }
}
