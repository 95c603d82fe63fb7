import Testing

@testable import BatchCloneKit

@Suite struct RateLimitTests {
    @Test func tolokaDefaultsAreTwentyPerMinuteAndHundredPerDay() {
        #expect(
            RateLimit.tolokaCloneDefaults == [
                RateLimit(count: 20, window: .seconds(60)),
                RateLimit(count: 100, window: .seconds(86_400)),
            ]
        )
        #expect(RateLimit.tolokaCloneDefaults.map(\.description) == ["20/1m", "100/1d"])
    }

    @Test func defaultMarginIsTwoPercentCappedAtOneSecond() {
        #expect(RateLimit(count: 1, window: .seconds(10)).defaultMargin == .milliseconds(200))
        #expect(RateLimit(count: 1, window: .seconds(50)).defaultMargin == .seconds(1))
        #expect(RateLimit(count: 1, window: .seconds(60)).defaultMargin == .seconds(1))
        #expect(RateLimit(count: 1, window: .seconds(86_400)).defaultMargin == .seconds(1))
    }

    @Test func limitsReadAsCountOverCompactWindow() {
        #expect(RateLimit(count: 5, window: .seconds(90)).description == "5/1m30s")
        #expect(RateLimit(count: 1, window: .microseconds(1500)).description == "1/1.5ms")
    }

    @Test func millisecondsAreRoundedUp() {
        #expect(Duration.milliseconds(1500).millisecondsRoundedUp == 1500)
        #expect(Duration.nanoseconds(1).millisecondsRoundedUp == 1)
        #expect((Duration.seconds(60) + .nanoseconds(1)).millisecondsRoundedUp == 60_001)
        #expect(Duration.zero.millisecondsRoundedUp == 0)
        #expect(Duration.milliseconds(1500).timeInterval == 1.5)
    }
}
