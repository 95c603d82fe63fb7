import BatchCloneKit
import BatchCloneTestSupport
import Foundation
import Testing
import TolokaSimulator

#if os(Linux)
    /// The shared ledger on a managed Redis: `rediss://` against a real `redis-server --tls-port` with a
    /// CA and server certificates made by the test (`openssl`; the expired one under `faketime`).
    extension EndToEnd {
        @Suite(.serialized)
        struct RedisTLSTests {
            static let password = "tls-e2e-secret"

            /// A folder with no certificate, for SSL_CERT_DIR: only SSL_CERT_FILE decides what is trusted.
            static func emptyFolder(_ workspace: Workspace) throws -> String {
                let path = workspace.path("empty-cert-dir")
                try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
                return path
            }

            @Test func twoRunsShareOneLedgerOverTLSWithoutA429AndStatusReadsIt() async throws {
                let certificates = try TestCertificates()
                defer { certificates.remove() }
                let redis = try RedisServer.start(
                    password: Self.password,
                    tls: try certificates.issue("server", names: ["localhost", "127.0.0.1"])
                )
                defer { redis.stop() }
                let simulator = try RedisLedgerTests.simulator()
                defer { simulator.stop() }
                let (first, second) = (try Workspace(), try Workspace())
                defer {
                    first.remove()
                    second.remove()
                }
                let firstCSV = try first.writePools(Workspace.poolIDs(15, from: 7_000_001))
                let secondCSV = try second.writePools(Workspace.poolIDs(15, from: 8_000_001))

                // One run names the host (SNI, DNS name check) and trusts the CA by option; the other
                // names the address (IP check) and trusts it through the system store's SSL_CERT_FILE.
                let runA = try BatchCloneBinary.start(
                    RedisLedgerTests.arguments(firstCSV, simulator, redis: redis.url(host: "localhost"))
                        + ["--redis-ca", certificates.caFile],
                    in: first.folder,
                    environment: RedisLedgerTests.environment(first)
                )
                let runB = try BatchCloneBinary.start(
                    RedisLedgerTests.arguments(secondCSV, simulator, redis: redis.url(host: "127.0.0.1")),
                    in: second.folder,
                    environment: RedisLedgerTests.environment(second).merging([
                        "SSL_CERT_FILE": certificates.caFile, "SSL_CERT_DIR": try Self.emptyFolder(second),
                    ]) { $1 }
                )
                let (outcomeA, outcomeB) = (await runA.wait(), await runB.wait())

                #expect(outcomeA.status == 0, "\(outcomeA)")
                #expect(outcomeB.status == 0, "\(outcomeB)")
                let stats = simulator.stats
                #expect(stats.tooManyRequests == 0)
                #expect(stats.clonesPerPool.count == 30)
                #expect(stats.clonesPerPool.values.allSatisfy { $0 == 1 }, "\(stats.clonesPerPool)")
                #expect(stats.duplicatedPools == [])
                for outcome in [outcomeA, outcomeB] {
                    #expect(!(outcome.stderr + outcome.stdout).contains(Self.password), "the password was printed")
                    #expect(!outcome.stderr.contains("in clear"), "\(outcome.stderr)")
                }

                let status = try await BatchCloneBinary.run(
                    ["status", "--base-url", simulator.baseURL.absoluteString, "--json", "--offline"]
                        + RedisLedgerTests.limitArguments,
                    in: first.folder,
                    environment: RedisLedgerTests.environment(first).merging([
                        "BATCH_CLONE_STATE": redis.url(host: "localhost"), "BATCH_CLONE_REDIS_CA": certificates.caFile,
                    ]) { $1 }
                )
                #expect(status.status == 0, "\(status)")
                #expect(status.stdout.contains("\"used\":30"), "\(status.stdout)")
                #expect(status.stdout.contains("rediss://:***@localhost:\(redis.port)"), "\(status.stdout)")
                #expect(!status.stdout.contains(Self.password))
            }

            /// One way a TLS set-up can be wrong, and what the run must say about it.
            struct Failure: CustomStringConvertible {
                var description: String
                var url: String
                var arguments: [String] = []
                var environment: [String: String] = [:]
                /// Each must be in stderr (one of `anyOf`, when given).
                var expected: [String]
                var anyOf: [String] = []
                var exitCode: Int32 = 69
            }

            @Test func eachTLSFailureStopsBeforeAnyRequestNamingTheHostAndWhatFailed() async throws {
                let certificates = try TestCertificates()
                defer { certificates.remove() }
                let strangers = try TestCertificates(name: "someone else's CA")
                defer { strangers.remove() }
                let plain = try RedisServer.start(password: Self.password)
                defer { plain.stop() }
                let good = try RedisServer.start(
                    password: Self.password,
                    tls: try certificates.issue("good", names: ["localhost", "127.0.0.1"])
                )
                defer { good.stop() }
                let otherName = try RedisServer.start(
                    password: Self.password,
                    tls: try certificates.issue("other", names: ["cache.internal"])
                )
                defer { otherName.stop() }
                let expired = try RedisServer.start(
                    password: Self.password,
                    tls: try certificates.issue("expired", names: ["localhost", "127.0.0.1"], expired: true)
                )
                defer { expired.stop() }
                let workspace = try Workspace()
                defer { workspace.remove() }
                let notPEM = workspace.path("not-a-ca.pem")
                try "not a certificate\n".write(toFile: notPEM, atomically: true, encoding: .utf8)
                let trustCA = ["--redis-ca", certificates.caFile]
                let port = { (server: RedisServer) in "127.0.0.1:\(server.port)" }

                let failures = [
                    Failure(
                        description: "TLS to a plain port",
                        url: "rediss://:\(Self.password)@\(port(plain))",
                        arguments: trustCA,
                        expected: ["rediss://:***@\(port(plain))", "plain redis://"],
                        anyOf: ["does not speak TLS", "may not speak TLS"]
                    ),
                    Failure(
                        description: "plain text to a TLS port",
                        url: "redis://:\(Self.password)@\(port(good))",
                        expected: ["redis://:***@\(port(good))", "PING", "use rediss://"]
                    ),
                    Failure(
                        description: "a CA the client does not trust",
                        url: "rediss://:\(Self.password)@localhost:\(good.port)",
                        environment: [
                            "SSL_CERT_FILE": strangers.caFile, "SSL_CERT_DIR": try Self.emptyFolder(workspace),
                        ],
                        expected: ["localhost:\(good.port)", "not signed by a trusted CA", "--redis-ca"]
                    ),
                    Failure(
                        description: "a certificate for another host name",
                        url: "rediss://:\(Self.password)@localhost:\(otherName.port)",
                        arguments: trustCA,
                        expected: ["localhost:\(otherName.port)", "not issued for the host 'localhost'"]
                    ),
                    Failure(
                        description: "a certificate without the IP address",
                        url: "rediss://:\(Self.password)@\(port(otherName))",
                        arguments: trustCA,
                        expected: [port(otherName), "does not list the IP address 127.0.0.1"]
                    ),
                    Failure(
                        description: "an expired certificate",
                        url: "rediss://:\(Self.password)@localhost:\(expired.port)",
                        arguments: trustCA,
                        expected: ["localhost:\(expired.port)", "certificate has expired"]
                    ),
                    Failure(
                        description: "a CA file that holds no certificate",
                        url: "rediss://:\(Self.password)@localhost:\(good.port)",
                        arguments: ["--redis-ca", notPEM],
                        expected: ["--redis-ca \(notPEM)", "no CA certificate"],
                        exitCode: 64
                    ),
                    Failure(
                        description: "a CA file that does not exist",
                        url: "rediss://:\(Self.password)@localhost:\(good.port)",
                        arguments: ["--redis-ca", workspace.path("missing-ca.pem")],
                        expected: [workspace.path("missing-ca.pem"), "does not exist"],
                        exitCode: 64
                    ),
                ]
                let csv = try workspace.writePools(Workspace.poolIDs(3))
                for failure in failures {
                    let simulator = try RedisLedgerTests.simulator()
                    defer { simulator.stop() }
                    let started = ContinuousClock.now
                    let outcome = try await BatchCloneBinary.run(
                        RedisLedgerTests.arguments(csv, simulator, redis: failure.url) + failure.arguments,
                        in: workspace.folder,
                        environment: RedisLedgerTests.environment(workspace).merging(failure.environment) { $1 }
                    )
                    let elapsed = ContinuousClock.now - started
                    print("e2e redis tls: \(failure): exit \(outcome.status) after \(elapsed): \(outcome.stderr)")
                    #expect(outcome.status == failure.exitCode, "\(failure): \(outcome)")
                    #expect(simulator.stats.requests == 0, "\(failure): a request reached Toloka")
                    for text in failure.expected {
                        #expect(outcome.stderr.contains(text), "\(failure): no '\(text)' in \(outcome.stderr)")
                    }
                    if !failure.anyOf.isEmpty {
                        #expect(failure.anyOf.contains { outcome.stderr.contains($0) }, "\(failure): \(outcome.stderr)")
                    }
                    #expect(!outcome.stderr.contains(Self.password), "\(failure): the password was printed")
                    // Within the connect timeout (2 s), with a loaded machine's process start as slack.
                    #expect(elapsed < .seconds(5), "\(failure): took \(elapsed)")
                }
            }
        }
    }
#else
    /// Elsewhere than Linux there is no TLS path: `rediss://` is refused with the tunnel to use instead.
    extension EndToEnd {
        @Suite struct RedisTLSTests {
            @Test func tlsIsRefusedWithATunnelHint() async throws {
                let workspace = try Workspace()
                defer { workspace.remove() }
                let outcome = try await BatchCloneBinary.run(
                    ["status", "--offline", "--state", "rediss://:tls-e2e-secret@127.0.0.1:\(RedisServer.freePort())"],
                    in: workspace.folder,
                    environment: RedisLedgerTests.environment(workspace)
                )
                #expect(outcome.status == 69, "\(outcome)")
                #expect(outcome.stderr.contains("stunnel"), "\(outcome)")
                #expect(!outcome.stderr.contains("tls-e2e-secret"))
            }
        }
    }
#endif
