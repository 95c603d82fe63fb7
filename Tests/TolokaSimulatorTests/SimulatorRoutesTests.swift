import Foundation
import Testing

@testable import TolokaSimulator

struct SimulatorRoutesTests {
    @Test func authorizationIsRequiredAndCheckedAgainstTheToken() {
        var open = RouteHarness()
        #expect(open.send("GET", "/api/v1/pools/1", authorization: nil).status == 401)
        #expect(open.send("GET", "/api/v1/pools/1", authorization: "Bearer x").status == 401)
        #expect(open.send("GET", "/api/v1/pools/1", authorization: "ApiKey ").status == 401)
        #expect(open.send("GET", "/api/v1/pools/1", authorization: "OAuth anything").status == 200)

        var locked = RouteHarness { $0.token = "t0k" }
        let denied = locked.send("GET", "/api/v1/pools/1", authorization: "ApiKey wrong")
        #expect(denied.status == 401)
        #expect(denied.code == "AUTHENTICATION_ERROR")
        #expect(denied.json["request_id"] is String)
        #expect(locked.send("GET", "/api/v1/pools/1", authorization: "ApiKey t0k").status == 200)
        #expect(locked.send("GET", "/api/v1/pools/1", authorization: "OAuth t0k").status == 200)
    }

    @Test func poolAnswers() {
        var harness = RouteHarness {
            $0.missingPools = ["2"]
            $0.faults.forbiddenPools = ["3"]
        }
        let pool = harness.send("GET", "/api/v1/pools/1")
        #expect(pool.status == 200)
        #expect(pool.header("Content-Type") == "application/json")
        #expect(pool.json["id"] as? String == "1")
        #expect(pool.json["project_id"] as? String == "1")
        #expect(pool.json["status"] as? String == "CLOSED")
        #expect(pool.json["type"] as? String == "REGULAR")
        #expect(pool.json["created"] is String)
        #expect(harness.send("GET", "/api/v1/pools/2").code == "DOES_NOT_EXIST")
        #expect(harness.send("GET", "/api/v1/pools/x1").status == 404)
        #expect(harness.send("GET", "/api/v1/pools/3").code == "ACCESS_DENIED")
        #expect(harness.send("GET", "/api/v1/nothing").status == 404)
        #expect(harness.send("DELETE", "/api/v1/pools/1").status == 404)
        #expect(harness.send("GET", "/elsewhere").status == 404)
    }

    @Test func cloneAnswers202ThenPollingRevealsTheNewPool() throws {
        var harness = RouteHarness()
        let accepted = harness.clone("77")
        #expect(accepted.status == 202)
        #expect(accepted.json["status"] as? String == "PENDING")
        #expect(accepted.json["type"] as? String == "POOL.CLONE")
        #expect(accepted.json["details"] == nil)
        #expect((accepted.json["parameters"] as? [String: Any])?["pool_id"] as? String == "77")
        let id = try #require(accepted.json["id"] as? String)

        let running = harness.send("GET", "/api/v1/operations/\(id)", at: 0.5)
        #expect(running.json["status"] as? String == "RUNNING")
        #expect(running.json["started"] is String)
        #expect(running.json["finished"] == nil)

        let done = harness.send("GET", "/api/v1/operations/\(id)", at: 1)
        #expect(done.json["status"] as? String == "SUCCESS")
        #expect(done.json["progress"] as? Int == 100)
        #expect((done.json["details"] as? [String: Any])?["pool_id"] as? String == "1000001")
        #expect(done.json["finished"] as? String == SimulatorTime.format(RouteHarness.start.addingTimeInterval(1)))
        #expect(harness.send("GET", "/api/v1/operations/nope").code == "DOES_NOT_EXIST")
    }

    @Test func tooManyRequestsCarriesIntervalAndOptionalRetryAfter() {
        var withHeader = RouteHarness { $0.limits = [SimulatedLimit(count: 1, window: .seconds(60))] }
        withHeader.clone("1", at: 0)
        let rejected = withHeader.clone("1", at: 10.2)
        #expect(rejected.status == 429)
        #expect(rejected.code == "TOO_MANY_REQUESTS")
        #expect((rejected.json["payload"] as? [String: Any])?["interval"] as? String == "MIN")
        #expect(rejected.header("Retry-After") == "50")

        var without = RouteHarness {
            $0.limits = [SimulatedLimit(count: 1, window: .seconds(60))]
            $0.faults.retryAfter = false
        }
        without.clone("1")
        #expect(without.clone("1").header("Retry-After") == nil)
    }

    @Test func globalCapAppliesToEveryEndpoint() {
        var harness = RouteHarness { $0.globalRequestsPerSecond = 2 }
        harness.send("GET", "/api/v1/pools/1")
        harness.send("GET", "/api/v1/operations")
        let third = harness.send("GET", "/api/v1/pools/1", at: 0.1)
        #expect(third.status == 429)
        #expect(third.code == "TOO_MANY_REQUESTS")
        #expect(third.json["payload"] == nil, "no client knows an interval for the global limit")
        #expect(harness.send("GET", "/api/v1/pools/1", at: 2).status == 200)
        #expect(harness.stats.tooManyRequests == 1)
    }

