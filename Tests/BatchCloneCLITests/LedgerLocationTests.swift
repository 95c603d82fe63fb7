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
            case .redis(let url, let prefix, let caFile) = try LedgerLocation(
                "redis://:pw@cache:6380/1",
                baseURL: production,
                account: nil
            )
        else {
            Issue.record("a redis:// value is a server")
            return
        }
        #expect(url.port == 6380 && url.database == 1 && !url.tls && caFile == nil)
        #expect(prefix == "batch-clone:toloka.dev")
        #expect(LedgerLocation.keyPrefix(for: production, account: "42") == "batch-clone:toloka.dev:account-42")
        #expect(
            LedgerLocation.keyPrefix(for: URL(string: "http://127.0.0.1:8080/api/v1")!, account: nil)
                == "batch-clone:127.0.0.1-8080"
        )
        let location = try LedgerLocation("redis://:pw@cache:6380/1", baseURL: production, account: nil)
        #expect(location.description == "redis://:***@cache:6380/1 (keys batch-clone:toloka.dev:*)")
    }

    @Test func aTLSLedgerCarriesItsCAFileAndAPlainPasswordOffLoopbackIsWarnedAbout() throws {
        let tls = try LedgerLocation("rediss://:pw@cache:6380", baseURL: production, account: nil, caFile: "ca.pem")
        guard case .redis(let url, _, let caFile) = tls else {
            Issue.record("a rediss:// value is a server")
            return
        }
        #expect(url.tls && caFile == "ca.pem")
        #expect(tls.description == "rediss://:***@cache:6380 (keys batch-clone:toloka.dev:*)")
        #expect(tls.warning == nil)
        let plain = try LedgerLocation("redis://:pw@cache:6380", baseURL: production, account: nil)
        #expect(plain.warning?.contains("rediss://") == true)
        #expect(try LedgerLocation("redis://:pw@127.0.0.1:6380", baseURL: production, account: nil).warning == nil)
        #expect(try LedgerLocation("state.json", baseURL: production, account: nil).warning == nil)
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
        #expect(CLIError(RedisError.tls(url: "rediss://h:1", reason: "expired")).exitCode == .unavailable)
        #expect(CLIError(RedisError.tlsLibraryMissing(reason: "no libssl.so.3")).exitCode == .unavailable)
        #expect(CLIError(RedisError.caFileUnusable(path: "ca.pem", reason: "not PEM")).exitCode == .usage)
        #expect(ExitCode.unavailable.rawValue == 69)
    }
}
