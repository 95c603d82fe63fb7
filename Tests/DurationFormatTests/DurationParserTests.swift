import Testing

@testable import DurationFormat

@Suite struct DurationParserTests {
    @Test(arguments: [
        ("250ms", Duration.milliseconds(250)), ("3s", .seconds(3)), ("1.5m", .seconds(90)),
        ("24h", .seconds(86_400)), ("1d", .seconds(86_400)), ("0.5s", .milliseconds(500)),
        ("1.25ms", .microseconds(1250)), ("  7s ", .seconds(7)), ("007s", .seconds(7)),
        ("90s", .seconds(90)), ("2.000m", .seconds(120)), ("0.1s", .milliseconds(100)),
    ])
    func parsesValidDurations(text: String, expected: Duration) {
        #expect(DurationParser.parse(text) == expected)
    }

    @Test(arguments: [
        "", "3", "s", "-3s", "+3s", "3 s", "3sec", "3S", "1.s", ".5s", "1..5s", "3s3", "1m30s",
        "abc", "3w", "1e3s", "１s", "3s,", "99999999999999999999d", "106752d", "0s", "0.0m", "0ms",
    ])
    func rejectsInvalidDurations(text: String) {
        #expect(DurationParser.parse(text) == nil)
    }

    @Test func zeroOnlyWhenAllowed() {
        #expect(DurationParser.parse("0s", allowZero: true) == .zero)
        #expect(DurationParser.parse("0.000ms", allowZero: true) == .zero)
        #expect(DurationParser.parse("-0s", allowZero: true) == nil)
    }

    @Test func largestDurationsAreBoundedByNanosecondRange() {
        #expect(DurationParser.parse("106751d") == .seconds(106_751 * 86_400))
        #expect(DurationParser.parse("106751.9911d") != nil)
        #expect(DurationParser.parse("106751.9912d") == nil)
    }

    @Test func excessFractionDigitsAreTruncatedNotRejected() {
        #expect(DurationParser.parse("1.0000000000000000001s") == .seconds(1))
    }

    @Test func durationsTooLongToCountAreToldFromMalformedOnes() {
        #expect(DurationParser.classify("99999999999999d") == .tooLong)
        #expect(DurationParser.classify("9999999999999999999999ms") == .tooLong)
        #expect(DurationParser.classify("106752d") == .tooLong)
        #expect(DurationParser.classify("106751d") == .duration(.seconds(106_751 * 86_400)))
        #expect(DurationParser.classify("9x") == .malformed)
    }
}
