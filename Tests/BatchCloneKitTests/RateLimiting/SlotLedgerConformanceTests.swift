import BatchCloneTestSupport
import Foundation
import Testing

@testable import BatchCloneKit

/// The `SlotLedger` contract, the same cases against every store: in memory, a state file, and a
/// real `redis-server` (which must be installed: the Redis case fails, never skips, without it).
@Suite(.serialized) struct SlotLedgerConformanceTests {
    enum Kind: String, CaseIterable, CustomTestStringConvertible {
        case inMemory, file, redis
        var testDescription: String { rawValue }
    }

    /// Runs `body` on a fresh store of `kind`, with our clock's now (Redis decides on its own, close to it).
    private func withStore(_ kind: Kind, _ body: (any SlotLedger, Int64) throws -> Void) throws {
        let now = Date().epochMilliseconds
        switch kind {
        case .inMemory:
            try body(InMemoryLedgerStore(), now)
        case .file:
            try TempFolder.with { folder in try body(FileLedgerStore(path: folder.file("state.json")), now) }
        case .redis:
            let server = try RedisServer.start()
            defer { server.stop() }
            try body(RedisLedgerStore(url: try RedisURL(parsing: server.url), keyPrefix: "conformance"), now)
        }
    }

    /// Runs `body` on two stores of `kind` sharing one file or namespace: the pools' and the trainings'.
    private func withTargets(_ kind: Kind, _ body: (any SlotLedger, any SlotLedger, Int64) throws -> Void) throws {
        try withLogs([.clones(of: .pool), .clones(of: .training)], kind) { stores, now in
            try body(stores[0], stores[1], now)
        }
    }

    /// Runs `body` on a store of each of `logs`, all of `kind` sharing one file or namespace.
    private func withLogs(_ logs: [LedgerLog], _ kind: Kind, _ body: ([any SlotLedger], Int64) throws -> Void) throws {
        let now = Date().epochMilliseconds
        switch kind {
        case .inMemory:
            try body(logs.map { InMemoryLedgerStore(ledgerLog: $0) }, now)
        case .file:
            try TempFolder.with { folder in
                let path = folder.file("state.json")
                try body(logs.map { FileLedgerStore(path: path, log: $0) }, now)
            }
        case .redis:
            let server = try RedisServer.start()
            defer { server.stop() }
            let url = try RedisURL(parsing: server.url)
            try body(logs.map { RedisLedgerStore(url: url, keyPrefix: "conformance", log: $0) }, now)
        }
    }

    private static let ledger = RateLimitLedger(
        limits: [RateLimit(count: 3, window: .seconds(10))],
        margin: .milliseconds(100)
    )

    /// Takes a slot that must be granted; its own send as the store recorded it.
    private func grant(_ store: any SlotLedger, _ source: String, now: Int64) throws -> OwnSend {
        guard case .granted(let at) = try store.takeSlot(Self.ledger.policy, source: source, now: now) else {
            Issue.record("a slot for \(source) was refused with room in every window")
            return OwnSend(intent: now, source: source)
        }
        return OwnSend(intent: at.epochMilliseconds, source: source)
    }

    /// Issue 21: pool and training clones have their own limits, so a full pool window and a pool
    /// block leave training slots free, and a listing of one target's clones never counts in the other's.
    @Test(arguments: Kind.allCases) func eachTargetHasItsOwnLog(kind: Kind) throws {
        try withTargets(kind) { pools, trainings, now in
            for source in ["1", "2", "3"] { _ = try grant(pools, source, now: now) }
            try pools.block(for: .seconds(60), now: now)
            guard case .granted(let at) = try trainings.takeSlot(Self.ledger.policy, source: "1", now: now) else {
                Issue.record("a training clone waited for the pools' window")
                return
            }
            let trainingLog = try trainings.snapshot(now: now).log
            #expect(trainingLog.sends == [at.epochMilliseconds])
            #expect(trainingLog.pending == [OwnSend(intent: at, source: "1", target: "training")])
            #expect(trainingLog.blockedUntil == nil)
            let counted = try pools.merge(
                [AccountClone(operationID: "t-1", time: LocalInstant(epochMilliseconds: now), target: "training")],
                now: now
            )
            #expect(counted == 0)
            let poolLog = try pools.snapshot(now: now).log
            #expect(poolLog.sends.count == 3)
            #expect(poolLog.pending.allSatisfy { $0.target == "pool" })
            #expect(poolLog.blockedUntil != nil)
        }
    }

