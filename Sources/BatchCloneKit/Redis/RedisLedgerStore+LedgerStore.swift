extension RedisLedgerStore: LedgerStore {
    /// Optimistic read-modify-write (WATCH/MULTI/EXEC) for runs that still use `LedgerStore`.
    ///
    /// `body` may run more than once (when another process wrote in between). It sees the log on the
    /// local clock's timeline (Redis times shifted by the offset measured now), so a machine whose clock
    /// is off still paces right. Only added sends and a later `blocked_until` are written; pruning is
    /// left to the atomic `takeSlot` script, which is the path to use.
    public func update<T>(_ body: (inout SendLog) throws -> T) throws -> T {
        try withConnection { connection in
            while true {
                _ = try connection.call(["WATCH", sendsKey, blockedKey])
                let localNow = clock.now.epochMilliseconds
                let time = try connection.call(["TIME"])
                guard case .array(let parts?) = time, parts.count == 2, let seconds = parts[0].int64,
                    let micros = parts[1].int64
                else { throw protocolViolation("TIME answered \(time)") }
                let redisNow = seconds * 1000 + micros / 1000
                let offset = localNow - redisNow
                guard case .array(let pairs?) = try connection.call(["ZRANGE", sendsKey, "0", "-1", "WITHSCORES"])
                else {
                    throw protocolViolation("ZRANGE did not answer a list")
                }
                let blocked = try connection.call(["GET", blockedKey]).int64
                let original = SendLog(
                    sends: try scores(pairs).map { $0 + offset },
                    blockedUntil: blocked.map { $0 + offset }
                )
                var log = original
                let result = try body(&log)
                let added = Self.added(to: original.sends, in: log.sends)
                let newBlock = log.blockedUntil.flatMap { $0 > (original.blockedUntil ?? .min) ? $0 - offset : nil }
                if added.isEmpty && newBlock == nil {
                    _ = try connection.call(["UNWATCH"])
                    return result
                }
                let retention = max(Self.minimumRetention, try connection.call(["GET", retentionKey]).int64 ?? 0)
                _ = try connection.call(["MULTI"])
                for time in added {
                    let score = String(time - offset)
                    _ = try connection.call(["ZADD", sendsKey, score, score + "-" + Self.randomMemberSuffix()])
                }
                if let newBlock, newBlock > redisNow {
                    _ = try connection.call(["SET", blockedKey, String(newBlock), "PX", String(newBlock - redisNow)])
                }
                _ = try connection.call(["ZREMRANGEBYSCORE", sendsKey, "-inf", String(redisNow - retention)])
                _ = try connection.call(["PEXPIRE", sendsKey, String(retention)])
                if case .array(nil) = try connection.call(["EXEC"]) { continue }
                return result
            }
        }
    }

    /// What this path keeps at least: the file store's default (a day and a second).
    static let minimumRetention: Int64 = 86_401_000

    /// The elements of `new` (sorted) beyond those of `old` (sorted), counting repeats.
    static func added(to old: [Int64], in new: [Int64]) -> [Int64] {
        var remaining: [Int64: Int] = [:]
        for time in old { remaining[time, default: 0] += 1 }
        var result: [Int64] = []
        for time in new {
            if let count = remaining[time], count > 0 {
                remaining[time] = count - 1
            } else {
                result.append(time)
            }
        }
        return result
    }
}
