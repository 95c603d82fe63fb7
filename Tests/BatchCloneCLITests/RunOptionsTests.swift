import ArgumentParsing
import BatchCloneKit
import Foundation
import Testing

@testable import BatchCloneCLI

@Suite struct RunOptionsTests {
    func options(_ arguments: [String], environment: [String: String] = [:]) throws -> RunOptions {
        try RunOptions(ArgumentParser(RunOptions.spec).parse(arguments), environment: environment)
    }

    func error(_ arguments: [String]) -> ArgumentError? {
        do {
            _ = try options(arguments)
            return nil
        } catch let error as ArgumentError {
            return error
        } catch {
            Issue.record("unexpected \(error)")
            return nil
        }
    }

    @Test func defaultsFollowTheContract() throws {
        let options = try options(["pools.csv"])
        #expect(options.csvPath == "pools.csv")
        #expect(options.ledger.baseURL.absoluteString == "https://toloka.dev/api/v1")
        #expect(options.ledger.limits == RateLimit.tolokaCloneDefaults)
        #expect(options.ledger.margin == nil)
        #expect(options.pollInterval == .seconds(1))
        #expect(options.maxWait == .seconds(600))
        #expect(options.maxAttempts == 3)
        #expect(options.operationTimeout == .seconds(600))
        #expect(!options.simulate && !options.dryRun && !options.json && !options.retryFailed)
    }

    @Test func limitsAndDurationsAreParsed() throws {
        let options = try options([
            "p.csv", "--limit", "20/3s", "--limit=100/24h", "--margin", "250ms", "--wait", "--poll-interval", "2s",
        ])
        #expect(
            options.ledger.limits == [
                RateLimit(count: 20, window: .seconds(3)), RateLimit(count: 100, window: .seconds(86_400)),
            ]
        )
        #expect(options.ledger.margin == .milliseconds(250))
        #expect(options.maxWait == nil)
        #expect(options.pollInterval == .seconds(2))
    }

    @Test func theApiRootComesFromTheFlagTheEnvironmentOrTheSandbox() throws {
        #expect(
            try options(["p.csv", "--sandbox"]).ledger.baseURL.absoluteString == "https://sandbox.toloka.dev/api/v1"
        )
        #expect(
            try options(["p.csv"], environment: ["TOLOKA_API_URL": "http://127.0.0.1:9/api/v1"]).ledger.baseURL.port
                == 9
        )
        #expect(
            try options(
                ["p.csv", "--base-url", "https://h/api/v1"],
                environment: ["TOLOKA_API_URL": "https://e/api/v1"]
            ).ledger
                .baseURL
                .host == "h"
        )
    }

    @Test func badValuesAreNamed() {
        #expect(
            error(["p.csv", "--limit", "20/3x"])
                == .invalidValue(
                    option: "limit",
                    value: "20/3x",
                    reason: "expected N/DURATION such as 20/1m or 100/24h"
                )
        )
        #expect(error(["p.csv", "--limit", "0/1m"])?.description.contains("0/1m") == true)
        #expect(error(["p.csv", "--max-wait", "soon"])?.description.contains("'soon'") == true)
        #expect(error(["p.csv", "--max-attempts", "0"])?.description.contains("at least 1") == true)
        #expect(error(["p.csv", "--base-url", "ftp://x"])?.description.contains("ftp://x") == true)
        #expect(error(["p.csv", "--wait", "--max-wait", "1m"])?.description.contains("not both") == true)
        #expect(
            error(["p.csv", "--sandbox", "--base-url", "http://x/api/v1"])?.description.contains("not both") == true
        )
        #expect(error([]) == .missingArgument("pools.csv"))
        #expect(error(["a.csv", "b.csv"]) == .tooManyArguments(["b.csv"]))
    }

    @Test func aSharedAccountComesFromTheFlagOrTheEnvironment() throws {
        #expect(try options(["p.csv"]).ledger.actUnderAccount == nil)
        #expect(try options(["p.csv", "--act-under-account", "team-7"]).ledger.actUnderAccount == "team-7")
        #expect(
            try options(["p.csv"], environment: ["TOLOKA_ACT_UNDER_ACCOUNT_ID": "a1"]).ledger.actUnderAccount == "a1"
        )
        #expect(error(["p.csv", "--act-under-account", "a b"])?.description.contains("'a b'") == true)
    }

    @Test func theRunConfigurationCarriesEveryOption() throws {
        let configuration = try options([
            "p.csv", "--limit", "20/3s", "--limit", "100/15s", "--reserve", "10", "--margin", "0s", "--poll-interval",
            "250ms",
            "--max-wait", "1h", "--max-attempts", "5", "--operation-timeout", "2m", "--retry-failed",
        ]).runConfiguration
        #expect(
            configuration.limits == [
                RateLimit(count: 20, window: .seconds(3)), RateLimit(count: 90, window: .seconds(15)),
            ]
        )
        #expect(configuration.margin == .zero)
        #expect(configuration.pollInterval == .milliseconds(250))
        #expect(configuration.maxWait == .seconds(3600))
        #expect(configuration.maxAttempts == 5)
        #expect(configuration.operationTimeout == .seconds(120))
        #expect(configuration.retryFailed)
        #expect(try options(["p.csv", "--wait"]).runConfiguration.maxWait == nil)
    }

    @Test func reserveIsTakenFromTheLongestWindow() throws {
        let options = try options(["p.csv", "--reserve", "10"])
        #expect(
            options.ledger.effectiveLimits == [
                RateLimit(count: 20, window: .seconds(60)), RateLimit(count: 90, window: .seconds(86_400)),
            ]
        )
        #expect(error(["p.csv", "--reserve", "100"])?.description.contains("smaller than the 100/1d limit") == true)
    }

    @Test func unknownOptionsSuggestTheClosest() throws {
        #expect(
            error(["p.csv", "--retry-faild"])?.description
                == "unknown option '--retry-faild'; did you mean '--retry-failed'?"
        )
    }
}
