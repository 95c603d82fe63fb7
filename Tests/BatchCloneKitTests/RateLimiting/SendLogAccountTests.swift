import Foundation
import Testing

@testable import BatchCloneKit

/// The ledger's entries as the account view needs them: operation IDs, late arrivals, merged clones.
@Suite struct SendLogAccountTests {
    static let t0: Int64 = 1_800_000_000_000

    @Test func anAnsweredSendCarriesItsOperationAndMovesToALaterArrival() {
        var log = SendLog(sends: [Self.t0, Self.t0 + 10])
        log.attach(operationID: "op-1", intent: Self.t0, arrival: Self.t0 + 2000)
        #expect(log.sends == [Self.t0 + 10, Self.t0 + 2000])
        #expect(log.operations == ["op-1": Self.t0 + 2000])
        // An arrival before the intent (a clock ahead of the server's) never moves a send earlier.
        log.attach(operationID: "op-2", intent: Self.t0 + 10, arrival: Self.t0)
        #expect(log.sends == [Self.t0 + 10, Self.t0 + 2000])
        #expect(log.operations["op-2"] == Self.t0 + 10)
    }

    @Test func mergingCountsOnlyOperationsTheLogDoesNotKnow() {
        var log = SendLog(sends: [Self.t0 + 500], operations: ["own": Self.t0 + 500])
        let merged = log.merge([
            AccountClone(operationID: "own", time: Self.t0 + 400),
            AccountClone(operationID: "web-1", time: Self.t0 - 100),
            AccountClone(operationID: "web-2", time: Self.t0 + 900),
        ])
        #expect(merged == 2)
        #expect(log.sends == [Self.t0 - 100, Self.t0 + 500, Self.t0 + 900])
        #expect(log.merge([AccountClone(operationID: "web-1", time: Self.t0 - 100)]) == 0)
    }

    @Test func aLostAnswerCountedTwiceIsCountedOnceWhenItsOperationIsKnown() {
        // The intent is recorded; the answer is lost; the account's list shows the clone: without a
        // claim window it is counted twice (safe), then once when reconciliation links it.
        var log = SendLog(sends: [Self.t0])
        log.merge([AccountClone(operationID: "op-lost", time: Self.t0 + 300)])
        #expect(log.sends.count == 2)
        // Reconciliation finds the operation: the intent's copy goes, the listed one stays.
        log.attach(operationID: "op-lost", intent: Self.t0, arrival: Self.t0 + 300)
        #expect(log.sends == [Self.t0 + 300])
    }

    @Test func anUnknownCloneClaimsAnUnlinkedOwnSendBeforeItInsteadOfCountingTwice() {
        var log = SendLog(sends: [Self.t0, Self.t0 + 1000], operations: ["mine": Self.t0 + 1000])
        let clones = [
            AccountClone(operationID: "lost", time: Self.t0 + 300),
            AccountClone(operationID: "web", time: Self.t0 + 400),
        ]
        #expect(log.merge(clones, claimBefore: 60_000, claimAfter: 1000) == 1)
        // The claimed send moves to where the server saw the clone.
        #expect(log.sends == [Self.t0 + 300, Self.t0 + 400, Self.t0 + 1000])
        #expect(log.operations["lost"] == Self.t0 + 300)
        // Reconciliation then links the same operation: nothing changes, nothing is dropped.
        log.attach(operationID: "lost", intent: Self.t0, arrival: Self.t0 + 300)
        #expect(log.sends == [Self.t0 + 300, Self.t0 + 400, Self.t0 + 1000])
        // A clone far from every unlinked send is made elsewhere.
        var other = SendLog(sends: [Self.t0])
        #expect(
            other.merge(
                [AccountClone(operationID: "x", time: Self.t0 + 120_000)],
                claimBefore: 60_000,
                claimAfter: 1000
            ) == 1
        )
        #expect(other.sends.count == 2)
        // A send recorded well after a clone cannot have become it: the clone was made elsewhere.
        var later = SendLog(sends: [Self.t0 + 5000])
        #expect(
            later.merge([AccountClone(operationID: "y", time: Self.t0)], claimBefore: 60_000, claimAfter: 1000) == 1
        )
        #expect(later.sends == [Self.t0, Self.t0 + 5000])
    }

    @Test func attachingAnOperationClaimedAtItsIntentDropsNothing() {
        var log = SendLog(sends: [Self.t0])
        log.merge([AccountClone(operationID: "op", time: Self.t0 - 200)], claimBefore: 60_000, claimAfter: 1000)
        #expect(log.operations == ["op": Self.t0])
        log.attach(operationID: "op", intent: Self.t0, arrival: Self.t0)
        #expect(log.sends == [Self.t0])
    }

    @Test func pruningForgetsOperationsWithTheirSends() {
        var log = SendLog(sends: [Self.t0, Self.t0 + 5000], operations: ["old": Self.t0, "new": Self.t0 + 5000])
        log.prune(now: Self.t0 + 4000, retention: 3000)
        #expect(log.sends == [Self.t0 + 5000])
        #expect(log.operations == ["new": Self.t0 + 5000])
    }

    @Test func theStateFileKeepsOperations() throws {
        let log = SendLog(sends: [Self.t0, Self.t0 + 7], operations: ["a-1": Self.t0 + 7])
        let decoded = try FileLedgerStore.decode(FileLedgerStore.encode(log), path: "state.json")
        #expect(decoded == log)
    }

    @Test func aMalformedOperationsFieldIsRefused() {
        let text = #"{"format": "batch-clone-ledger", "version": 1, "operations": {"a": "noon"}, "sends": []}"#
        #expect(throws: StorageError.self) { try FileLedgerStore.decode(Data(text.utf8), path: "state.json") }
    }
}
