import Foundation
import Synchronization
import Testing
import TolokaSimulator

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

struct TolokaSimulatorTests {
    func makeSimulator(
        _ configure: (inout SimulatorConfiguration) -> Void = { _ in },
        now: @escaping @Sendable () -> Date = { Date() }
    ) throws -> TolokaSimulator {
        var configuration = SimulatorConfiguration()
        configuration.operationLatency = 0.05...0.05
        configuration.token = "secret"
        configure(&configuration)
        let simulator = TolokaSimulator(configuration: configuration, now: now)
        try simulator.start()
        return simulator
    }

    func request(_ simulator: TolokaSimulator, _ method: String, _ path: String, token: String? = "secret")
        -> URLRequest
    {
        var request = URLRequest(url: simulator.baseURL.appendingPathComponent(path))
        request.httpMethod = method
        if let token {
            request.setValue("ApiKey \(token)", forHTTPHeaderField: "Authorization")
        }
        request.timeoutInterval = 5
        return request
    }

    func send(_ request: URLRequest, session: URLSession = .shared) async throws -> (HTTPURLResponse, [String: Any]) {
        let (data, response) = try await session.data(for: request)
        let http = try #require(response as? HTTPURLResponse)
        let json = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
        return (http, json)
    }

    @Test func clonesAndPollsOverRealHTTP() async throws {
        let simulator = try makeSimulator()
        defer { simulator.stop() }
        #expect(simulator.baseURL.absoluteString.hasPrefix("http://127.0.0.1:"))
        #expect(simulator.baseURL.path == "/api/v1")

        let (poolResponse, pool) = try await send(request(simulator, "GET", "pools/12"))
        #expect(poolResponse.statusCode == 200)
        #expect(pool["id"] as? String == "12")

        let (cloneResponse, operation) = try await send(request(simulator, "POST", "pools/12/clone"))
        #expect(cloneResponse.statusCode == 202)
        #expect(cloneResponse.value(forHTTPHeaderField: "Content-Type") == "application/json")
        let id = try #require(operation["id"] as? String)

        try await Task.sleep(for: .milliseconds(80))
        let (_, finished) = try await send(request(simulator, "GET", "operations/\(id)"))
        #expect(finished["status"] as? String == "SUCCESS")
        #expect((finished["details"] as? [String: Any])?["pool_id"] as? String == "1000001")

        let (denied, error) = try await send(request(simulator, "GET", "pools/12", token: "wrong"))
        #expect(denied.statusCode == 401)
        #expect(error["code"] as? String == "AUTHENTICATION_ERROR")

        let stats = simulator.stats
        #expect(stats.clonesPerPool == ["12": 1])
        #expect(stats.requests == 4)
        #expect(stats.requestsByRoute["GET /operations/{id}"] == 1)
    }

    @Test func rateLimitAnswers429WithRetryAfterOverHTTP() async throws {
        // A frozen clock: the Retry-After must not depend on how fast this machine answers.
        let frozen = Date(timeIntervalSince1970: 1_796_040_000)
        let simulator = try makeSimulator(
            { $0.limits = [SimulatedLimit(count: 2, window: .seconds(60))] },
            now: { frozen }
        )
        defer { simulator.stop() }
        for _ in 0..<2 {
            let (response, _) = try await send(request(simulator, "POST", "pools/3/clone"))
            #expect(response.statusCode == 202)
        }
        let (rejected, body) = try await send(request(simulator, "POST", "pools/3/clone"))
        #expect(rejected.statusCode == 429)
        #expect(rejected.value(forHTTPHeaderField: "Retry-After") == "60")
        #expect((body["payload"] as? [String: Any])?["interval"] as? String == "MIN")
        #expect(simulator.stats.tooManyRequests == 1)
        #expect(simulator.stats.acceptedClones == 2)
    }

    @Test func statsEndpointServesJSON() async throws {
        let simulator = try makeSimulator()
        defer { simulator.stop() }
        _ = try await send(request(simulator, "POST", "pools/4/clone"))
        let url = try #require(URL(string: "/_sim/stats", relativeTo: simulator.baseURL))
        let (data, _) = try await URLSession.shared.data(from: url)
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        let stats = try decoder.decode(SimulatorStats.self, from: data)
        #expect(stats.clonesPerPool == ["4": 1])
    }

