import Testing

@testable import BatchCloneKit

/// The wording of a failure is what the journal and results.csv keep: here it is the thing tested.
@Suite struct PoolFailureTests {
    static let busy = TolokaError.api(
        status: 409,
        code: "POOL_LOCKED_BY_ANOTHER_OPERATION",
        message: "",
        interval: nil,
        retryAfter: nil
    )

    @Test(arguments: [
        (
            PoolFailure.doesNotExist(
                pool: "p2",
                on: .check,
                error: .api(
                    status: 404,
                    code: "DOES_NOT_EXIST",
                    message: "",
                    interval: nil,
                    retryAfter: nil,
                    requestID: "r-1"
                )
            ),
            "pool p2 does not exist or is not visible to this account (404): HTTP 404 DOES_NOT_EXIST (request_id r-1)"
        ),
        (
            .accessDenied(pool: "p3", on: .check, error: .transport("x")),
            "no access to pool p3 (403): no answer from the server: x"
        ),
        (
            .operationFailed(operationID: "op-3", reason: "boom", attempt: 3, maxAttempts: 3),
            "clone operation op-3 failed: boom (attempt 3 of 3)"
        ),
        (
            .answerNeverFound(pool: "p4", attempts: 3, cause: .transport("reset")),
            "the answers to 3 clone request(s) of pool p4 were lost (last: no answer from the server: reset) and no clone "
                + "appeared within the reconcile window; a clone may exist: check the account"
        ),
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
        #expect(
            PoolFailure.operationFailed(operationID: "op-1", reason: nil, attempt: 1, maxAttempts: 1).operationID
                == "op-1"
        )
        #expect(PoolFailure.answerNeverFound(pool: "p", attempts: 1, cause: nil).operationID == nil)
        #expect(PoolFailure.doesNotExist(pool: "p", on: .clone, error: .transport("x")).operationID == nil)
    }

    @Test func onlyALostAnswerLeavesACloneThatMayExist() {
        #expect(PoolFailure.answerNeverFound(pool: "p", attempts: 1, cause: nil).cloneMayExist)
        #expect(!PoolFailure.operationFailed(operationID: "op", reason: nil, attempt: 1, maxAttempts: 1).cloneMayExist)
        #expect(!PoolFailure.refused(pool: "p", on: .clone, error: .transport("x")).cloneMayExist)
    }
}
