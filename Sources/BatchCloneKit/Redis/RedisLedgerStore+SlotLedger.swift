extension RedisLedgerStore: SlotLedger {
    /// One atomic script on the server: prune, decide on Redis's clock, record. `now` is not used.
    public func takeSlot(_ ledger: RateLimitLedger, now: Int64) throws -> SlotDecision {
        var arguments = [String(ledger.retention), Self.randomMemberSuffix()]
        for limit in ledger.limits {
            arguments += [String(limit.limit.count), String(limit.span)]
        }
        let reply = try withConnection { connection in
            try connection.evaluate(
                RedisLedgerScripts.takeSlot,
                keys: [sendsKey, blockedKey, retentionKey],
                arguments: arguments
            )
        }
        guard case .array(let items?) = reply, items.count >= 2, let flag = items[0].int64, let value = items[1].int64
        else {
            throw protocolViolation("the slot script answered \(reply)")
        }
        return flag == 1 ? .granted(at: value) : .wait(.milliseconds(max(1, value)))
    }

    public func block(for duration: Duration, now: Int64) throws {
        let milliseconds = max(1, duration.millisecondsRoundedUp)
        _ = try withConnection { connection in
            try connection.evaluate(RedisLedgerScripts.block, keys: [blockedKey], arguments: [String(milliseconds)])
        }
    }

    public func snapshot(now: Int64) throws -> (log: SendLog, now: Int64) {
        let reply = try withConnection { connection in
            try connection.evaluate(RedisLedgerScripts.snapshot, keys: [sendsKey, blockedKey], arguments: [])
        }
        guard case .array(let items?) = reply, items.count == 3, let redisNow = items[0].int64,
            case .array(let pairs?) = items[2]
        else {
            throw protocolViolation("the snapshot script answered \(reply)")
        }
        return (SendLog(sends: try scores(pairs), blockedUntil: items[1].int64), redisNow)
    }

    /// Short enough that a run waiting for a far slot notices a dead Redis within 5 s.
    public var heartbeat: Duration? { .seconds(2) }

    public func attach(operationID: String, intent: Int64, arrival: Int64?, now: Int64) throws {
        let arguments = [String(now), operationID, String(intent), arrival.map(String.init) ?? ""]
        _ = try withConnection { connection in
            try connection.evaluate(RedisLedgerScripts.attach, keys: [sendsKey], arguments: arguments)
        }
    }

    /// Clones are counted by operation ID across every machine; an own send whose answer was lost
    /// is not claimed here (it counts twice until reconciled: the safe side).
    public func merge(_ clones: [AccountClone], claimBefore: Int64, claimAfter: Int64, now: Int64) throws -> Int {
        guard !clones.isEmpty else { return 0 }
        var arguments = [String(now)]
        for clone in clones { arguments += [clone.operationID, String(clone.time)] }
        let reply = try withConnection { connection in
            try connection.evaluate(RedisLedgerScripts.merge, keys: [sendsKey], arguments: arguments)
        }
        guard let added = reply.int64 else { throw protocolViolation("the merge script answered \(reply)") }
        return Int(added)
    }

    /// The scores of a `ZRANGE ... WITHSCORES` reply (member, score, member, score...).
    func scores(_ pairs: [RESPValue]) throws -> [Int64] {
        guard pairs.count % 2 == 0 else { throw protocolViolation("ZRANGE WITHSCORES answered an odd list") }
        return try stride(from: 1, to: pairs.count, by: 2).map { index in
            guard let text = pairs[index].text, let score = Double(text) else {
                throw protocolViolation("a score in \(sendsKey) is not a number")
            }
            return Int64(score)
        }
    }
}
