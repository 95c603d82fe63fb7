import Foundation
import Testing

@testable import BatchCloneKit

/// The ledger's entries as the account view needs them: operation IDs, late arrivals, merged clones.
@Suite struct SendLogAccountTests {
    static let t0: Int64 = 1_800_000_000_000

    private static func own(_ offset: Int64, _ source: String = "p1") -> OwnSend {
        OwnSend(intent: t0 + offset, source: source)
    }

    @Test func anAnsweredSendCarriesItsOperationAndMovesToALaterArrival() {
        var log = SendLog()
        log.append(Self.own(0))
        log.append(Self.own(10, "p2"))
        log.attach(operationID: "op-1", send: Self.own(0), arrival: Self.t0 + 2000)
        #expect(log.sends == [Self.t0 + 10, Self.t0 + 2000])
        #expect(log.operations == ["op-1": Self.t0 + 2000])
        #expect(log.pending == [Self.own(10, "p2")])
        // An arrival before the intent (a clock ahead of the server's) never moves a send earlier.
        log.attach(operationID: "op-2", send: Self.own(10, "p2"), arrival: Self.t0)
        #expect(log.sends == [Self.t0 + 10, Self.t0 + 2000])
        #expect(log.operations["op-2"] == Self.t0 + 10)
        #expect(log.pending.isEmpty)
    }

    @Test func anAnswerLinksOnlyTheSendOfItsOwnSource() {
        var log = SendLog()
        log.append(Self.own(0, "p1"))
        log.append(Self.own(0, "p2"))
        log.attach(operationID: "op-2", send: Self.own(0, "p2"), arrival: Self.t0 + 50)
        #expect(log.pending == [Self.own(0, "p1")])
        #expect(log.links == ["op-2": Self.own(0, "p2")])
        #expect(log.sends == [Self.t0, Self.t0 + 50])
    }

