import BatchCloneTestSupport
import Foundation
import JSONValue
import Testing

@testable import BatchCloneKit

/// Objects read, replaced whole and opened: idempotent requests, retried a bounded number of times.
@Suite struct TolokaClientObjectTests {
    private func client(_ transport: FakeTransport) -> TolokaClient {
        TolokaClient(
            baseURL: URL(string: "https://toloka.test/api/v1")!,
            authorization: "ApiKey secret.key.value",
            transport: transport,
            clock: WarpClock(),
            retryPolicy: RetryPolicy(maxAttempts: 3),
            jitter: { 0 }
        )
    }

    private static func envelope(_ status: Int, _ code: String) -> FakeTransport.Reply {
        .json(status, #"{"request_id":"req-7","code":"\#(code)","message":"will_expire is in the past"}"#)
    }

    @Test func objectKeepsTheFieldsInTheServersOrder() async throws {
        let transport = FakeTransport([.json(200, #"{"b":1,"a":{"x":true}}"#)])
        let object = try await client(transport).object("5", of: .training)
        #expect(object.serialized() == #"{"b":1,"a":{"x":true}}"#)
        #expect(transport.requests.map(\.path) == ["/api/v1/trainings/5"])
    }

    @Test func replaceSendsTheWholeObjectAsJSONAndRetriesALostAnswer() async throws {
        let transport = FakeTransport([.fail(.transport("reset")), .json(200, "{}")])
        try await client(transport).replace("5", of: .pool, with: .object([("private_name", .string("x"))]))
        #expect(transport.requests.map(\.method) == ["PUT", "PUT"])
        #expect(transport.requests.last?.body == Data(#"{"private_name":"x"}"#.utf8))
        #expect(transport.requests.last?.headers["Content-Type"] == "application/json")
    }

    @Test func retriesOfALostAnswerAreBounded() async throws {
        let transport = FakeTransport([], fallback: .fail(.transport("reset")))
        await #expect(throws: TolokaError.transport("reset")) {
            try await client(transport).replace("5", of: .pool, with: .object([]))
        }
        #expect(transport.requests.count == 3)
    }

    @Test func aStepsLimitIsNotRetriedByTheClient() async throws {
        let transport = FakeTransport([Self.envelope(429, "TOO_MANY_REQUESTS")])
        await #expect(throws: TolokaError.self) { try await client(transport).open("5", of: .pool) }
        #expect(transport.requests.count == 1)
    }

    @Test func openAnswersItsOperationNilWhenOpenAlreadyAndTheRefusalWithItsRequestID() async throws {
        let operation = #"{"id":"op-9","type":"POOL.OPEN","status":"PENDING","parameters":{"pool_id":"5"}}"#
        let transport = FakeTransport([
            .json(202, operation), .answer(HTTPAnswer(status: 204)), Self.envelope(409, "CONFLICT_STATE"),
        ])
        let api = client(transport)
        #expect(try await api.open("5", of: .pool)?.id == "op-9")
        #expect(try await api.open("5", of: .pool) == nil)
        do {
            _ = try await api.open("5", of: .pool)
            Issue.record("a 409 was not thrown")
        } catch let error as TolokaError {
            #expect(error.description.contains("CONFLICT_STATE") && error.description.contains("req-7"))
        }
        #expect(transport.requests.map(\.path) == Array(repeating: "/api/v1/pools/5/open", count: 3))
    }
}
