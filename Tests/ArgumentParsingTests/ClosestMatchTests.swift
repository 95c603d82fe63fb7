import ArgumentParsing
import Testing

private let names = ["limit", "dry-run", "column", "concurrency", "wait", "help"]

@Suite struct ClosestMatchTests {
    @Test(arguments: [
        ("limt", "limit"), ("limti", "limit"), ("lmit", "limit"), ("LIMIT", "limit"),
        ("dryrun", "dry-run"), ("colunm", "column"), ("concurency", "concurrency"),
        ("concurrenyc", "concurrency"), ("wiat", "wait"), ("hlep", "help"),
    ])
    func findsCloseNames(word: String, expected: String) {
        #expect(closestMatch(to: word, in: names) == expected)
    }

    @Test(arguments: ["frobnicate", "xyz", "", "concurrencyy-level"])
    func rejectsDistantWords(word: String) {
        #expect(closestMatch(to: word, in: names) == nil)
    }

    @Test func thresholdGrowsWithWordLength() {
        // 12 letters allow 4 edits; 6 letters allow only 2.
        #expect(closestMatch(to: "abcdefghijkl", in: ["abcdefghwxyz"]) == "abcdefghwxyz")
        #expect(closestMatch(to: "abcdef", in: ["abcxyz"]) == nil)
        #expect(closestMatch(to: "abcdef", in: ["abcdxy"]) == "abcdxy")
    }

    @Test func prefersSmallestDistanceThenEarliest() {
        #expect(closestMatch(to: "wate", in: ["wade", "wait", "wat"]) == "wade")
        #expect(closestMatch(to: "cat", in: ["cab", "car"]) == "cab")
        #expect(closestMatch(to: "cat", in: ["cab", "cat"]) == "cat")
        #expect(closestMatch(to: "cat", in: []) == nil)
    }
}
