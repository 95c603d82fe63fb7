import Foundation
import Testing

@testable import BatchCloneKit

/// Server IDs reach terminals, journals and CSV cells: odd shapes are a malformed answer.
@Suite struct TolokaOperationShapeTests {
    private func decode(id: String, newPool: String = "2") throws -> TolokaOperation {
        let object: [String: Any] = [
            "id": id, "type": "POOL.CLONE", "status": "SUCCESS", "parameters": ["pool_id": "1"],
            "details": ["pool_id": newPool],
        ]
        return try JSONDecoder().decode(TolokaOperation.self, from: JSONSerialization.data(withJSONObject: object))
    }

    @Test(arguments: [
        "\u{1B}]0;owned\u{07}", "\u{1B}[2J", "op\nid", "=HYPERLINK(\"http://x\",\"y\")", "",
        String(repeating: "a", count: 129),
        "a b", "op/1", "é",
    ])
    func oddOperationIDsAreRefused(id: String) {
        #expect(throws: DecodingError.self) { try decode(id: id) }
    }

    @Test(arguments: [
        "=HYPERLINK(\"http://x\",\"y\")", "\u{1B}[2J", "-1", "+5", "12a", "", String(repeating: "1", count: 21),
    ])
    func oddNewPoolIDsAreRefused(newPool: String) {
        #expect(throws: DecodingError.self) { try decode(id: "op-1", newPool: newPool) }
    }

    @Test(arguments: ["7ea08f99-5e24-47b4-b61f-c177a868d801", "op_1.2", String(repeating: "a", count: 128)])
    func printableTokensAreAccepted(id: String) throws {
        #expect(try decode(id: id, newPool: "31415926").id == id)
    }

    @Test func theClientReportsAnOddIDAsAMalformedAnswerWhoseCloneOutcomeIsUnknown() async throws {
        let transport = FakeTransport([.json(202, #"{"id":"\u001b[2J","status":"RUNNING"}"#)])
        let client = TolokaClient(
            baseURL: URL(string: "https://toloka.dev/api/v1")!,
            authorization: "OAuth t",
            transport: transport,
            clock: SystemClock()
        )
        do {
            _ = try await client.clonePool("1")
            Issue.record("an escape sequence as operation id was accepted")
        } catch let error as TolokaError {
            #expect(error.description.contains("operation id of unexpected shape"))
            #expect(FailureKind(error) == .transient)
        }
    }
}