    /// Issue 21: overlap edits are limited apart from clones, so full clone windows leave overlap
    /// slots free, a full overlap window leaves clone slots free, and no listed clone counts in it.
    @Test(arguments: Kind.allCases) func overlapEditsHaveTheirOwnLog(kind: Kind) throws {
        try withLogs([.clones(of: .pool), .clones(of: .training), .overlapEdits], kind) { stores, now in
            let (pools, trainings, overlaps) = (stores[0], stores[1], stores[2])
            for source in ["1", "2", "3"] { _ = try grant(pools, source, now: now) }
            try pools.block(for: .seconds(60), now: now)
            var edits: [OwnSend] = []
            for newID in ["n1", "n2", "n3"] { edits.append(try grant(overlaps, newID, now: now)) }
            guard case .wait = try overlaps.takeSlot(Self.ledger.policy, source: "n4", now: now) else {
                Issue.record("a fourth overlap edit in a window of three was granted")
                return
            }
            _ = try grant(trainings, "1", now: now)
            let counted = try overlaps.merge(
                [AccountClone(operationID: "p-1", time: LocalInstant(epochMilliseconds: now), target: "pool")],
                now: now
            )
            #expect(counted == 0)
            let overlapLog = try overlaps.snapshot(now: now).log
            #expect(overlapLog.sends == edits.map(\.intentMilliseconds))
            #expect(overlapLog.pending.map(\.source) == ["n1", "n2", "n3"])
            #expect(overlapLog.pending.allSatisfy { $0.target == "overlap-edit" })
            #expect(overlapLog.blockedUntil == nil && overlapLog.operations.isEmpty)
            let poolLog = try pools.snapshot(now: now).log
            #expect(poolLog.sends.count == 3 && poolLog.pending.allSatisfy { $0.target == "pool" })
            #expect(try trainings.snapshot(now: now).log.sends.count == 1)
        }
    }

    @Test(arguments: Kind.allCases) func aGrantIsCountedAtOnceAsAPendingOwnSend(kind: Kind) throws {
        try withStore(kind) { store, now in
            let send = try grant(store, "7", now: now)
            let log = try store.snapshot(now: now).log
            #expect(log.sends == [send.intentMilliseconds])
            #expect(log.pending == [send])
            #expect(log.operations.isEmpty)
        }
    }

    @Test(arguments: Kind.allCases) func theLimitsHoldAndABlockHoldsEveryRun(kind: Kind) throws {
        try withStore(kind) { store, now in
            for source in ["1", "2", "3"] { _ = try grant(store, source, now: now) }
            guard case .wait(let wait) = try store.takeSlot(Self.ledger.policy, source: "4", now: now) else {
                Issue.record("a fourth send in a window of three was granted")
                return
            }
            #expect(wait > .seconds(9) && wait <= .milliseconds(10_100))
            try store.block(for: .seconds(60), now: now)
            guard case .wait(let blocked) = try store.takeSlot(Self.ledger.policy, source: "4", now: now) else {
                Issue.record("a send was granted while blocked")
                return
            }
            #expect(blocked > .seconds(59))
            #expect(try store.snapshot(now: now).log.sends.count == 3)
        }
    }

