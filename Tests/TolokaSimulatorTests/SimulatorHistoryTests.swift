import Foundation
import Testing

@testable import TolokaSimulator

/// `--history`, `--refuse-type-filter`, `--clock-offset` and the `Date` header.
@Suite struct SimulatorHistoryTests {
    let start = RouteHarness.start

    private func history(_ count: Int, over span: Duration, limits: [SimulatedLimit]) -> RouteHarness {
        RouteHarness { configuration in
            configuration.limits = limits
            configuration.history = SimulatedHistory(count: count, span: span)
            // Rejected probes would fill the window themselves; here only the history's aging is looked at.
            configuration.rejectedRequestsCount = false
        }
    }

    @Test func historyClonesFillTheWindowsAndFreeAsTheyAge() {
        // 70 clones over the last 25 s of a 100/30s window: 30 left now, and the oldest leaves the window
        // 30 s after it was made.
        var harness = history(70, over: .seconds(25), limits: [SimulatedLimit(count: 100, window: .seconds(30))])
        for index in 0..<30 {
            #expect(harness.send("POST", "/api/v1/pools/\(index + 1)/clone", at: 0).status == 202)
        }
        let full = harness.send("POST", "/api/v1/pools/99/clone", at: 0)
        #expect(full.status == 429)
        // The oldest history clone was made 25 * 69.5/70 s before start; it leaves the window 30 s later.
        let oldest = -25.0 * 69.5 / 70
        #expect(harness.send("POST", "/api/v1/pools/99/clone", at: oldest + 30 - 0.01).status == 429)
        #expect(harness.send("POST", "/api/v1/pools/99/clone", at: oldest + 30 + 0.01).status == 202)
        #expect(harness.stats.acceptedClones == 31)
        #expect(harness.stats.clonesPerPool["99"] == 1)
    }

    @Test func historyClonesAreListedAsFinishedCloneOperationsOfForeignPools() throws {
        var harness = history(70, over: .seconds(25), limits: [SimulatedLimit(count: 100, window: .seconds(30))])
        let since = "2023-11-14T22:12:55"  // start - 25 s
        #expect(SimulatorTime.format(start.addingTimeInterval(-25)) == since + ".000")
        var items: [[String: Any]] = []
        var path = "/api/v1/operations?type=POOL.CLONE&submitted_gte=\(since)&sort=id&limit=50"
        while true {
            let answer = harness.send("GET", path, at: 0)
            #expect(answer.status == 200)
            items += answer.items
            guard answer.json["has_more"] as? Bool == true, let last = answer.items.last?["id"] as? String else {
                break
            }
            path = "/api/v1/operations?type=POOL.CLONE&submitted_gte=\(since)&sort=id&limit=50&id_gt=\(last)"
        }
        #expect(items.count == 70)
        let submitted = items.compactMap { ($0["submitted"] as? String).flatMap(SimulatorTime.parse) }.sorted()
        #expect(submitted.count == 70)
        #expect(submitted.first! > start.addingTimeInterval(-25))
        #expect(submitted.last! < start)
        let gaps = zip(submitted, submitted.dropFirst()).map { $1.timeIntervalSince($0) }
        #expect(gaps.allSatisfy { abs($0 - 25.0 / 70) < 0.002 })
        let sources = Set(items.compactMap { ($0["parameters"] as? [String: Any])?["pool_id"] as? String })
        #expect(sources.count == 70)
        #expect(sources.allSatisfy { (Int($0) ?? 0) >= SimulatedHistory.firstSourcePoolID })
        #expect(
            items.allSatisfy {
                $0["status"] as? String == "SUCCESS" || $0["submitted"] as? String ?? "" > "2023-11-14T22:13:14"
            }
        )
    }

    @Test func theTypeFilterIsRefusedOnlyWhenAsked() {
        var refusing = RouteHarness { $0.refuseTypeFilter = true }
        let refused = refusing.send(
            "GET",
            "/api/v1/operations?type=POOL.CLONE&submitted_gte=2023-11-14T22:00:00",
            at: 0
        )
        #expect(refused.status == 400)
        #expect(refused.code == "VALIDATION_ERROR")
        #expect((refused.json["payload"] as? [String: Any])?["type"] != nil)
        let unfiltered = refusing.send("GET", "/api/v1/operations?submitted_gte=2023-11-14T20:00:00", at: 0)
        #expect(unfiltered.status == 200)
        #expect(unfiltered.items.count == 3)  // the background operations of other types

        var accepting = RouteHarness()
        #expect(accepting.send("GET", "/api/v1/operations?type=POOL.CLONE", at: 0).status == 200)
    }

    @Test func everyAnswerCarriesTheServerClockInItsDateHeader() {
        let now = Date(timeIntervalSince1970: 1_700_000_000.75)  // Tue, 14 Nov 2023 22:13:20 GMT
        var configuration = SimulatorConfiguration()
        configuration.faults.cloneFaults["7"] = .redirect(status: 307, location: "http://127.0.0.1:9/")
        let core = SimulatorCore(configuration: configuration, now: { now })
        let requests = [
            HTTPRequest(
                method: "GET",
                target: "/api/v1/pools/5",
                headers: [(name: "Authorization", value: "ApiKey k")]
            ),
            HTTPRequest(method: "GET", target: "/api/v1/pools/5", headers: []),
            HTTPRequest(
                method: "POST",
                target: "/api/v1/pools/7/clone",
                headers: [(name: "Authorization", value: "ApiKey k")]
            ),
            HTTPRequest(method: "GET", target: "/nowhere", headers: [(name: "Authorization", value: "ApiKey k")]),
        ]
        for request in requests {
            guard case .respond(let response) = core.handle(request) else {
                Issue.record("\(request.target): no answer")
                continue
            }
            #expect(response.header("Date") == "Tue, 14 Nov 2023 22:13:20 GMT", "\(request.target)")
            let head = String(decoding: response.serializedHead(contentLength: 0, keepAlive: false), as: UTF8.self)
            #expect(head.components(separatedBy: "\r\nDate: ").count == 2, "exactly one Date header")
        }
    }

    @Test func theClockOffsetShowsInDateAndSubmittedTimes() throws {
        let now = Date(timeIntervalSince1970: 1_700_000_000)
        var configuration = SimulatorConfiguration()
        configuration.clockOffset = .seconds(-90)
        let core = SimulatorCore(configuration: configuration, now: { now })
        let auth = [(name: "Authorization", value: "ApiKey k")]
        guard
            case .respond(let accepted) = core.handle(
                HTTPRequest(method: "POST", target: "/api/v1/pools/5/clone", headers: auth)
            )
        else {
            Issue.record("no answer")
            return
        }
        #expect(accepted.status == 202)
        #expect(accepted.header("Date") == "Tue, 14 Nov 2023 22:11:50 GMT")
        let json = try JSONSerialization.jsonObject(with: Data(accepted.body)) as? [String: Any]
        #expect(json?["submitted"] as? String == "2023-11-14T22:11:50.000")
    }

    @Test func aResponseWithoutADateGetsTheWallClock() {
        let head = String(
            decoding: HTTPResponse(status: 400).serializedHead(contentLength: 0, keepAlive: false),
            as: UTF8.self
        )
        let line = head.components(separatedBy: "\r\n").first { $0.hasPrefix("Date: ") }
        #expect(line?.hasSuffix(" GMT") == true)
        #expect(line?.count == "Date: Tue, 14 Nov 2023 22:13:20 GMT".count)
    }
}
