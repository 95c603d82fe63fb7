import Foundation
import Testing

@testable import TolokaSimulator

/// Pools and trainings as whole objects: GET, full-object PUT, open, and what clones copy.
struct SimulatedObjectRoutesTests {
    static let pool5 = "/api/v1/pools/5"

    func payload(_ answer: RouteAnswer) -> [String: Any] {
        answer.json["payload"] as? [String: Any] ?? [:]
    }

    func defaults(_ object: [String: Any]) -> [String: Any] {
        object["defaults"] as? [String: Any] ?? [:]
    }

    @Test func getReturnsTheWholePoolWithAFutureExpiryByDefault() throws {
        var harness = RouteHarness()
        let pool = harness.send("GET", Self.pool5)
        #expect(pool.status == 200)
        for field in [
            "id", "project_id", "private_name", "public_description", "may_contain_adult_content", "will_expire",
            "reward_per_assignment", "assignments_issuing_config", "defaults", "status", "type", "created",
        ] {
            #expect(pool.json[field] != nil, "GET lacks \(field)")
        }
        #expect(pool.json["private_name"] as? String == "pool 5")
        #expect(defaults(pool.json)["default_overlap_for_new_tasks"] as? Int == 3)
        let willExpire = try #require(SimulatorTime.parse(pool.json["will_expire"] as? String ?? ""))
        #expect(willExpire > RouteHarness.start)
    }

    @Test func putRefusesABodyMissingAFieldAndNamesIt() {
        var harness = RouteHarness()
        let missing = harness.edit(Self.pool5) { $0["private_name"] = nil }
        #expect(missing.status == 400)
        #expect(missing.code == "VALIDATION_ERROR")
        #expect(missing.json["request_id"] is String)
        #expect(payload(missing)["private_name"] != nil)
        #expect((missing.json["message"] as? String)?.contains("private_name") == true)

        let nested = harness.edit(Self.pool5) { object in
            var defaults = self.defaults(object)
            defaults["default_overlap_for_new_tasks"] = nil
            object["defaults"] = defaults
        }
        #expect(nested.status == 400)
        #expect(payload(nested)["defaults.default_overlap_for_new_tasks"] != nil)

        let retyped = harness.edit(Self.pool5) { $0["private_name"] = 2024 }
        #expect(retyped.status == 400)
        #expect((payload(retyped)["private_name"] as? [String: Any])?["code"] as? String == "INVALID_TYPE")

        let badDate = harness.edit(Self.pool5) { $0["will_expire"] = "next week" }
        #expect(badDate.status == 400)
        #expect(payload(badDate)["will_expire"] != nil)

        let notJSON = harness.send("PUT", Self.pool5, body: Array("{\"private_name\":".utf8))
        #expect(notJSON.status == 400 && notJSON.code == "VALIDATION_ERROR")
        #expect(harness.stats.editsPerObject.isEmpty, "a refused PUT stores nothing")
        #expect(harness.send("GET", Self.pool5).json["private_name"] as? String == "pool 5")
    }

    @Test func putIgnoresReadOnlyFieldsAndStoresTheRest() {
        var harness = RouteHarness()
        let created = harness.send("GET", Self.pool5).json["created"] as? String
        let edited = harness.edit(Self.pool5) { object in
            object["private_name"] = "rerun 2024"
            object["status"] = "OPEN"
            object["id"] = "999"
            object["created"] = "2001-01-01T00:00:00"
            object["private_comment"] = "new field"
        }
        #expect(edited.status == 200)
        let read = harness.send("GET", Self.pool5).json
        #expect(read["private_name"] as? String == "rerun 2024")
        #expect(read["private_comment"] as? String == "new field")
        #expect(read["id"] as? String == "5")
        #expect(read["status"] as? String == "CLOSED")
        #expect(read["created"] as? String == created)
        #expect(edited.json["private_name"] as? String == "rerun 2024", "PUT answers the stored object")

        // Read-only fields may be left out, and repeating a PUT changes nothing more.
        var withoutReadOnly = read
        for field in SimulatedObject.readOnlyFields { withoutReadOnly[field] = nil }
        #expect(harness.put(Self.pool5, withoutReadOnly).status == 200)
        #expect(harness.put(Self.pool5, withoutReadOnly).status == 200)
        #expect(harness.send("GET", Self.pool5).body == harness.send("GET", Self.pool5, at: 1).body)
        #expect(harness.stats.editsPerObject == ["5": 3])
    }

