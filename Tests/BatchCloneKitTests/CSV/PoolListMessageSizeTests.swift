import Foundation
import Testing

@testable import BatchCloneKit

@Suite struct PoolListMessageSizeTests {
    private func message(_ text: String, column: String? = nil) -> String? {
        do {
            _ = try PoolListReader.read(data: Data(text.utf8), path: "p.csv", column: column)
            return nil
        } catch {
            return error.description
        }
    }

    @Test func aHugeMalformedFieldIsQuotedInEightyCharacters() throws {
        let field = String(repeating: "x", count: 10_000_000)
        let text = try #require(message("pool_id\n1\n\(field)\n"))
        #expect(text.utf8.count < 300)
        #expect(text.contains("p.csv:3: '" + String(repeating: "x", count: 79) + "…' is not a pool id"))
    }

    @Test func controlCharactersInAFieldAreShownEscaped() throws {
        let text = try #require(message("pool_id\n\u{1B}]0;title\u{07}\n"))
        #expect(text.contains("'\\u{1b}]0;title\\u{7}' is not a pool id"))
        #expect(!text.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 })
    }

    @Test func aMillionBadRowsAreNotAllListed() throws {
        let text = try #require(message("pool_id\n" + String(repeating: "bad\n", count: 100_000)))
        #expect(text.hasPrefix("p.csv has 100000 malformed rows"))
        #expect(text.split(separator: "\n").count == 1 + PoolListError.listedRows + 1)
        #expect(text.hasSuffix("  ... and 99980 more"))
    }

    @Test func hugeHeadersAndColumnNamesAreCut() throws {
        let name = String(repeating: "c", count: 1_000_000)
        let header = (0..<100).map { "\(name)\($0)" }.joined(separator: ",")
        let text = try #require(message(header + "\n1\n", column: name))
        #expect(text.utf8.count < 2_500)
        #expect(text.hasSuffix(" and 80 more"))
    }

    @Test func anUnexpectedControlCharacterAfterAQuoteIsEscaped() throws {
        let text = try #require(message("pool_id\n\"1\"\u{1B}\n"))
        #expect(text.contains("unexpected '\\u{1b}' after a closing quote"))
    }
}
