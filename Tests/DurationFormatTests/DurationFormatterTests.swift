import DurationFormat
import Testing

@Suite struct DurationFormatterTests {
    @Test(arguments: [
        (Duration.seconds(3), "3s"), (.seconds(60), "1m"), (.seconds(86_400), "1d"),
        (.seconds(90), "1m30s"), (.milliseconds(250), "250ms"), (.zero, "0s"),
        (.milliseconds(1500), "1s500ms"), (.seconds(3_600 + 1), "1h1s"), (.seconds(3600), "1h"),
        (.seconds(90_061) + .milliseconds(5), "1d1h1m1s5ms"),
        (.microseconds(1500), "1.5ms"), (.nanoseconds(1), "0.000001ms"), (.seconds(-90), "-1m30s"),
    ])
    func compactIsExactInEveryUnit(duration: Duration, expected: String) {
        #expect(DurationFormatter.string(duration) == expected)
        #expect(DurationFormatter.string(duration, .compact) == expected)
    }

    @Test(arguments: [
        (Duration.seconds(90), "90s"), (.seconds(60), "1m"), (.milliseconds(1500), "1500ms"),
        (.seconds(7_200), "2h"), (.microseconds(1500), "1.5ms"), (.zero, "0s"),
        (.seconds(3650 * 86_400), "3650d"), (.milliseconds(150), "150ms"),
    ])
    func argumentIsOneUnitThatParsesBack(duration: Duration, expected: String) {
        let text = DurationFormatter.string(duration, .argument)
        #expect(text == expected)
        #expect(DurationParser.parse(text, allowZero: true) == duration)
    }

    @Test(arguments: [
        (Duration.zero, "0s"), (.milliseconds(1), "1s"), (.nanoseconds(1), "1s"), (.seconds(59), "59s"),
        (.milliseconds(59_001), "1m0s"), (.seconds(192), "3m12s"), (.seconds(7_500), "2h5m"),
        (.seconds(7_559), "2h5m"), (.seconds(100_800), "1d4h"), (.seconds(86_400), "1d0h"),
    ])
    func approximateIsTheTwoLargestUnitsRoundedUpToSeconds(duration: Duration, expected: String) {
        #expect(DurationFormatter.string(duration, .approximate) == expected)
    }

    @Test func negativeDurationsKeepTheirSignInEveryStyle() {
        #expect(DurationFormatter.string(.milliseconds(-1500), .argument) == "-1500ms")
        #expect(DurationFormatter.string(.seconds(-192), .approximate) == "-3m12s")
    }
}
