import BatchCloneTestSupport
import Foundation
import Synchronization
import Testing

@testable import BatchCloneKit

/// The Redis store against a real `redis-server` on loopback.
@Suite(.serialized) struct RedisLedgerStoreTests {
    private func store(_ server: RedisServer, prefix: String = "batch-clone:test") throws -> RedisLedgerStore {
        RedisLedgerStore(url: try RedisURL(parsing: server.url), keyPrefix: prefix)
    }

    @Test func concurrentClientsNeverGetNPlusOneSlotsInAWindow() async throws {
        let server = try RedisServer.start()
        defer { server.stop() }
        let ledger = RateLimitLedger(
            limits: [RateLimit(count: 5, window: .milliseconds(300)), RateLimit(count: 12, window: .seconds(1))],
            margin: .milliseconds(20)
        )
        let clients = try (0..<6).map { _ in try store(server) }
        // Until 30 grants in all (about 2.5 s at 12 per 1.02 s), whatever the machine's load; bounded.
        let target = 30
        let granted = GrantCount()
        let deadline = ContinuousClock.now + .seconds(60)
        let grants = try await withThrowingTaskGroup(of: [Int64].self) { group in
            for client in clients {
                group.addTask {
                    var mine: [Int64] = []
                    while granted.value < target && ContinuousClock.now < deadline {
                        switch try client.takeSlot(ledger.policy, source: "p", now: 0) {
                        case .granted(let at):
                            mine.append(at.epochMilliseconds)
                            granted.increment()
                        case .wait(let duration): try await Task.sleep(for: min(duration, .milliseconds(50)))
                        }
                    }
                    return mine
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        let (log, now) = try clients[0].snapshot(now: 0)
        #expect(log.sends == grants.sorted(), "every grant is recorded, nothing else is")
        for limit in ledger.limits {
            let violations = LimitChecks.violations(log.sends, count: limit.limit.count, span: limit.span)
            #expect(violations.isEmpty, "\(limit.limit): \(violations)")
        }
        #expect(grants.count >= target, "only \(grants.count) grants before the deadline")
        #expect(abs(now - Int64(Date().timeIntervalSince1970 * 1000)) < 1000, "snapshot time is Redis's clock")
    }

    @Test func aWaitIsTheExactTimeToTheNextSlot() throws {
        let server = try RedisServer.start()
        defer { server.stop() }
        let client = try store(server)
        let ledger = RateLimitLedger(limits: [RateLimit(count: 2, window: .seconds(10))], margin: .zero)
        guard case .granted(let first) = try client.takeSlot(ledger.policy, source: "p", now: 0) else {
            Issue.record("the first slot of an empty ledger is free")
            return
        }
        guard case .granted = try client.takeSlot(ledger.policy, source: "p", now: 0) else {
            Issue.record("the second slot is free")
            return
        }
        guard case .wait(let wait) = try client.takeSlot(ledger.policy, source: "p", now: 0),
            case let (_, now) = try client.snapshot(now: 0)
        else {
            Issue.record("the third send must wait")
            return
        }
        let expected = first.epochMilliseconds + 10_000 - now
        #expect(abs(wait.millisecondsRoundedUp - expected) <= 50, "waits \(wait), expected about \(expected) ms")
        #expect(try client.snapshot(now: 0).log.sends.count == 2)
    }

    @Test func aBlockHoldsEveryClientAndOnlyGrows() throws {
        let server = try RedisServer.start()
        defer { server.stop() }
        let (a, b) = (try store(server), try store(server))
        let ledger = RateLimitLedger(limits: [RateLimit(count: 100, window: .seconds(1))])
        try a.block(for: .seconds(3), now: 0)
        try b.block(for: .seconds(1), now: 0)
        guard case .wait(let wait) = try b.takeSlot(ledger.policy, source: "p", now: 0) else {
            Issue.record("a blocked ledger grants nothing")
            return
        }
        #expect(wait > .milliseconds(2800) && wait <= .seconds(3))
        let (log, now) = try b.snapshot(now: 0)
        #expect(log.sends.isEmpty)
        #expect(log.blockedUntil.map { $0 - now } ?? 0 > 2800)
    }

    @Test func theLongestDeclaredRetentionWins() throws {
        let server = try RedisServer.start()
        defer { server.stop() }
        let client = try store(server, prefix: "batch-clone:toloka.dev")
        let long = RateLimitLedger(limits: [RateLimit(count: 1, window: .seconds(200_000))], margin: .zero)
        let short = RateLimitLedger(
            limits: [RateLimit(count: 1, window: .seconds(1))],
            margin: .zero,
            minimumRetention: .zero
        )
        _ = try client.takeSlot(long.policy, source: "p", now: 0)
        _ = try client.takeSlot(short.policy, source: "p", now: 0)
        let raw = try RedisConnection.open(
            try RedisURL(parsing: server.url),
            connectTimeout: .seconds(1),
            ioTimeout: .seconds(1)
        )
        #expect(try raw.call(["GET", "batch-clone:toloka.dev:retention"]).int64 == 200_000_000)
        #expect(try raw.call(["ZCARD", "batch-clone:toloka.dev:sends"]) == .integer(1), "the short run pruned nothing")
        #expect(try raw.call(["TYPE", "batch-clone:toloka.dev:sends"]) == .simpleString("zset"))
        guard case .array(let members?) = try raw.call(["ZRANGE", "batch-clone:toloka.dev:sends", "0", "-1"]),
            let member = members.first?.text
        else { return }
        #expect(member.wholeMatch(of: /p:[0-9a-f]+:pool:p/) != nil, "member \(member) is p:<hex>:<target>:<source>")
    }

    @Test func aDeadServerIsReportedFastAndRedacted() throws {
        let server = try RedisServer.start(password: "topsecret")
        let client = try store(server)
        let ledger = RateLimitLedger(limits: [RateLimit(count: 1, window: .seconds(1))])
        _ = try client.takeSlot(ledger.policy, source: "p", now: 0)
        server.stop()
        let started = ContinuousClock.now
        #expect {
            _ = try client.takeSlot(ledger.policy, source: "p", now: 0)
        } throws: { error in
            guard case .unreachable = error as? RedisError else { return false }
            return "\(error)".contains("redis://:***@127.0.0.1") && !"\(error)".contains("topsecret")
        }
        #expect(ContinuousClock.now - started < .seconds(5))
    }

    @Test func aWrongPasswordIsRefusedWithoutPrintingIt() throws {
        let server = try RedisServer.start(password: "right")
        defer { server.stop() }
        let client = RedisLedgerStore(
            url: try RedisURL(parsing: "redis://:wrongpass@127.0.0.1:\(server.port)"),
            keyPrefix: "p"
        )
        #expect {
            _ = try client.snapshot(now: 0)
        } throws: { error in
            guard case .authenticationFailed = error as? RedisError else { return false }
            return !"\(error)".contains("wrongpass")
        }
        #expect(try store(server).snapshot(now: 0).log == SendLog())
    }

    @Test func connectsToIPv6LoopbackAndSelectsTheDatabase() throws {
        let server = try RedisServer.start()
        defer { server.stop() }
        // The server binds 127.0.0.1 only: "localhost" may resolve to ::1 first, and the next address must be tried.
        let client = RedisLedgerStore(url: try RedisURL(parsing: "redis://localhost:\(server.port)/4"), keyPrefix: "p")
        _ = try client.takeSlot(
            RateLimitPolicy(limits: [RateLimit(count: 1, window: .seconds(1))]),
            source: "p",
            now: 0
        )
        let raw = try RedisConnection.open(
            try RedisURL(parsing: server.url + "/4"),
            connectTimeout: .seconds(1),
            ioTimeout: .seconds(1)
        )
        #expect(try raw.call(["ZCARD", "p:sends"]) == .integer(1))
        let zero = try RedisConnection.open(
            try RedisURL(parsing: server.url),
            connectTimeout: .seconds(1),
            ioTimeout: .seconds(1)
        )
        #expect(try zero.call(["ZCARD", "p:sends"]) == .integer(0))
    }

    /// Members of older versions (`<ms>-<hex>`, no source) are linked to a new operation, never
    /// dropped as a double count: the same rule as `SendLog.attach`.
    @Test func aMemberOfAnOlderVersionIsLinkedButNeverDropped() throws {
        let server = try RedisServer.start()
        defer { server.stop() }
        let client = try store(server)
        let raw = try RedisConnection.open(
            try RedisURL(parsing: server.url),
            connectTimeout: .seconds(1),
            ioTimeout: .seconds(1)
        )
        let t0 = Date().epochMilliseconds
        _ = try raw.call(["ZADD", "batch-clone:test:sends", String(t0), "\(t0)-abc", String(t0 + 5), "\(t0 + 5)-def"])
        try client.attach(operationID: "op-1", send: OwnSend(intent: t0, source: "1"), arrival: nil, now: t0)
        _ = try client.merge(
            [AccountClone(operationID: "op-2", time: LocalInstant(epochMilliseconds: t0 + 6))],
            now: t0
        )
        try client.attach(operationID: "op-2", send: OwnSend(intent: t0 + 5, source: "2"), arrival: nil, now: t0)
        let log = try client.snapshot(now: t0).log
        #expect(log.sends.count == 3)
        #expect(Set(log.operations.keys) == ["op-1", "op-2"])
        #expect(log.operations["op-1"] == t0)
        #expect(log.pending.isEmpty)
    }
}

/// Grants counted across the clients of one test.
private final class GrantCount: Sendable {
    private let count = Mutex(0)
    var value: Int { count.withLock { $0 } }
    func increment() { count.withLock { $0 += 1 } }

}
