import BatchCloneKit
import Foundation
import Testing
import TolokaSimulator

/// The real HTTP transport against misbehaving simulator answers: redirects, trickling and huge bodies.
extension EndToEnd {
    @Suite(.serialized)
    struct TransportTests {
        static let limits = TransportLimits(deadline: .seconds(1), maxBodyBytes: 64 * 1024)

        static func simulator(_ configure: (inout SimulatorConfiguration) -> Void = { _ in }) throws -> TolokaSimulator
        {
            var configuration = SimulatorConfiguration()
            configuration.operationLatency = 0.1...0.1
            configure(&configuration)
            let simulator = TolokaSimulator(configuration: configuration)
            try simulator.start()
            return simulator
        }

        static func client(_ simulator: TolokaSimulator) -> TolokaClient {
            TolokaClient(
                baseURL: simulator.baseURL,
                authorization: "OAuth secret-token",
                transport: URLSessionTransport(limits: limits),
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

        @Test(arguments: [301, 302, 307, 308])
        func aRedirectedCheckNeverReachesTheOtherOrigin(status: Int) async throws {
            let trap = try Self.simulator()
            defer { trap.stop() }
            let (origin, location) = Self.trapLocation(trap)
            let api = try Self.simulator { $0.faults.checkFaults["7"] = .redirect(status: status, location: location) }
            defer { api.stop() }

            await #expect(throws: TolokaError.redirected(status: status, location: origin)) {
                try await Self.client(api).checkPool("7")
            }
            #expect(trap.stats.requests == 0, "the token went to the redirect target")
            #expect(api.stats.requestsByRoute["GET /pools/{id}"] == 1)
        }

        @Test func aRedirectedCloneIsNotSentAgainAnywhere() async throws {
            let trap = try Self.simulator()
            defer { trap.stop() }
            let (origin, location) = Self.trapLocation(trap)
            let api = try Self.simulator { $0.faults.cloneFaults["7"] = .redirect(status: 307, location: location) }
            defer { api.stop() }

            await #expect(throws: TolokaError.redirected(status: 307, location: origin)) {
                _ = try await Self.client(api).clonePool("7")
            }
            #expect(trap.stats.requests == 0)
            #expect(api.stats.requestsByRoute["POST /pools/{id}/clone"] == 1)
            #expect(api.stats.acceptedClones == 0)
        }

        @Test func aTricklingBodyCannotOutlastTheDeadline() async throws {
            // 200 bytes at one per 100 ms would take 20 s; every byte would reset an idle timeout.
            let api = try Self.simulator {
                $0.faults.checkFaults["7"] = .trickle(bytes: 200, every: .milliseconds(100))
            }
            defer { api.stop() }
            let started = ContinuousClock.now

            await #expect(throws: TolokaError.transport("no complete answer within 1s")) {
                try await Self.client(api).checkPool("7")
            }
            let elapsed = ContinuousClock.now - started
            #expect(elapsed >= .milliseconds(900) && elapsed < .seconds(5), "took \(elapsed)")
        }

        @Test func aHugeBodyIsAbandoned() async throws {
            let api = try Self.simulator { $0.faults.checkFaults["7"] = .hugeBody(bytes: 32 << 20) }
            defer { api.stop() }

            await #expect {
                try await Self.client(api).checkPool("7")
            } throws: { error in
                guard case TolokaError.transport(let reason) = error else { return false }
                return reason.contains("over the 65536-byte limit")
            }
        }

        @Test func aNormalAnswerStillPassesWithinTheLimits() async throws {
            let api = try Self.simulator()
            defer { api.stop() }
            let client = Self.client(api)
            try await client.checkPool("7")
            let operation = try await client.clonePool("7")
            #expect(operation.sourcePoolID == "7")
        }
    }
}
