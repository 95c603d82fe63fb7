import Foundation
import Testing

@testable import TolokaSimulator

/// Per-pool misbehaviour: permanent and temporary 409s, proxy HTML pages, redirects, trickling and huge bodies.
struct PoolFaultTests {
    @Test func aConflictIsPermanentAndClonesNothing() {
        var harness = RouteHarness { $0.faults.cloneFaults["1"] = .conflict(code: "INAPPROPRIATE_STATUS") }
        for _ in 0..<3 {
            let answer = harness.clone("1")
            #expect(answer.status == 409)
            #expect(answer.code == "INAPPROPRIATE_STATUS")
            #expect(answer.json["request_id"] is String)
        }
        #expect(harness.send("GET", "/api/v1/pools/1").status == 200, "the check is not faulted")
        #expect(harness.clone("2").status == 202)
        #expect(harness.stats.clonesPerPool == ["2": 1])
        #expect(harness.stats.injectedFaults == 3)
    }

    @Test func aLockIsTemporary() {
        var harness = RouteHarness { $0.faults.lockedPools = ["1": 2] }
        #expect(harness.clone("1").code == "POOL_LOCKED_BY_ANOTHER_OPERATION")
        #expect(harness.clone("1").code == "POOL_LOCKED_BY_ANOTHER_OPERATION")
        #expect(harness.clone("1").status == 202)
    }

    @Test func aLimitedFaultStopsAfterItsCountForChecksAndClonesApart() {
        var harness = RouteHarness {
            $0.faults.checkFaults["1"] = .htmlRefusal(status: 403)
            $0.faults.cloneFaults["1"] = .internalError
            $0.faults.poolFaultLimits = ["1": 2]
        }
        let checks = (0..<3).map { _ in harness.send("GET", "/api/v1/pools/1").status }
        let clones = (0..<3).map { _ in harness.clone("1").status }
        #expect(checks == [403, 403, 200])
        #expect(clones == [500, 500, 202])
        #expect(harness.stats.injectedFaults == 4)
    }

    @Test(arguments: [400, 403])
    func anHTMLRefusalLooksLikeAProxyPage(status: Int) {
        var harness = RouteHarness { $0.faults.cloneFaults["1"] = .htmlRefusal(status: status) }
        let answer = harness.clone("1")
        #expect(answer.status == status)
        #expect(answer.header("Content-Type") == "text/html")
        #expect(String(decoding: answer.body, as: UTF8.self).contains("<center>nginx</center>"))
        #expect(harness.stats.acceptedClones == 0)
    }

    @Test func redirectsCarryTheirLocationOnTheirRouteOnly() {
        var harness = RouteHarness {
            $0.faults.checkFaults["1"] = .redirect(status: 302, location: "http://127.0.0.1:9/api/v1/pools/1")
            $0.faults.cloneFaults["2"] = .redirect(status: 307, location: "http://127.0.0.1:9/clone")
        }
        let check = harness.send("GET", "/api/v1/pools/1")
        #expect(check.status == 302)
        #expect(check.header("Location") == "http://127.0.0.1:9/api/v1/pools/1")
        #expect(harness.clone("1").status == 202)
        #expect(harness.send("GET", "/api/v1/pools/2").status == 200)
        let clone = harness.clone("2")
        #expect(clone.status == 307)
        #expect(clone.header("Location") == "http://127.0.0.1:9/clone")
        #expect(harness.stats.clonesPerPool == ["1": 1])
    }

    @Test func tricklingAndHugeBodiesAreStreamed() throws {
        var harness = RouteHarness {
            $0.faults.checkFaults["1"] = .trickle(bytes: 50, every: .milliseconds(100))
            $0.faults.checkFaults["2"] = .hugeBody(bytes: 32 << 20)
        }
        let trickle = try #require(harness.send("GET", "/api/v1/pools/1").streamed)
        #expect(trickle.length == 50 && trickle.chunk == 1 && trickle.pause == .milliseconds(100))
        let huge = try #require(harness.send("GET", "/api/v1/pools/2").streamed)
        #expect(huge.length == 32 << 20 && huge.pause == .zero)
    }

    @Test func aStreamedBodyArrivesOverTheWireAsDeclared() throws {
        var configuration = SimulatorConfiguration()
        configuration.faults.checkFaults["1"] = .trickle(bytes: 5, every: .milliseconds(20))
        let simulator = TolokaSimulator(configuration: configuration)
        let port = try simulator.start()
        defer { simulator.stop() }
        let client = try RawHTTPClient(port: port)
        client.send("GET /api/v1/pools/1 HTTP/1.1\r\nHost: x\r\nAuthorization: OAuth t\r\n\r\n")
        let response = client.readResponses(1)
        #expect(response.hasPrefix("HTTP/1.1 200 OK"))
        #expect(response.contains("Content-Length: 5\r\n"))
        #expect(response.hasSuffix("\r\n\r\n     "))
    }

    @Test func anUnframedBodyHasNoContentLengthAndEndsWithTheConnection() throws {
        var configuration = SimulatorConfiguration()
        configuration.faults.checkFaults["1"] = .unframedBody(bytes: 70_000)
        let simulator = TolokaSimulator(configuration: configuration)
        let port = try simulator.start()
        defer { simulator.stop() }
        let client = try RawHTTPClient(port: port)
        client.send("GET /api/v1/pools/1 HTTP/1.1\r\nHost: x\r\nAuthorization: OAuth t\r\n\r\n")
        // Asking for a second answer reads until the server closes the connection.
        let response = client.readResponses(2)
        let parts = response.components(separatedBy: "\r\n\r\n")
        #expect(parts.count == 2 && parts[0].hasPrefix("HTTP/1.1 200 OK"), "\(response.prefix(300))")
        #expect(!parts[0].lowercased().contains("content-length"))
        #expect(parts.last == String(repeating: " ", count: 70_000))
    }
}
