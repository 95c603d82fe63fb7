import BatchCloneKit
import Foundation
import Testing
import TolokaSimulator

/// The real HTTP transport against misbehaving simulator answers: redirects, trickling and huge bodies.
extension EndToEnd {
    @Suite(.serialized)
    struct TransportTests {
        static let limits = TransportLimits(deadline: .seconds(1), maxBodyBytes: 64 * 1024)

        /// Every transport the tool may use; each must keep every guarantee below.
        enum Kind: String, CaseIterable, CustomTestStringConvertible {
            case curl, urlSession

            var testDescription: String { rawValue }

            func make() throws -> any HTTPTransport {
                switch self {
                case .curl:
                    #if os(Linux)
                        return try #require(CurlTransport(limits: TransportTests.limits), "libcurl.so.4 did not load")
                    #else
                        return URLSessionTransport(limits: TransportTests.limits)
                    #endif
                case .urlSession:
                    return URLSessionTransport(limits: TransportTests.limits)
                }
            }
        }

        static func simulator(_ configure: (inout SimulatorConfiguration) -> Void = { _ in }) throws -> TolokaSimulator
        {
            var configuration = SimulatorConfiguration()
            configuration.operationLatency = 0.1...0.1
            configure(&configuration)
            let simulator = TolokaSimulator(configuration: configuration)
            try simulator.start()
            return simulator
        }

        static func client(_ simulator: TolokaSimulator, _ kind: Kind) throws -> TolokaClient {
            TolokaClient(
                baseURL: simulator.baseURL,
                authorization: "OAuth secret-token",
                transport: try kind.make(),
                clock: SystemClock(),
                retryPolicy: RetryPolicy(maxAttempts: 1)
            )
        }

        /// The trap's origin, and a Location on it that a follower would send the token to.
        static func trapLocation(_ trap: TolokaSimulator) -> (origin: String, location: String) {
            let url = trap.baseURL
            let origin = "http://\(url.host!):\(url.port!)"
            return (origin, url.absoluteString + "/pools/1")
        }

        @Test(arguments: [301, 302, 307, 308], Kind.allCases)
        func aRedirectedCheckNeverReachesTheOtherOrigin(status: Int, kind: Kind) async throws {
            let trap = try Self.simulator()
            defer { trap.stop() }
            let (origin, location) = Self.trapLocation(trap)
            let api = try Self.simulator { $0.faults.checkFaults["7"] = .redirect(status: status, location: location) }
            defer { api.stop() }

            await #expect(throws: TolokaError.redirected(status: status, location: origin)) {
                try await Self.client(api, kind).checkPool("7")
            }
            #expect(trap.stats.requests == 0, "the token went to the redirect target")
            #expect(api.stats.requestsByRoute["GET /pools/{id}"] == 1)
        }