    @Test func clonesCopyTheirTemplatesFieldsWithANewIDClosedAndFresh() throws {
        var harness = RouteHarness()
        harness.edit(Self.pool5) { $0["private_name"] = "template five" }
        let template = harness.send("GET", Self.pool5).json
        let operation = harness.clone("5", at: 10)
        let id = try #require(operation.json["id"] as? String)
        let done = harness.send("GET", "/api/v1/operations/\(id)", at: 11)
        let newID = try #require((done.json["details"] as? [String: Any])?["pool_id"] as? String)

        let clone = harness.send("GET", "/api/v1/pools/\(newID)", at: 11).json
        #expect(clone["id"] as? String == newID)
        #expect(newID != "5")
        #expect(clone["private_name"] as? String == "template five")
        #expect(clone["will_expire"] as? String == template["will_expire"] as? String)
        #expect(clone["project_id"] as? String == template["project_id"] as? String)
        #expect(defaults(clone)["default_overlap_for_new_tasks"] as? Int == 3)
        #expect(clone["status"] as? String == "CLOSED")
        #expect(clone["created"] as? String == done.json["finished"] as? String)
        #expect(clone["created"] as? String != template["created"] as? String)
    }

    @Test func openAnswersAnOperationThenTheObjectIsOpenAnd204() throws {
        var harness = RouteHarness()
        let accepted = harness.send("POST", "\(Self.pool5)/open")
        #expect(accepted.status == 202)
        #expect(accepted.json["type"] as? String == "POOL.OPEN")
        #expect((accepted.json["parameters"] as? [String: Any])?["pool_id"] as? String == "5")
        let id = try #require(accepted.json["id"] as? String)

        #expect(harness.send("GET", Self.pool5, at: 0.5).json["status"] as? String == "CLOSED")
        #expect(harness.send("POST", "\(Self.pool5)/open", at: 0.5).code == "POOL_LOCKED_BY_ANOTHER_OPERATION")
        #expect(harness.edit(Self.pool5, at: 0.5) { _ in }.code == "POOL_LOCKED_BY_ANOTHER_OPERATION")

        #expect(harness.send("GET", "/api/v1/operations/\(id)", at: 1).json["status"] as? String == "SUCCESS")
        let open = harness.send("GET", Self.pool5, at: 1).json
        #expect(open["status"] as? String == "OPEN")
        #expect(open["last_started"] as? String == SimulatorTime.format(RouteHarness.start.addingTimeInterval(1)))
        let again = harness.send("POST", "\(Self.pool5)/open", at: 2)
        #expect(again.status == 204)
        #expect(again.body.isEmpty)
        let edit = harness.edit(Self.pool5, at: 2) { $0["private_name"] = "late" }
        #expect(edit.status == 409)
        #expect(edit.code == "INAPPROPRIATE_STATUS")
        #expect(harness.stats.opensPerObject == ["5": 1])
    }

    @Test func openRefusesAPastExpiryUntilAPutChangesIt() throws {
        var harness = RouteHarness { $0.expiredTemplates = .only(["5"]) }
        let template = harness.send("GET", Self.pool5).json
        let past = try #require(SimulatorTime.parse(template["will_expire"] as? String ?? ""))
        #expect(past < RouteHarness.start)

        let operation = harness.clone("5")
        let id = try #require(operation.json["id"] as? String)
        let done = harness.send("GET", "/api/v1/operations/\(id)", at: 1)
        let newID = try #require((done.json["details"] as? [String: Any])?["pool_id"] as? String)
        let clone = "/api/v1/pools/\(newID)"
        #expect(harness.send("GET", clone, at: 1).json["will_expire"] as? String == template["will_expire"] as? String)

        let refused = harness.send("POST", "\(clone)/open", at: 1)
        #expect(refused.status == 409)
        #expect(refused.code == "CONFLICT_STATE")
        #expect(refused.json["request_id"] is String)
        #expect((refused.json["message"] as? String)?.contains("will_expire") == true)
        #expect(harness.send("POST", "\(Self.pool5)/open", at: 1).status == 409)

        let future = SimulatorTime.format(RouteHarness.start.addingTimeInterval(30 * 86_400))
        #expect(harness.edit(clone, at: 2) { $0["will_expire"] = future }.status == 200)
        #expect(harness.send("POST", "\(clone)/open", at: 2).status == 202)
        #expect(harness.send("POST", "/api/v1/pools/6/open").status == 202, "only the listed template expired")

        var all = RouteHarness { $0.expiredTemplates = .all }
        #expect(all.send("POST", "/api/v1/pools/6/open").code == "CONFLICT_STATE")
    }