    @Test func mergingCountsOnlyOperationsTheLogDoesNotKnow() {
        var log = SendLog(sends: [Self.t0 + 500], operations: ["own": Self.t0 + 500])
        let merged = log.merge([
            AccountClone(operationID: "own", time: LocalInstant(epochMilliseconds: Self.t0 + 400)),
            AccountClone(operationID: "web-1", time: LocalInstant(epochMilliseconds: Self.t0 - 100)),
            AccountClone(operationID: "web-2", time: LocalInstant(epochMilliseconds: Self.t0 + 900)),
        ])
        #expect(merged == 2)
        #expect(log.sends == [Self.t0 - 100, Self.t0 + 500, Self.t0 + 900])
        #expect(
            log.merge([AccountClone(operationID: "web-1", time: LocalInstant(epochMilliseconds: Self.t0 - 100))]) == 0
        )
    }

    @Test func aLostAnswerCountedTwiceIsCountedOnceWhenItsOperationIsKnown() {
        // The intent is recorded; the answer is lost; the account's list shows the clone: it is counted
        // twice (safe), then once when reconciliation links it.
        var log = SendLog()
        log.append(Self.own(0))
        let foreign = log.merge([
            AccountClone(operationID: "op-lost", time: LocalInstant(epochMilliseconds: Self.t0 + 300), source: "p1")
        ])
        #expect(foreign == 0, "a pending own send of the same source may be this clone: not reported as foreign")
        #expect(log.sends.count == 2)
        log.attach(operationID: "op-lost", send: Self.own(0), arrival: Self.t0 + 300)
        #expect(log.sends == [Self.t0 + 300])
        #expect(log.pending.isEmpty)
    }

    @Test func aListedCloneNeverTakesAnOwnSendsPlaceWhateverItsSourceAndTime() {
        var log = SendLog()
        log.append(Self.own(0, "p1"))
        log.append(Self.own(300, "p2"))
        let clones = [
            AccountClone(operationID: "lost", time: LocalInstant(epochMilliseconds: Self.t0 + 100), source: "p1"),
            AccountClone(operationID: "web", time: LocalInstant(epochMilliseconds: Self.t0 + 200), source: "p9"),
        ]
        #expect(log.merge(clones) == 1)
        #expect(log.sends == [Self.t0, Self.t0 + 100, Self.t0 + 200, Self.t0 + 300])
        #expect(log.pending == [Self.own(0, "p1"), Self.own(300, "p2")])
    }

    @Test func anAnswerNamingAnotherOperationUndoesTheLinkOfAReconciliation() {
        // Batch A's answer is lost; its reconciliation takes B's clone of the same pool for its own.
        var log = SendLog()
        log.append(Self.own(0))
        log.append(Self.own(50))
        log.merge([AccountClone(operationID: "op-b", time: LocalInstant(epochMilliseconds: Self.t0 + 60), source: "p1")]
        )
        log.attach(operationID: "op-b", send: Self.own(0), arrival: Self.t0 + 60)
        #expect(log.sends == [Self.t0 + 50, Self.t0 + 60])
        // B's own answer names op-b: A's send counts again, pending; B's send is op-b's double count.
        log.attach(operationID: "op-b", send: Self.own(50), arrival: Self.t0 + 60)
        #expect(log.sends == [Self.t0, Self.t0 + 60])
        #expect(log.pending == [Self.own(0)])
        #expect(log.links == ["op-b": Self.own(50)])
        // A's clone, committed late, is then linked by its own operation.
        log.attach(operationID: "op-a", send: Self.own(0), arrival: Self.t0 + 2000)
        #expect(log.sends == [Self.t0 + 60, Self.t0 + 2000])
    }

    @Test func aSecondOperationForALinkedSendKeepsTheFirstCounted() {
        var log = SendLog()
        log.append(Self.own(0))
        log.attach(operationID: "guess", send: Self.own(0), arrival: Self.t0 + 10)
        log.attach(operationID: "real", send: Self.own(0), arrival: Self.t0 + 20)
        #expect(log.sends == [Self.t0 + 10, Self.t0 + 20])
        #expect(log.links == ["real": Self.own(0)])
        #expect(Set(log.operations.keys) == ["guess", "real"])
    }

    @Test func theSameAnswerTwiceChangesNothingButALaterArrival() {
        var log = SendLog()
        log.append(Self.own(0))
        log.attach(operationID: "op", send: Self.own(0), arrival: Self.t0 + 10)
        let once = log
        log.attach(operationID: "op", send: Self.own(0), arrival: Self.t0 + 5)
        #expect(log == once)
        log.attach(operationID: "op", send: Self.own(0), arrival: Self.t0 + 30)
        #expect(log.sends == [Self.t0 + 30])
    }

    @Test func aSendOfAnOlderVersionIsLinkedButNeverDroppedAsADoubleCount() {
        var log = SendLog(sends: [Self.t0, Self.t0 + 5])
        log.attach(operationID: "op-1", send: Self.own(0), arrival: Self.t0 + 100)
        #expect(log.sends == [Self.t0 + 5, Self.t0 + 100])
        log.merge([AccountClone(operationID: "op-2", time: LocalInstant(epochMilliseconds: Self.t0 + 6))])
        log.attach(operationID: "op-2", send: Self.own(5), arrival: Self.t0 + 6)
        #expect(log.sends == [Self.t0 + 5, Self.t0 + 6, Self.t0 + 100])
    }

    @Test func pruningForgetsOperationsWithTheirSends() {
        var log = SendLog(
            sends: [Self.t0, Self.t0 + 5000, Self.t0 + 6000],
            operations: ["old": Self.t0, "new": Self.t0 + 5000],
            pending: [Self.own(6000)],
            links: ["old": Self.own(-10), "new": Self.own(4000)]
        )
        log.prune(now: Self.t0 + 4000, retention: 3000)
        #expect(log.sends == [Self.t0 + 5000, Self.t0 + 6000])
        #expect(log.operations == ["new": Self.t0 + 5000])
        #expect(log.links == ["new": Self.own(4000)])
        #expect(log.pending == [Self.own(6000)])
        log.prune(now: Self.t0 + 9000, retention: 3000)
        #expect(log.pending.isEmpty && log.links.isEmpty)
    }

    @Test func theStateFileKeepsOperationsPendingSendsAndLinks() throws {
        let log = SendLog(
            sends: [Self.t0, Self.t0, Self.t0 + 7],
            operations: ["a-1": Self.t0 + 7],
            pending: [Self.own(0, "0042"), OwnSend(intent: Self.t0, source: "t\"1", target: "training")],
            links: ["a-1": Self.own(3)]
        )
        let decoded = try FileLedgerStore.decode(FileLedgerStore.encode(log), path: "state.json")
        #expect(decoded == log)
    }

    @Test func aVersion2FileWithoutSourcesStillLoads() throws {
        let text = """
            {"format": "batch-clone-ledger", "version": 2, "generation": "00", "snapshot_lines": 2}
            {"add": ["2027-01-15T08:00:00.000Z"], "operations": {"op": "2027-01-15T08:00:00.000Z"}}
            {"add": ["2027-01-15T08:00:01.000Z"]}

            """
        let log = try FileLedgerStore.decode(Data(text.utf8), path: "state.json")
        #expect(log.sends.count == 2 && log.pending.isEmpty && log.links.isEmpty)
        #expect(log.unaccountedCount(at: log.sends[1]) == 1)
    }

    @Test func aMalformedOperationsFieldIsRefused() {
        let text = #"{"format": "batch-clone-ledger", "version": 1, "operations": {"a": "noon"}, "sends": []}"#
        #expect(throws: StorageError.self) { try FileLedgerStore.decode(Data(text.utf8), path: "state.json") }
    }
}
