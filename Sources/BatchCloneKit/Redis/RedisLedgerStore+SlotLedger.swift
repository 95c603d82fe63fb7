extension RedisLedgerStore: SlotLedger {
    /// One atomic script on the server: prune, decide on Redis's clock, record. `now` is not used.
    public func takeSlot(_ policy: RateLimitPolicy, source: String, now: LocalInstant) throws -> SlotDecision {
        var arguments = [String(policy.retention), Self.randomMemberSuffix(), ledgerLog.name, source]
        for limit in policy.limits {
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
        return flag == 1 ? .granted(at: LedgerInstant(epochMilliseconds: value)) : .wait(.milliseconds(max(1, value)))
    }

    public func block(for duration: Duration, now: LocalInstant) throws {
        let milliseconds = max(1, duration.millisecondsRoundedUp)
        _ = try withConnection { connection in
            try connection.evaluate(RedisLedgerScripts.block, keys: [blockedKey], arguments: [String(milliseconds)])
        }
    }

    /// The whole log on Redis's clock: sends, operations, pending own sends, links and retention.
    public func snapshot(now: LocalInstant) throws -> (log: SendLog, now: LedgerInstant) {
        let reply = try withConnection { connection in
            try connection.evaluate(
                RedisLedgerScripts.snapshot,
                keys: [sendsKey, blockedKey, linksKey, retentionKey],
                arguments: []
            )
        }
        guard case .array(let items?) = reply, items.count == 5, let redisNow = items[0].int64,
            case .array(let pairs?) = items[2], case .array(let linkPairs?) = items[3]
        else {
            throw protocolViolation("the snapshot script answered \(reply)")
        }
        let log = try log(members: pairs, links: linkPairs, blocked: items[1].int64, retention: items[4].int64)
        return (log, LedgerInstant(epochMilliseconds: redisNow))
    }

    /// Short enough that a run waiting for a far slot notices a dead Redis within 5 s.
    public var heartbeat: Duration? { .seconds(2) }

    public func attach(operationID: String, send: OwnSend, arrival: LocalInstant?, now: LocalInstant) throws {
        // `now` and `arrival` stay on our clock: the script moves `arrival` to Redis's clock by its
        // `TIME` minus our `now`.
        let arguments = [
            String(now.epochMilliseconds), operationID, String(send.intentMilliseconds),
            arrival.map { String($0.epochMilliseconds) } ?? "", send.target, send.source,
            Self.randomMemberSuffix(),
        ]
        _ = try withConnection { connection in
            try connection.evaluate(
                RedisLedgerScripts.attach,
                keys: [sendsKey, linksKey, retentionKey],
                arguments: arguments
            )
        }
    }

    /// Clones are counted by operation ID across every machine, never in an own send's place (the
    /// same rule as `SendLog.merge`).
    public func merge(_ clones: [AccountClone], now: LocalInstant) throws -> Int {
        // Another target's clones are limited apart: they are not this log's to count.
        let clones = clones.filter { $0.target == ledgerLog.name }
        guard !clones.isEmpty else { return 0 }
        // `now` and the listing's times stay on our clock: the script moves them to Redis's clock by its
        // `TIME` minus our `now`.
        var arguments = [String(now.epochMilliseconds)]
        let ordered = clones.sorted { ($0.time, $0.operationID) < ($1.time, $1.operationID) }
        for clone in ordered {
            arguments += [clone.operationID, String(clone.time.epochMilliseconds), clone.sourceKey ?? ""]
        }
        let reply = try withConnection { connection in
            try connection.evaluate(RedisLedgerScripts.merge, keys: [sendsKey, linksKey], arguments: arguments)
        }
        guard let added = reply.int64 else { throw protocolViolation("the merge script answered \(reply)") }
        return Int(added)
    }

    /// The log of a `ZRANGE ... WITHSCORES` reply (member, score...) and an `HGETALL` of the links.
    func log(members pairs: [RESPValue], links linkPairs: [RESPValue], blocked: Int64?, retention: Int64?) throws
        -> SendLog
    {
        guard pairs.count % 2 == 0, linkPairs.count % 2 == 0 else {
            throw protocolViolation("ZRANGE WITHSCORES or HGETALL answered an odd list")
        }
        var sends: [Int64] = []
        var operations: [String: Int64] = [:]
        var pending: [OwnSend] = []
        for index in stride(from: 0, to: pairs.count, by: 2) {
            guard let member = pairs[index].text, let text = pairs[index + 1].text, let score = Double(text) else {
                throw protocolViolation("a member or score in \(sendsKey) is not text and a number")
            }
            let time = Int64(score)
            sends.append(time)
            if member.hasPrefix("op:") {
                operations[String(member.dropFirst(3))] = time
            } else if member.hasPrefix("p:"), let (target, source) = Self.targetAndSource(member.dropFirst(2), skip: 1)
            {
                pending.append(OwnSend(intent: time, source: source, target: target))
            }
        }
        var links: [String: OwnSend] = [:]
        for index in stride(from: 0, to: linkPairs.count, by: 2) {
            guard let id = linkPairs[index].text, let value = linkPairs[index + 1].text,
                let colon = value.firstIndex(of: ":"), let intent = Int64(value[..<colon]),
                let (target, source) = Self.targetAndSource(value[value.index(after: colon)...], skip: 0)
            else {
                throw protocolViolation("a link in \(linksKey) is not <intent>:<target>:<source>")
            }
            links[id] = OwnSend(intent: intent, source: source, target: target)
        }
        let retention = retention.map { ($0 + 999) / 1000 * 1000 }
        return SendLog(
            sends: sends,
            blockedUntil: blocked,
            retention: retention,
            operations: operations,
            pending: pending,
            links: links
        )
    }

    /// `<target>:<source>` after `skip` colon-separated fields (the member suffix).
    static func targetAndSource(_ text: Substring, skip: Int) -> (target: String, source: String)? {
        let parts = text.split(separator: ":", maxSplits: skip + 1, omittingEmptySubsequences: false)
        guard parts.count == skip + 2 else { return nil }
        return (String(parts[skip]), String(parts[skip + 1]))
    }
}