    @Test func trainingsAreObjectsWithTheirOwnCloneAndOpenOperations() throws {
        var harness = RouteHarness()
        let training = harness.send("GET", "/api/v1/trainings/3")
        #expect(training.status == 200)
        #expect(training.json["private_name"] as? String == "training 3")
        #expect(training.json["status"] as? String == "CLOSED")
        #expect(training.json["type"] == nil)

        let accepted = harness.send("POST", "/api/v1/trainings/3/clone")
        #expect(accepted.status == 202)
        #expect(accepted.json["type"] as? String == "TRAINING.CLONE")
        #expect((accepted.json["parameters"] as? [String: Any])?["training_id"] as? String == "3")
        let id = try #require(accepted.json["id"] as? String)
        let done = harness.send("GET", "/api/v1/operations/\(id)", at: 1)
        #expect(done.json["status"] as? String == "SUCCESS")
        let newID = try #require((done.json["details"] as? [String: Any])?["training_id"] as? String)
        #expect((done.json["details"] as? [String: Any])?["pool_id"] == nil)

        let clone = harness.send("GET", "/api/v1/trainings/\(newID)", at: 1)
        #expect(clone.json["private_name"] as? String == "training 3")
        #expect(harness.send("GET", "/api/v1/pools/\(newID)", at: 1).code == "DOES_NOT_EXIST")
        #expect(harness.stats.clonesPerTraining == ["3": 1])
        #expect(harness.stats.clonesPerPool.isEmpty)
        #expect(harness.stats.acceptedClones == 0 && harness.stats.acceptedTrainingClones == 1)

        #expect(harness.edit("/api/v1/trainings/\(newID)", at: 1) { $0["private_name"] = nil }.status == 400)
        #expect(harness.edit("/api/v1/trainings/\(newID)", at: 1) { $0["private_name"] = "again" }.status == 200)
        let open = harness.send("POST", "/api/v1/trainings/\(newID)/open", at: 1)
        #expect(open.status == 202)
        #expect(open.json["type"] as? String == "TRAINING.OPEN")
        #expect((open.json["parameters"] as? [String: Any])?["training_id"] as? String == newID)
        #expect(harness.send("GET", "/api/v1/trainings/\(newID)", at: 2).json["status"] as? String == "OPEN")
        #expect(harness.send("POST", "/api/v1/trainings/\(newID)/open", at: 2).status == 204)
    }

    @Test func trainingClonesHaveTheirOwnLimitsApartFromPoolClones() {
        var harness = RouteHarness {
            $0.limits = [SimulatedLimit(count: 2, window: .seconds(60))]
            $0.trainingLimits = [SimulatedLimit(count: 1, window: .seconds(60))]
        }
        #expect(harness.clone("1").status == 202)
        #expect(harness.clone("2").status == 202)
        #expect(harness.clone("3").status == 429)
        #expect(harness.send("POST", "/api/v1/trainings/4/clone").status == 202, "pool clones do not fill it")
        let rejected = harness.send("POST", "/api/v1/trainings/5/clone", at: 10)
        #expect(rejected.status == 429)
        #expect(rejected.code == "TOO_MANY_REQUESTS")
        #expect((rejected.json["payload"] as? [String: Any])?["interval"] as? String == "MIN")
        #expect((rejected.json["message"] as? String)?.contains("training clones") == true)
        #expect(rejected.header("Retry-After") == "50")
        // The rejected POST at 10 s counts too (the strict reading): free again after 70 s.
        #expect(harness.send("POST", "/api/v1/trainings/5/clone", at: 60.5).status == 429)
        #expect(harness.send("POST", "/api/v1/trainings/5/clone", at: 130.5).status == 202)
        #expect(harness.stats.trainingCloneArrivals.count == 2)
        #expect(harness.stats.clonePostsPerTraining == ["4": 1, "5": 3])
    }