    @Test func droppedConnectionSurfacesAsAnError() async throws {
        let simulator = try makeSimulator {
            $0.faults.getFailureRate = 1; $0.seed = 3
        }
        defer { simulator.stop() }
        var sawDrop = false
        var statuses: Set<Int> = []
        for _ in 0..<12 {
            var fresh = request(simulator, "GET", "pools/1")
            // A fresh connection per request keeps libcurl from silently retrying on a reused one.
            fresh.setValue("close", forHTTPHeaderField: "Connection")
            do {
                let (response, _) = try await send(fresh)
                statuses.insert(response.statusCode)
            } catch {
                sawDrop = true
            }
        }
        #expect(sawDrop)
        #expect(statuses.isSubset(of: [500, 502, 503, 504]))
        #expect(simulator.stats.injectedFaults == 12)
    }

    @Test func responseDelayHoldsBackTheAnswer() async throws {
        let simulator = try makeSimulator { $0.faults.responseDelay = .milliseconds(150) }
        defer { simulator.stop() }
        let began = Date()
        let (response, _) = try await send(request(simulator, "GET", "pools/1"))
        #expect(response.statusCode == 200)
        #expect(Date().timeIntervalSince(began) >= 0.15)
    }

    @Test func commitThenDropFailsTheRequestButKeepsTheClone() async throws {
        let simulator = try makeSimulator { $0.faults.postCommitThenDropRate = 1 }
        defer { simulator.stop() }
        var post = request(simulator, "POST", "pools/6/clone")
        // On a reused connection libcurl would resend the POST after the drop and clone twice.
        post.setValue("close", forHTTPHeaderField: "Connection")
        let session = URLSession(configuration: .ephemeral)
        await #expect(throws: (any Error).self) { try await send(post, session: session) }
        #expect(simulator.stats.clonesPerPool == ["6": 1])
        #expect(simulator.stats.injectedFaults == 1)
    }

    @Test func servesConcurrentClients() async throws {
        let simulator = try makeSimulator()
        defer { simulator.stop() }
        let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
            for index in 0..<40 {
                let request = request(simulator, "GET", "pools/\(index)")
                group.addTask { try await send(request).0.statusCode }
            }
            return try await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(statuses == Array(repeating: 200, count: 40))
        #expect(simulator.stats.requestsByRoute == ["GET /pools/{id}": 40])
    }

    @Test func editsAndOpensOverRealHTTP() async throws {
        let simulator = try makeSimulator()
        defer { simulator.stop() }
        let (_, pool) = try await send(request(simulator, "GET", "pools/21"))
        var edited = pool
        edited["private_name"] = "edited over HTTP"
        var put = request(simulator, "PUT", "pools/21")
        put.httpBody = try JSONSerialization.data(withJSONObject: edited)
        put.setValue("application/json", forHTTPHeaderField: "Content-Type")
        let (putResponse, stored) = try await send(put)
        #expect(putResponse.statusCode == 200)
        #expect(stored["private_name"] as? String == "edited over HTTP")

        let (opening, operation) = try await send(request(simulator, "POST", "pools/21/open"))
        #expect(opening.statusCode == 202)
        #expect(operation["type"] as? String == "POOL.OPEN")
        try await Task.sleep(for: .milliseconds(80))
        let (_, open) = try await send(request(simulator, "GET", "pools/21"))
        #expect(open["status"] as? String == "OPEN")
        let (again, _) = try await send(request(simulator, "POST", "pools/21/open"))
        #expect(again.statusCode == 204)
        #expect(simulator.stats.editsPerObject == ["21": 1])
        #expect(simulator.stats.requestsByRoute["PUT /pools/{id}"] == 1)
    }

    @Test func trainingClonesReachTheCommitHookWithTheirOwnCount() async throws {
        let seen = Mutex<[String]>([])
        let simulator = try makeSimulator {
            $0.onCloneCommitted = { source, accepted in seen.withLock { $0.append("\(source):\(accepted)") } }
        }
        defer { simulator.stop() }
        _ = try await send(request(simulator, "POST", "pools/8/clone"))
        let (response, operation) = try await send(request(simulator, "POST", "trainings/9/clone"))
        #expect(response.statusCode == 202)
        #expect(operation["type"] as? String == "TRAINING.CLONE")
        _ = try await send(request(simulator, "POST", "trainings/9/clone"))
        #expect(seen.withLock { $0 } == ["8:1", "9:1", "9:2"])
        #expect(simulator.stats.acceptedClones == 1)
        #expect(simulator.stats.clonesPerTraining == ["9": 2])
    }

    @Test func stopIsIdempotentAndStartReturnsThePort() throws {
        let simulator = TolokaSimulator(configuration: SimulatorConfiguration())
        let port = try simulator.start()
        #expect(try simulator.start() == port)
        #expect(simulator.baseURL.port == port)
        simulator.stop()
        simulator.stop()
    }
}
