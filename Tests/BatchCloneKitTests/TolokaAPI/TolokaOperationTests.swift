import Foundation
import Testing

@testable import BatchCloneKit

@Suite struct TolokaOperationTests {
    private func decode(_ json: String) throws -> TolokaOperation {
        try JSONDecoder().decode(TolokaOperation.self, from: Data(json.utf8))
    }

    @Test func theDocumentedExampleDecodes() throws {
        let operation = try decode(
            """
            {"id": "7ea08f99-5e24-47b4-b61f-c177a868d801", "type": "POOL.CLONE", "status": "SUCCESS",
             "submitted": "2016-04-07T16:06:15.902", "started": "2016-04-07T16:06:15.902",
             "finished": "2016-04-07T16:06:15.902", "progress": 100,
             "parameters": {"pool_id": "1"}, "details": {"pool_id": "2"}}
            """
        )
        #expect(
            operation
                == TolokaOperation(
                    id: "7ea08f99-5e24-47b4-b61f-c177a868d801",
                    status: .success,
                    submitted: ServerInstant(epochMilliseconds: 1_460_045_175_902),
                    sourcePoolID: "1",
                    newPoolID: "2"
                )
        )
        #expect(operation.status.isFinished)
    }

    @Test func unknownTypesStatusesAndExtraFieldsDecode() throws {
        let operation = try decode(
            """
            {"id": "x", "type": "TASK.BATCH_CREATE", "status": "QUEUED", "extra": {"deep": [1, {"a": null}]},
             "parameters": {"pool_id": 42, "skip_invalid_items": true, "list": [1, 2]},
             "details": {"items": {"0": "a"}, "reason": "quota exceeded", "pool_id": 43}}
            """
        )
        #expect(operation.type == "TASK.BATCH_CREATE")
        #expect(operation.status == .other("QUEUED"))
        #expect(!operation.status.isFinished)
        #expect(operation.submitted == nil)
        #expect(operation.sourcePoolID == "42")
        #expect(operation.newPoolID == "43")
        #expect(operation.failureReason == "quota exceeded")
    }

    @Test func withoutDetailsOrParameters() throws {
        let operation = try decode(#"{"id":"y","status":"PENDING","details":null}"#)
        #expect(operation == TolokaOperation(id: "y", type: "", status: .pending))
        let failed = try decode(
            #"{"id":"z","type":"POOL.CLONE","status":"FAIL","details":{"message":"pool is archived"}}"#
        )
        #expect(failed.status == .fail && failed.status.isFinished)
        #expect(failed.failureReason == "pool is archived")
        #expect(failed.newPoolID == nil)
        let odd = try decode(#"{"id":"w","status":"RUNNING","parameters":"not an object","submitted":"garbage"}"#)
        #expect(odd.sourcePoolID == nil && odd.submitted == nil && odd.status == .running)
    }

    @Test func anOperationNeedsAnIdAndAStatus() {
        #expect(throws: DecodingError.self) { try decode(#"{"status":"RUNNING"}"#) }
        #expect(throws: DecodingError.self) { try decode(#"{"id":"a"}"#) }
    }

    @Test func aPageDecodes() throws {
        let page = try JSONDecoder().decode(
            OperationPage.self,
            from: Data(
                #"""
                {"items":[{"id":"a","status":"RUNNING"},{"id":"b","status":"SUCCESS","type":"POOL.OPEN"}],"has_more":true}
                """#.utf8
            )
        )
        #expect(page.items.map(\.id) == ["a", "b"])
        #expect(page.hasMore)
    }

    @Test func queryDefaults() {
        let query = OperationQuery(submittedAtOrAfter: ServerInstant(epochMilliseconds: 5))
        #expect(query.type == "POOL.CLONE")
        #expect(query.limit == 300)
        #expect(query.idAfter == nil)
    }
}
