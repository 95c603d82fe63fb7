import Testing

@testable import BatchCloneKit

@Suite struct StringPrintableTests {
    @Test func plainTextIsUnchanged() {
        #expect("pool 12 -> 34 (operation 7ea08f99-5e24)".printable == "pool 12 -> 34 (operation 7ea08f99-5e24)")
        #expect("Пул №5 ✓".printable == "Пул №5 ✓")
    }

    @Test func terminalEscapesBecomeVisibleText() {
        let title = "op\u{1B}]0;pwned\u{07}"
        #expect(title.printable == "op\\u{1b}]0;pwned\\u{7}")
        #expect("\u{1B}[2J\u{1B}[H".printable == "\\u{1b}[2J\\u{1b}[H")
        #expect("a\r\nb\tc\u{0}".printable == "a\\u{d}\\u{a}b\\u{9}c\\u{0}")
        #expect("del\u{7F}".printable == "del\\u{7f}")
        #expect("csi\u{9B}31m".printable == "csi\\u{9b}31m")
        #expect("rtl\u{202E}txt".printable == "rtl\\u{202e}txt")
    }

    @Test func nothingPrintedContainsAControlCharacter() {
        let hostile = String(decoding: (0...0xFF).map { UInt8($0) }, as: UTF8.self) + "\u{85}\u{9B}\u{2028}"
        #expect(!hostile.printable.unicodeScalars.contains(where: String.isControl))
        #expect(!hostile.quotedForMessage.unicodeScalars.contains(where: String.isControl))
    }

    @Test func quotedValuesAreCutToEightyCharacters() {
        #expect(String(repeating: "x", count: 80).quotedForMessage == String(repeating: "x", count: 80))
        let long = String(repeating: "y", count: 10_000_000).quotedForMessage
        #expect(long.count == 80)
        #expect(long.hasSuffix("…"))
        let escapes = String(repeating: "\u{1B}", count: 50).quotedForMessage
        #expect(escapes.count == 80)
        #expect(escapes.hasPrefix("\\u{1b}"))
        #expect("short".printable(limit: 3) == "sh…")
    }
}
