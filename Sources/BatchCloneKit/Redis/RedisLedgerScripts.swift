/// The Lua scripts of `RedisLedgerStore`: each runs atomically on the server, on Redis's own clock.
enum RedisLedgerScripts {
    /// Lets scripts write after `TIME` on Redis before 5 (effects replication); a no-op after.
    private static let prelude = """
        if redis.replicate_commands then redis.replicate_commands() end
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        local function ms(x) return string.format('%.0f', x) end

        """

    /// KEYS: sends, blocked_until, retention. ARGV: retention ms, member suffix, then count and span
    /// (ms) of each limit. Returns {1, now} with the send recorded, or {0, wait ms, now}.
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
            for i = 3, #ARGV, 2 do
              local count = tonumber(ARGV[i])
              local span = tonumber(ARGV[i + 1])
              local nth = redis.call('ZREVRANGE', KEYS[1], count - 1, count - 1, 'WITHSCORES')
              if nth[2] then earliest = math.max(earliest, tonumber(nth[2]) + span) end
            end
            if earliest <= now then
              redis.call('ZADD', KEYS[1], ms(now), ms(now) .. '-' .. ARGV[2])
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

    /// KEYS: sends, blocked_until. Returns {now, blocked_until or '', {member, score, ...}}.
    static let snapshot =
        prelude + """
            local blocked = redis.call('GET', KEYS[2]) or ''
            return {ms(now), blocked, redis.call('ZRANGE', KEYS[1], 0, -1, 'WITHSCORES')}
            """

    /// KEYS: sends. ARGV: our clock's now, operation ID, intent (Redis time), arrival (our clock, or '').
    /// Links one own member at the intent to the operation (member `op:<id>`), moved to the arrival
    /// when later; when the operation is counted already, the own member was a second copy: removed.
    static let attach =
        prelude + """
            local offset = now - tonumber(ARGV[1])
            local member = 'op:' .. ARGV[2]
            local intent = tonumber(ARGV[3])
            local own = redis.call('ZRANGEBYSCORE', KEYS[1], ARGV[3], ARGV[3])
            local mine = nil
            for _, m in ipairs(own) do
              if string.sub(m, 1, 3) ~= 'op:' then mine = m break end
            end
            if mine == nil then return 0 end
            redis.call('ZREM', KEYS[1], mine)
            if redis.call('ZSCORE', KEYS[1], member) then return 1 end
            local time = intent
            if ARGV[4] ~= '' then time = math.max(intent, tonumber(ARGV[4]) + offset) end
            redis.call('ZADD', KEYS[1], ms(time), member)
            return 1
            """

    /// KEYS: sends. ARGV: our clock's now, then operation ID and time (our clock) of each clone.
    /// Adds every clone not yet counted (member `op:<id>`); returns how many were added.
    static let merge =
        prelude + """
            local offset = now - tonumber(ARGV[1])
            local added = 0
            for i = 2, #ARGV, 2 do
              local member = 'op:' .. ARGV[i]
              if not redis.call('ZSCORE', KEYS[1], member) then
                redis.call('ZADD', KEYS[1], ms(tonumber(ARGV[i + 1]) + offset), member)
                added = added + 1
              end
            end
            return added
            """
}
