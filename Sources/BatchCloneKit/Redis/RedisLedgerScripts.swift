/// The Lua scripts of `RedisLedgerStore`: each runs atomically on the server, on Redis's own clock.
enum RedisLedgerScripts {
    /// Lets scripts write after `TIME` on Redis before 5 (effects replication); a no-op after.
    private static let prelude = """
        if redis.replicate_commands then redis.replicate_commands() end
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        local function ms(x) return string.format('%.0f', x) end

        """

    /// KEYS: sends, blocked_until, retention. ARGV: retention ms, member suffix, target, source, then
    /// count and span (ms) of each limit. Returns {1, now} with the send recorded as a pending own send
    /// (member `p:<suffix>:<target>:<source>`), or {0, wait ms, now}.
    static let takeSlot =
        prelude + """
            local retention = tonumber(ARGV[1])
            local stored = tonumber(redis.call('GET', KEYS[3]) or '0') or 0
            if stored > retention then retention = stored else redis.call('SET', KEYS[3], ms(retention)) end
            redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ms(now - retention))
            local earliest = now
            local newest = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
            if newest[2] then earliest = math.max(earliest, tonumber(newest[2])) end
            local blocked = tonumber(redis.call('GET', KEYS[2]) or '0') or 0
            earliest = math.max(earliest, blocked)
            for i = 5, #ARGV, 2 do
              local count = tonumber(ARGV[i])
              local span = tonumber(ARGV[i + 1])
              local nth = redis.call('ZREVRANGE', KEYS[1], count - 1, count - 1, 'WITHSCORES')
              if nth[2] then earliest = math.max(earliest, tonumber(nth[2]) + span) end
            end
            if earliest <= now then
              redis.call('ZADD', KEYS[1], ms(now), 'p:' .. ARGV[2] .. ':' .. ARGV[3] .. ':' .. ARGV[4])
              redis.call('PEXPIRE', KEYS[1], ms(retention))
              return {1, ms(now)}
            end
            return {0, ms(earliest - now), ms(now)}
            """

    /// KEYS: blocked_until. ARGV: duration ms. Sets max(existing, now + duration); returns it.
    static let block =
        prelude + """
            local target = now + tonumber(ARGV[1])
            local old = tonumber(redis.call('GET', KEYS[1]) or '0') or 0
            if target > old then
              redis.call('SET', KEYS[1], ms(target), 'PX', ARGV[1])
              return ms(target)
            end
            return ms(old)
            """

    /// KEYS: sends, blocked_until, links, retention.
    /// Returns {now, blocked_until or '', {member, score, ...}, {operation ID, link, ...}, retention or ''}.
    static let snapshot =
        prelude + """
            local blocked = redis.call('GET', KEYS[2]) or ''
            local retention = redis.call('GET', KEYS[4]) or ''
            return {ms(now), blocked, redis.call('ZRANGE', KEYS[1], 0, -1, 'WITHSCORES'),
              redis.call('HGETALL', KEYS[3]), retention}
            """

    /// KEYS: sends, links, retention. ARGV: our clock's now, operation ID, intent (Redis time), arrival
    /// (our clock, or ''), target, source, member suffix.
    ///
    /// `SendLog.attach` on the sorted set: the pending own member `p:*:<target>:<source>` at the intent
    /// becomes the operation (member `op:<id>`, moved to the arrival when later) and the links hash
    /// remembers it (`<id>` -> `<intent>:<target>:<source>`); an operation counted already drops the
    /// pending member as a double count; a link the answer contradicts is undone (its own send pending
    /// again); a member of an older version (`<ms>-<hex>`) is linked only to an operation not counted yet.
    static let attach =
        prelude + """
            local offset = now - tonumber(ARGV[1])
            local id = ARGV[2]
            local member = 'op:' .. id
            local intent = tonumber(ARGV[3])
            local tail = ARGV[5] .. ':' .. ARGV[6]
            local key = ARGV[3] .. ':' .. tail
            local answered = intent
            if ARGV[4] ~= '' then answered = math.max(intent, tonumber(ARGV[4]) + offset) end
            local restored = 0
            local function restore(link)
              local colon = string.find(link, ':', 1, true)
              restored = restored + 1
              redis.call('ZADD', KEYS[1], string.sub(link, 1, colon - 1),
                'p:' .. ARGV[7] .. string.format('%x', restored) .. ':' .. string.sub(link, colon + 1))
            end
            local function pendingMember()
              for _, m in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], ARGV[3], ARGV[3])) do
                if string.match(m, '^p:[0-9a-f]+:(.*)$') == tail then return m end
              end
              return nil
            end
            local function keep()
              local retention = redis.call('GET', KEYS[3])
              if retention then redis.call('PEXPIRE', KEYS[2], retention) end
            end
            local counted = redis.call('ZSCORE', KEYS[1], member)
            if redis.call('HGET', KEYS[2], id) == key then
              if counted and answered > tonumber(counted) then redis.call('ZADD', KEYS[1], ms(answered), member) end
              return 0
            end
            local mine = pendingMember()
            if mine == nil then
              local links = redis.call('HGETALL', KEYS[2])
              for i = 1, #links, 2 do
                if links[i + 1] == key and links[i] ~= id then
                  redis.call('HDEL', KEYS[2], links[i])
                  restore(key)
                  mine = pendingMember()
                  break
                end
              end
            end
            if mine == nil then
              if counted then return 0 end
              for _, m in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], ARGV[3], ARGV[3])) do
                if string.sub(m, 1, 2) ~= 'p:' and string.sub(m, 1, 3) ~= 'op:' then
                  redis.call('ZREM', KEYS[1], m)
                  redis.call('ZADD', KEYS[1], ms(answered), member)
                  return 1
                end
              end
              return 0
            end
            redis.call('ZREM', KEYS[1], mine)
            if counted then
              local previous = redis.call('HGET', KEYS[2], id)
              if previous then restore(previous) end
              redis.call('ZADD', KEYS[1], ms(math.max(tonumber(counted), answered)), member)
            else
              redis.call('ZADD', KEYS[1], ms(answered), member)
            end
            redis.call('HSET', KEYS[2], id, key)
            keep()
            return 1
            """

    /// KEYS: sends, links. ARGV: our clock's now, then operation ID, time (our clock) and
    /// `<target>:<source>` (or '') of each clone.
    ///
    /// `SendLog.merge`: counts every clone not counted yet (member `op:<id>`), never in an own send's
    /// place; returns how many no pending own member of the same source may be. Forgets links of
    /// operations pruned since.
    static let merge =
        prelude + """
            local offset = now - tonumber(ARGV[1])
            local mayBeOwn = {}
            for _, m in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
              local tail = string.match(m, '^p:[0-9a-f]+:(.*)$')
              if tail then mayBeOwn[tail] = (mayBeOwn[tail] or 0) + 1 end
            end
            local foreign = 0
            for i = 2, #ARGV, 3 do
              local member = 'op:' .. ARGV[i]
              if not redis.call('ZSCORE', KEYS[1], member) then
                redis.call('ZADD', KEYS[1], ms(tonumber(ARGV[i + 1]) + offset), member)
                local tail = ARGV[i + 2]
                if tail ~= '' and (mayBeOwn[tail] or 0) > 0 then
                  mayBeOwn[tail] = mayBeOwn[tail] - 1
                else
                  foreign = foreign + 1
                end
              end
            end
            local links = redis.call('HGETALL', KEYS[2])
            for i = 1, #links, 2 do
              if not redis.call('ZSCORE', KEYS[1], 'op:' .. links[i]) then redis.call('HDEL', KEYS[2], links[i]) end
            end
            return foreign
            """
}
