import Testing

@testable import BatchCloneKit

@Suite struct RunConfigurationTests {
    @Test func configurationLedgerUsesLimitsAndMargin() {
        var configuration = RunConfiguration()
        #expect(configuration.ledger().limits.map(\.span) == [61_000, 86_401_000])
        configuration.limits = [RateLimit(count: 1, window: .seconds(5))]
        configuration.margin = .milliseconds(7)
        let ledger = configuration.ledger(SendLog(sends: [1]))
        #expect(ledger.limits.map(\.span) == [5007])
        #expect(ledger.log.sends == [1])
    }
}
