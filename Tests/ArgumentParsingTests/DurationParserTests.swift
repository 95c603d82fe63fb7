import Testing

@testable import ArgumentParsing

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

    @Test(arguments: [
        (Duration.seconds(3), "3s"), (.seconds(60), "1m"), (.seconds(86_400), "1d"),
        (.seconds(90), "1m30s"), (.milliseconds(250), "250ms"), (.zero, "0s"),
        (.milliseconds(1500), "1s500ms"), (.seconds(3_600 + 1), "1h1s"),
        (.microseconds(1500), "1.5ms"), (.nanoseconds(1), "0.000001ms"), (.seconds(-90), "-1m30s"),
    ])
    func formatsCompactly(duration: Duration, expected: String) {
        #expect(DurationParser.format(duration) == expected)
    }

    @Test(arguments: [
        (Duration.seconds(90), "90s"), (.seconds(60), "1m"), (.milliseconds(1500), "1500ms"),
        (.seconds(7_200), "2h"), (.microseconds(1500), "1.5ms"), (.zero, "0s"),
    ])
    func singleUnitFormatRoundTrips(duration: Duration, expected: String) {
        let text = DurationParser.formatSingleUnit(duration)
        #expect(text == expected)
        #expect(DurationParser.parse(text, allowZero: true) == duration)
    }
}
