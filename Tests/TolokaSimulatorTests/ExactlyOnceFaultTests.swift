import Foundation
import Testing

@testable import TolokaSimulator

/// The faults that make exactly-once hard: late commits, endless 500s, successes without a new
/// pool id, and operations unknown for a while after their 202.
struct ExactlyOnceFaultTests {
    private func operationIDs(_ answer: RouteAnswer, pool: String) -> [String] {
        answer.items.filter { ($0["parameters"] as? [String: Any])?["pool_id"] as? String == pool }.compactMap {
            $0["id"] as? String
        }
    }

    private let listClones = "/api/v1/operations?type=POOL.CLONE&limit=300"

    @Test func aLateCommitLosesTheAnswerAndAppearsOnlyAfterTheDelay() throws {
        var harness = RouteHarness {
            $0.faults.lateCommitRate = 1
            $0.faults.lateCommitDelay = .seconds(4)
        }
        var lost = 0
        for pool in ["1", "2", "3", "4", "5", "6"] {
            let answer = harness.clone(pool)
            #expect(answer.dropped || answer.status == 500, "the answer of pool \(pool) is lost")
            if answer.dropped { lost += 1 }
        }
        #expect(lost > 0 && lost < 6, "both kinds of loss are drawn")
        #expect(operationIDs(harness.send("GET", listClones, at: 3.9), pool: "1").isEmpty)
        let listed = harness.send("GET", listClones, at: 4)
        let ids = operationIDs(listed, pool: "1")
        #expect(ids.count == 1)
        let operation = try #require(listed.items.first { $0["id"] as? String == ids.first })
        #expect(operation["submitted"] as? String == "2023-11-14T22:13:24.000", "submitted is the commit time")
        #expect(harness.send("GET", "/api/v1/operations/\(ids[0])", at: 3.5).status == 404)
        #expect(harness.send("GET", "/api/v1/operations/\(ids[0])", at: 4).status == 200)
        #expect(harness.stats.clonesPerPool["1"] == 1, "the clone exists once")
    }

    @Test func aLateCommitIsNotFoundBySubmittedBeforeItsCommit() {
        var harness = RouteHarness {
            $0.faults.lateCommitRate = 1
            $0.faults.lateCommitDelay = .seconds(4)
        }
        harness.clone("1")
        let before = harness.send(
            "GET",
            listClones + "&submitted_lt=2023-11-14T22:13:24.000",
            at: 10
        )
        #expect(operationIDs(before, pool: "1").isEmpty)
        let after = harness.send("GET", listClones + "&submitted_gte=2023-11-14T22:13:24.000", at: 10)
        #expect(operationIDs(after, pool: "1").count == 1)
    }

    @Test func anAlways500PoolClonesNothingAndCountsItsPosts() {
        var harness = RouteHarness { $0.faults.cloneFaults["9"] = .internalError }
        for second in 0..<4 {
            let answer = harness.clone("9", at: Double(second))
            #expect(answer.status == 500)
            #expect(answer.code == "INTERNAL_ERROR")
        }
        #expect(harness.clone("8").status == 202)
        #expect(harness.stats.clonePostsPerPool == ["9": 4, "8": 1])
        #expect(harness.stats.clonesPerPool == ["8": 1])
        #expect(operationIDs(harness.send("GET", listClones, at: 5), pool: "9").isEmpty)
    }

    @Test func aSuccessWithoutNewPoolID() throws {
        var harness = RouteHarness { $0.faults.successWithoutPoolID = ["4"] }
        let id = try #require(harness.clone("4").json["id"] as? String)
        let otherID = try #require(harness.clone("5").json["id"] as? String)
        let done = harness.send("GET", "/api/v1/operations/\(id)", at: 2).json
        #expect(done["status"] as? String == "SUCCESS")
        #expect(done["details"] == nil)
        let other = harness.send("GET", "/api/v1/operations/\(otherID)", at: 2).json
        #expect((other["details"] as? [String: Any])?["pool_id"] is String)
    }

    @Test func anOperationIs404ForAWhileAfterIts202() throws {
        var harness = RouteHarness { $0.faults.invisibleOperations["6"] = .seconds(5) }
        let accepted = harness.clone("6")
        #expect(accepted.status == 202)
        let id = try #require(accepted.json["id"] as? String)
        #expect(harness.send("GET", "/api/v1/operations/\(id)", at: 4.9).status == 404)
        #expect(operationIDs(harness.send("GET", listClones, at: 4.9), pool: "6").isEmpty)
        #expect(harness.send("GET", "/api/v1/operations/\(id)", at: 5).json["status"] as? String == "SUCCESS")
        #expect(operationIDs(harness.send("GET", listClones, at: 5), pool: "6") == [id])
    }
}
