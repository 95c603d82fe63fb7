import BatchCloneKit
import Foundation
import Testing

@testable import BatchCloneCLI

@Suite struct LedgerLocationTests {
    private let production = URL(string: "https://toloka.dev/api/v1")!

    @Test func theOptionOverridesTheEnvironment() {
        let environment = ["BATCH_CLONE_STATE": "redis://cache:6379"]
        #expect(LedgerLocation.stateValue(option: "ci/state.json", environment: environment) == "ci/state.json")
        #expect(LedgerLocation.stateValue(option: nil, environment: environment) == "redis://cache:6379")
        #expect(LedgerLocation.stateValue(option: nil, environment: ["BATCH_CLONE_STATE": ""]) == nil)
        #expect(LedgerLocation.stateValue(option: nil, environment: [:]) == nil)
    }

    @Test func redisKeysAreNamespacedLikeTheDefaultFile() throws {
        guard
            case .redis(let url, let prefix) = try LedgerLocation(
                "redis://:pw@cache:6380/1",
                baseURL: production,
                account: nil
            )
        else {
            Issue.record("a redis:// value is a server")
            return
        }
        #expect(url.port == 6380 && url.database == 1)
        #expect(prefix == "batch-clone:toloka.dev")
        #expect(LedgerLocation.keyPrefix(for: production, account: "42") == "batch-clone:toloka.dev:account-42")
        #expect(
            LedgerLocation.keyPrefix(for: URL(string: "http://127.0.0.1:8080/api/v1")!, account: nil)
                == "batch-clone:127.0.0.1-8080"
        )
        let location = try LedgerLocation("redis://:pw@cache:6380/1", baseURL: production, account: nil)
        #expect(location.description == "redis://:***@cache:6380/1 (keys batch-clone:toloka.dev:*)")
    }

    @Test func anythingElseIsAFile() throws {
        guard case .file(let path) = try LedgerLocation("redis.json", baseURL: production, account: nil) else {
            Issue.record("a path is a file")
            return
        }
        #expect(path == "redis.json")
    }

    @Test func redisFailuresExitWithServiceUnavailableAndBadURLsWithUsage() {
        #expect(CLIError(RedisError.unreachable(url: "redis://h:1", reason: "refused")).exitCode == .unavailable)
        #expect(CLIError(RedisError.timeout(url: "redis://h:1", operation: "read")).exitCode == .unavailable)
        #expect(CLIError(RedisError.tlsUnsupported(url: "rediss://h")).exitCode == .unavailable)
        #expect(CLIError(RedisError.invalidURL(url: "redis://", reason: "x")).exitCode == .usage)
        #expect(ExitCode.unavailable.rawValue == 69)
    }
}