    @Test func commitThenFailAndCommitThenDropStillCreateTheClone() {
        var failing = RouteHarness { $0.faults.postCommitThenFailRate = 1 }
        let failed = failing.clone("5")
        #expect(failed.status == 500)
        #expect(failed.code == "INTERNAL_ERROR")
        #expect(failing.stats.clonesPerPool == ["5": 1])
        #expect(failing.stats.injectedFaults == 1)
        let listed = failing.send("GET", "/api/v1/operations?type=POOL.CLONE")
        #expect(listed.items.count == 1)

        var dropping = RouteHarness { $0.faults.postCommitThenDropRate = 1 }
        #expect(dropping.clone("5").dropped)
        #expect(dropping.stats.acceptedClones == 1)
    }

    @Test func getFaultsCoverEveryKindAndAreCounted() {
        var harness = RouteHarness {
            $0.faults.getFailureRate = 1
            $0.globalRequestsPerSecond = nil
        }
        var seen: Set<String> = []
        for _ in 0..<200 {
            let answer = harness.send("GET", "/api/v1/pools/1")
            if answer.dropped {
                seen.insert("drop")
            } else if answer.body.isEmpty {
                seen.insert("\(answer.status) empty")
            } else if answer.header("Content-Type") == "text/html" {
                seen.insert("\(answer.status) html")
            } else {
                seen.insert("\(answer.status) \(answer.code ?? "?")")
            }
        }
        #expect(
            seen == [
                "500 INTERNAL_ERROR", "502 html", "503 REMOTE_SERVICE_UNAVAILABLE", "504 html", "500 empty", "drop",
            ]
        )
        #expect(harness.stats.injectedFaults == 200)
        #expect(harness.clone("1").status == 202)
    }

    @Test func listingStartsWithOtherOperationTypes() {
        var harness = RouteHarness()
        let all = harness.send("GET", "/api/v1/operations")
        let types = Set(all.items.compactMap { $0["type"] as? String })
        #expect(types.isSuperset(of: ["POOL.OPEN", "TASK.BATCH_CREATE"]))
        #expect(all.json["has_more"] as? Bool == false)
        #expect(harness.send("GET", "/api/v1/operations?type=POOL.CLONE").items.isEmpty)
    }

    @Test func listingFiltersSortsAndPages() throws {
        var harness = RouteHarness()
        for index in 0..<5 {
            harness.clone(String(index + 1), at: Double(index))
        }
        let since = SimulatorTime.format(RouteHarness.start.addingTimeInterval(2))
        let encoded = since.replacingOccurrences(of: ":", with: "%3A")
        let recent = harness.send(
            "GET",
            "/api/v1/operations?type=POOL.CLONE&submitted_gte=\(encoded)&sort=submitted",
            at: 10
        )
        #expect(
            recent.items.compactMap { ($0["parameters"] as? [String: Any])?["pool_id"] as? String } == ["3", "4", "5"]
        )

        let newest = harness.send("GET", "/api/v1/operations?type=POOL.CLONE&sort=-submitted&limit=2", at: 10)
        #expect(newest.items.compactMap { ($0["parameters"] as? [String: Any])?["pool_id"] as? String } == ["5", "4"])
        #expect(newest.json["has_more"] as? Bool == true)

        let byID = harness.send("GET", "/api/v1/operations?type=POOL.CLONE&limit=2", at: 10)
        let lastID = try #require(byID.items.last?["id"] as? String)
        let next = harness.send("GET", "/api/v1/operations?type=POOL.CLONE&id_gt=\(lastID)", at: 10)
        #expect(next.items.count == 3)
        #expect(next.items.allSatisfy { ($0["id"] as? String ?? "") > lastID })

        let running = harness.send("GET", "/api/v1/operations?type=POOL.CLONE&status=RUNNING", at: 4.5)
        #expect(running.items.count == 1)
        let finished = harness.send("GET", "/api/v1/operations?type=POOL.CLONE&finished_lte=\(encoded)Z", at: 4.5)
        #expect(finished.items.count == 2)
    }

    @Test(arguments: [
        ("limit=301", "limit"), ("limit=0", "limit"), ("limit=ten", "limit"),
        ("submitted_gte=yesterday", "submitted_gte"), ("finished_lt=2024-01-01", "finished_lt"),
        ("sort=pool", "sort"), ("status=DONE", "status"),
    ])
    func listingValidation(_ query: String, _ field: String) {
        var harness = RouteHarness()
        let answer = harness.send("GET", "/api/v1/operations?\(query)")
        #expect(answer.status == 400)
        #expect(answer.code == "VALIDATION_ERROR")
        #expect((answer.json["payload"] as? [String: Any])?[field] != nil)
    }

    @Test func statsEndpointNeedsNoAuthAndDecodes() throws {
        var harness = RouteHarness()
        harness.clone("9", at: 0)
        harness.send("GET", "/api/v1/pools/9")
        let answer = harness.send("GET", "/_sim/stats", authorization: nil)
        #expect(answer.status == 200)
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        let stats = try decoder.decode(SimulatorStats.self, from: Data(answer.body))
        #expect(stats.clonesPerPool == ["9": 1])
        #expect(stats.requests == 2)
        #expect(stats.requestsByRoute == ["POST /pools/{id}/clone": 1, "GET /pools/{id}": 1])
        #expect(stats.cloneArrivals == [RouteHarness.start])
    }
}