    /// Issue 20: X's answer lost, Y's pending, a listing shows X's clone. Never fewer than two.
    @Test(arguments: Kind.allCases) func aListingOfOnePoolNeverTakesAnotherPoolsSend(kind: Kind) throws {
        try withStore(kind) { store, now in
            let x = try grant(store, "100", now: now)
            let y = try grant(store, "200", now: now)
            let foreign = try store.merge(
                [AccountClone(operationID: "op-x", time: LocalInstant(epochMilliseconds: now + 100), source: "100")],
                now: now
            )
            #expect(foreign == 0, "a pending send of pool 100 may be this clone")
            #expect(try store.snapshot(now: now).log.sends.count == 3)
            try store.attach(operationID: "op-y", send: y, arrival: nil, now: now)
            #expect(try store.snapshot(now: now).log.sends.count == 3)
            try store.attach(operationID: "op-x", send: x, arrival: now + 100, now: now)
            let log = try store.snapshot(now: now).log
            #expect(log.sends.count == 2)
            #expect(Set(log.operations.keys) == ["op-x", "op-y"])
            #expect(log.pending.isEmpty)
        }
    }

    @Test(arguments: Kind.allCases) func aListingCountsEveryUnknownCloneAndReportsThoseOfOtherSources(kind: Kind)
        throws
    {
        try withStore(kind) { store, now in
            _ = try grant(store, "1", now: now)
            let clones = [
                AccountClone(operationID: "a", time: LocalInstant(epochMilliseconds: now - 500), source: "1"),
                AccountClone(operationID: "b", time: LocalInstant(epochMilliseconds: now - 400), source: "9"),
                AccountClone(operationID: "c", time: LocalInstant(epochMilliseconds: now - 300)),
            ]
            #expect(try store.merge(clones, now: now) == 2)
            #expect(try store.merge(clones, now: now) == 0)
            let log = try store.snapshot(now: now).log
            #expect(log.sends.count == 4)
            #expect(log.pending.count == 1)
        }
    }

    /// Two batches clone one pool; A's answer is lost and its reconciliation takes B's clone.
    @Test(arguments: Kind.allCases) func anAnswerNamingAnotherOperationUndoesTheLink(kind: Kind) throws {
        try withStore(kind) { store, now in
            let a = try grant(store, "5", now: now)
            let b = try grant(store, "5", now: now)
            _ = try store.merge(
                [AccountClone(operationID: "op-b", time: LocalInstant(epochMilliseconds: now + 50), source: "5")],
                now: now
            )
            try store.attach(operationID: "op-b", send: a, arrival: now + 50, now: now)
            #expect(try store.snapshot(now: now).log.sends.count == 2)
            try store.attach(operationID: "op-b", send: b, arrival: now + 50, now: now)
            var log = try store.snapshot(now: now).log
            #expect(log.sends.count == 2)
            #expect(log.pending.map(\.source) == ["5"])
            #expect(log.links["op-b"]?.source == "5")
            try store.attach(operationID: "op-a", send: log.pending[0], arrival: now + 2000, now: now)
            log = try store.snapshot(now: now).log
            #expect(log.sends.count == 2)
            #expect(log.pending.isEmpty)
            #expect(Set(log.operations.keys) == ["op-a", "op-b"])
        }
    }

    @Test(arguments: Kind.allCases) func anAnswerMovesItsSendToALaterArrivalAndTwiceChangesNothing(kind: Kind) throws {
        try withStore(kind) { store, now in
            let send = try grant(store, "3", now: now)
            try store.attach(operationID: "op", send: send, arrival: now + 5000, now: now)
            let once = try store.snapshot(now: now).log
            // Redis converts our clock to its own: within the few milliseconds between the calls.
            #expect(once.operations["op"].map { abs($0 - (send.intentMilliseconds + 5000)) < 1000 } == true)
            #expect(once.sends.count == 1 && once.pending.isEmpty)
            try store.attach(operationID: "op", send: send, arrival: now + 10, now: now)
            #expect(try store.snapshot(now: now).log.sends == once.sends)
        }
    }
}
