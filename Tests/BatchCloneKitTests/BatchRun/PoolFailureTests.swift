import Testing

@testable import BatchCloneKit

/// The wording of a failure is what the journal and results.csv keep: here it is the thing tested.
@Suite struct PoolFailureTests {
    static let busy = TolokaError.api(
        status: 409, code: "POOL_LOCKED_BY_ANOTHER_OPERATION", message: "", interval: nil, retryAfter: nil)

    @Test(arguments: [
        (PoolFailure.doesNotExist(pool: "p2", on: .check), "pool p2 does not exist or is not visible to this account (404)"),
        (.accessDenied(pool: "p3", on: .check), "no access to pool p3 (403)"),
        (
            .operationFailed(operationID: "op-3", reason: "boom", attempt: 3, maxAttempts: 3),
            "clone operation op-3 failed: boom (attempt 3 of 3)"
        ),
        (.operationUnknown(operationID: "op-ghost"), "clone operation op-ghost is unknown to the server (404)"),
    ])
    func recordedWording(failure: PoolFailure, text: String) {
        #expect(failure.description == text)
    }

    @Test func aBusyPoolNamesItsTriesFirst() {
        let failure = PoolFailure.stayedBusy(pool: "p1", tries: 2, error: Self.busy)
        #expect(failure.description.hasPrefix("pool p1 stayed busy (409) after 2 tries"))
        #expect(failure.operationID == nil)
    }

    @Test func onlyOperationFailuresNameTheirOperation() {
        #expect(PoolFailure.operationUnknown(operationID: "op-1").operationID == "op-1")
        #expect(PoolFailure.succeededWithoutNewPool(operationID: "op-2").operationID == "op-2")
        #expect(PoolFailure.doesNotExist(pool: "p", on: .clone).operationID == nil)
    }
}