    @Test func listingShowsTrainingClonesAndOpensUnderTheirTypes() {
        var harness = RouteHarness()
        harness.clone("1")
        harness.send("POST", "/api/v1/trainings/2/clone")
        harness.send("POST", "/api/v1/pools/3/open")
        let trainings = harness.send("GET", "/api/v1/operations?type=TRAINING.CLONE", at: 1).items
        #expect(trainings.count == 1)
        #expect((trainings.first?["parameters"] as? [String: Any])?["training_id"] as? String == "2")
        #expect(trainings.first?["details"] != nil)
        let pools = harness.send("GET", "/api/v1/operations?type=POOL.CLONE", at: 1).items
        #expect(pools.map { ($0["parameters"] as? [String: Any])?["pool_id"] as? String } == ["1"])
        let opens = harness.send("GET", "/api/v1/operations?type=POOL.OPEN", at: 1).items
        #expect(opens.contains { ($0["parameters"] as? [String: Any])?["pool_id"] as? String == "3" })
        let all = harness.send("GET", "/api/v1/operations", at: 1).items
        #expect(all.contains { $0["type"] as? String == "TRAINING.CLONE" })
    }

    @Test func aBusyTemplateRefusesASecondCloneWhileItsCloneRuns() {
        var busy = RouteHarness {
            $0.busyTemplates = true
            $0.limits = [SimulatedLimit(count: 2, window: .seconds(60))]
        }
        #expect(busy.clone("5").status == 202)
        let locked = busy.clone("5", at: 0.5)
        #expect(locked.status == 409)
        #expect(locked.code == "POOL_LOCKED_BY_ANOTHER_OPERATION")
        #expect(locked.json["request_id"] is String)
        #expect(busy.send("POST", "/api/v1/trainings/5/clone", at: 0.5).status == 202, "a training is another object")
        #expect(busy.clone("5", at: 1).status == 202, "free once its clone finished; the 409 did not count")
        #expect(busy.stats.clonesPerPool == ["5": 2])

        var free = RouteHarness()
        #expect(free.clone("5").status == 202)
        #expect(free.clone("5").status == 202)
    }

    @Test func editsChangingOverlapAreLimitedPerAccountOrPerPool() {
        func changeOverlap(_ harness: inout RouteHarness, _ pool: String, to value: Int, at seconds: Double)
            -> RouteAnswer
        {
            harness.edit("/api/v1/pools/\(pool)", at: seconds) { object in
                var defaults = object["defaults"] as? [String: Any] ?? [:]
                defaults["default_overlap_for_new_tasks"] = value
                object["defaults"] = defaults
            }
        }
        var account = RouteHarness { $0.overlapLimits = [SimulatedLimit(count: 2, window: .seconds(3600))] }
        #expect(changeOverlap(&account, "5", to: 5, at: 0).status == 200)
        #expect(changeOverlap(&account, "6", to: 5, at: 1).status == 200)
        let rejected = changeOverlap(&account, "7", to: 5, at: 2)
        #expect(rejected.status == 429)
        #expect(rejected.code == "TOO_MANY_REQUESTS")
        #expect((rejected.json["payload"] as? [String: Any])?["interval"] as? String == "HOUR")
        #expect(rejected.json["request_id"] is String)
        #expect(account.send("GET", "/api/v1/pools/7").body.count > 0)
        #expect(defaults(account.send("GET", "/api/v1/pools/7").json)["default_overlap_for_new_tasks"] as? Int == 3)
        #expect(changeOverlap(&account, "5", to: 5, at: 3).status == 200, "the same overlap again is no change")
        #expect(account.edit("/api/v1/pools/8", at: 3) { $0["private_name"] = "x" }.status == 200)
        #expect(changeOverlap(&account, "7", to: 5, at: 3601).status == 200)
        #expect(account.stats.overlapChanges == 3)

        var perPool = RouteHarness {
            $0.overlapLimits = [SimulatedLimit(count: 2, window: .seconds(3600))]
            $0.overlapLimitPerPool = true
        }
        #expect(changeOverlap(&perPool, "5", to: 4, at: 0).status == 200)
        #expect(changeOverlap(&perPool, "5", to: 5, at: 1).status == 200)
        #expect(changeOverlap(&perPool, "6", to: 5, at: 2).status == 200)
        #expect(changeOverlap(&perPool, "5", to: 6, at: 3).status == 429)
    }
}