        @Test(arguments: Kind.allCases)
        func aRedirectedCloneIsNotSentAgainAnywhere(kind: Kind) async throws {
            let trap = try Self.simulator()
            defer { trap.stop() }
            let (origin, location) = Self.trapLocation(trap)
            let api = try Self.simulator { $0.faults.cloneFaults["7"] = .redirect(status: 307, location: location) }
            defer { api.stop() }

            await #expect(throws: TolokaError.redirected(status: 307, location: origin)) {
                _ = try await Self.client(api, kind).clonePool("7")
            }
            #expect(trap.stats.requests == 0)
            #expect(api.stats.requestsByRoute["POST /pools/{id}/clone"] == 1)
            #expect(api.stats.acceptedClones == 0)
        }

        @Test(arguments: Kind.allCases)
        func aTricklingBodyCannotOutlastTheDeadline(kind: Kind) async throws {
            // 200 bytes at one per 100 ms would take 20 s; every byte would reset an idle timeout.
            let api = try Self.simulator {
                $0.faults.checkFaults["7"] = .trickle(bytes: 200, every: .milliseconds(100))
            }
            defer { api.stop() }
            let started = ContinuousClock.now

            await #expect(throws: TolokaError.transport("no complete answer within 1s")) {
                try await Self.client(api, kind).checkPool("7")
            }
            let elapsed = ContinuousClock.now - started
            #expect(elapsed >= .milliseconds(900) && elapsed < .seconds(5), "took \(elapsed)")
        }

        @Test(arguments: Kind.allCases)
        func aHugeBodyIsAbandoned(kind: Kind) async throws {
            let api = try Self.simulator { $0.faults.checkFaults["7"] = .hugeBody(bytes: 32 << 20) }
            defer { api.stop() }

            await #expect {
                try await Self.client(api, kind).checkPool("7")
            } throws: { error in
                guard case TolokaError.transport(let reason) = error else { return false }
                return reason.contains("over the 65536-byte limit")
            }
        }

        @Test(arguments: Kind.allCases, [true, false])
        func aBodyIsCutAtTheSameCapWhetherItsLengthIsDeclaredOrNot(kind: Kind, declared: Bool) async throws {
            let cap = Self.limits.maxBodyBytes
            let api = try Self.simulator {
                $0.faults.checkFaults["7"] = declared ? .hugeBody(bytes: cap) : .unframedBody(bytes: cap)
                $0.faults.checkFaults["8"] = declared ? .hugeBody(bytes: cap + 1) : .unframedBody(bytes: cap + 1)
            }
            defer { api.stop() }
            let client = try Self.client(api, kind)

            try await client.checkPool("7")
            await #expect {
                try await client.checkPool("8")
            } throws: { error in
                guard case TolokaError.transport(let reason) = error else { return false }
                return reason.contains("over the \(cap)-byte limit")
            }
        }

        @Test(arguments: Kind.allCases)
        func getsReuseAConnectionAndAPostNeverDoes(kind: Kind) async throws {
            let server = try ConnectionRecorder()
            defer { server.stop() }
            let transport = try kind.make()
            let pool = server.url.appendingPathComponent("pools/7")
            for method in ["GET", "GET", "POST", "GET", "POST"] {
                let url = method == "POST" ? pool.appendingPathComponent("clone") : pool
                let answer = try await transport.send(method: method, url: url, headers: [:])
                #expect(answer.status == 200 && answer.body == Data("{}".utf8))
            }

            let requests = server.requests
            #expect(requests.map(\.method) == ["GET", "GET", "POST", "GET", "POST"])
            let gets = requests.filter { $0.method == "GET" }
            let posts = requests.filter { $0.method == "POST" }
            #expect(Set(gets.map(\.connection)).count == 1, "GETs reuse one connection: \(requests)")
            for post in posts {
                #expect(post.connectionHeader == "close", "\(requests)")
                #expect(requests.filter { $0.connection == post.connection }.count == 1, "a POST shares: \(requests)")
            }
        }

        @Test(arguments: Kind.allCases)
        func aCancelledRequestEndsAtOnce(kind: Kind) async throws {
            let api = try Self.simulator {
                $0.faults.checkFaults["7"] = .trickle(bytes: 200, every: .milliseconds(100))
            }
            defer { api.stop() }
            let client = try Self.client(api, kind)
            let started = ContinuousClock.now
            let check = Task { try await client.checkPool("7") }
            try await Task.sleep(for: .milliseconds(200))
            check.cancel()

            await #expect(throws: CancellationError.self) { try await check.value }
            let elapsed = ContinuousClock.now - started
            #expect(elapsed < .milliseconds(700), "took \(elapsed); the deadline is 1s")
        }

        @Test(arguments: Kind.allCases)
        func aNormalAnswerStillPassesWithinTheLimits(kind: Kind) async throws {
            let api = try Self.simulator()
            defer { api.stop() }
            let client = try Self.client(api, kind)
            try await client.checkPool("7")
            let operation = try await client.clonePool("7")
            #expect(operation.sourcePoolID == "7")
        }
    }
}
