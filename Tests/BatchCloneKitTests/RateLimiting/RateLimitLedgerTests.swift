import BatchCloneTestSupport
import Testing

@testable import BatchCloneKit

@Suite struct RateLimitLedgerTests {
    private func ledger(_ limits: [(Int, Int64)], margin: Duration? = .zero, sends: [Int64] = []) -> RateLimitLedger {
        RateLimitLedger(
            limits: limits.map { RateLimit(count: $0.0, window: .milliseconds($0.1)) },
            margin: margin,
            log: SendLog(sends: sends)
        )
    }

    // MARK: - Spans and margins

    @Test func spanIsWindowPlusMarginInMilliseconds() {
        let defaults = RateLimitLedger(limits: RateLimit.tolokaCloneDefaults)
        #expect(defaults.limits.map(\.span) == [61_000, 86_401_000])
        let zero = RateLimitLedger(limits: RateLimit.tolokaCloneDefaults, margin: .zero)
        #expect(zero.limits.map(\.span) == [60_000, 86_400_000])
        let explicit = RateLimitLedger(limits: RateLimit.tolokaCloneDefaults, margin: .milliseconds(250))
        #expect(explicit.limits.map(\.span) == [60_250, 86_400_250])
        // Sub-millisecond margins round up: a window is never shortened.
        let tiny = RateLimitLedger(limits: [RateLimit(count: 1, window: .milliseconds(1500))], margin: .microseconds(1))
        #expect(tiny.limits.map(\.span) == [1501])
        #expect(defaults.limits.map(\.limit) == RateLimit.tolokaCloneDefaults)
    }

    @Test func retentionIsTheLongestSpanButAtLeastADayAndASecond() {
        #expect(ledger([(2, 1000)]).retention == 86_401_000)
        #expect(RateLimitLedger(limits: RateLimit.tolokaCloneDefaults).retention == 86_401_000)
        #expect(ledger([(2, 1000), (5, 2 * TestTime.day)]).retention == 2 * TestTime.day)
    }

    // MARK: - earliestSend

    @Test func emptyLedgerAllowsASendNow() {
        #expect(ledger([(1, 1000)]).earliestSend(now: 1234) == 1234)
    }

    @Test func fullWindowWaitsForItsOldestSendToLeave() {
        let l = ledger([(2, 1000)], sends: [100, 400])
        #expect(l.earliestSend(now: 500) == 1100)
        #expect(l.earliestSend(now: 1099) == 1100)
        #expect(l.earliestSend(now: 1100) == 1100)
        #expect(l.earliestSend(now: 5000) == 5000)
    }

    @Test func everyLimitIsEnforcedAtOnce() {
        // 2 per second and 3 per 10 s: the third send waits for the ten-second window.
        let l = ledger([(2, 1000), (3, 10_000)], sends: [0, 1000, 2000])
        #expect(l.earliestSend(now: 2000) == 10_000)
        let m = ledger([(2, 1000), (3, 10_000)], sends: [0, 500])
        #expect(m.earliestSend(now: 500) == 1000)
    }

    @Test func marginWidensTheWindow() {
        let l = ledger([(1, 1000)], margin: .milliseconds(30), sends: [0])
        #expect(l.earliestSend(now: 0) == 1030)
        let defaults = RateLimitLedger(
            limits: RateLimit.tolokaCloneDefaults,
            log: SendLog(sends: Array(repeating: 0, count: 20))
        )
        #expect(defaults.earliestSend(now: 0) == 61_000)
    }

    @Test func aSendInTheFutureIsNeverOvertaken() {
        // Another process's clock ran ahead: its send is in our future; ours must come after it.
        let l = ledger([(5, 1000)], sends: [10_000])
        #expect(l.earliestSend(now: 3000) == 10_000)
        #expect(l.futureSkew(now: 3000) == 7000)
    }

    // MARK: - recordSend and takeSlot

    @Test func takeSlotRecordsOnlyWhenFree() {
        var l = ledger([(2, 1000)])
        do { let taken = l.takeSlot(now: 0); #expect(taken) }
        do { let taken = l.takeSlot(now: 10); #expect(taken) }
        do { let taken = l.takeSlot(now: 999); #expect(!taken) }
        #expect(l.log.sends == [0, 10])
        do { let taken = l.takeSlot(now: 1000); #expect(taken) }
        #expect(l.log.sends == [0, 10, 1000])
        do { let taken = l.takeSlot(now: 1009); #expect(!taken) }
        do { let taken = l.takeSlot(now: 1010); #expect(taken) }
        #expect(l.log.sends == [0, 10, 1000, 1010])
    }

    @Test func recordSendAppendsInOrder() {
        var l = ledger([(2, 1000)])
        l.recordSend(at: 5)
        l.recordSend(at: l.earliestSend(now: 5))
        l.recordSend(at: l.earliestSend(now: 5))
        #expect(l.log.sends == [5, 5, 1005])
    }

    @Test func recordingASendBeforeTheLedgerAllowsItTraps() async {
        await #expect(processExitsWith: .failure) {
            var l = RateLimitLedger(limits: [RateLimit(count: 1, window: .seconds(1))], margin: .zero)
            l.recordSend(at: 0)
            l.recordSend(at: 999)
        }
    }

    // MARK: - block, prune, skew

    @Test func blockKeepsTheLatestInstantAndHoldsSends() {
        var l = ledger([(10, 1000)])
        l.block(until: 5000)
        l.block(until: 3000)
        #expect(l.log.blockedUntil == 5000)
        #expect(l.earliestSend(now: 0) == 5000)
        do { let taken = l.takeSlot(now: 4999); #expect(!taken) }
        l.block(until: 7000)
        #expect(l.log.blockedUntil == 7000)
        #expect(l.earliestSend(now: 6000) == 7000)
        #expect(l.earliestSend(now: 8000) == 8000)
        do { let taken = l.takeSlot(now: 7000); #expect(taken) }
    }

    @Test func pruneDropsOnlySendsThatCannotMatterAndExpiredBlocks() {
        let retention: Int64 = 86_401_000
        var l = ledger([(2, 1000)], sends: [0, 1, 2, 1000])
        l.block(until: retention + 1)
        l.prune(now: retention + 1)
        #expect(l.log.sends == [2, 1000])  // a send at exactly now - retention is dropped
        #expect(l.log.blockedUntil == nil)
        var k = ledger([(2, 1000)], sends: [0, 5])
        k.block(until: 100)
        k.prune(now: 99)
        #expect(k.log.sends == [0, 5])
        #expect(k.log.blockedUntil == 100)
        k.prune(now: 10 * TestTime.day)
        #expect(k.log.sends.isEmpty)
        #expect(k.log.blockedUntil == nil)
    }

    @Test func futureSkewIsNilUnlessTheNewestSendIsAhead() {
        #expect(ledger([(1, 10)]).futureSkew(now: 0) == nil)
        #expect(ledger([(1, 10)], sends: [100]).futureSkew(now: 100) == nil)
        #expect(ledger([(1, 10)], sends: [100]).futureSkew(now: 200) == nil)
        #expect(ledger([(1, 10)], sends: [100, 250]).futureSkew(now: 200) == 50)
    }

    @Test func handMadeLogIsSorted() {
        let log = SendLog(sends: [3000, 1000, 2000, 1000], blockedUntil: 9)
        #expect(log.sends == [1000, 1000, 2000, 3000])
        #expect(log.blockedUntil == 9)
        var l = RateLimitLedger(limits: [RateLimit(count: 2, window: .milliseconds(1500))], margin: .zero, log: log)
        // The 2nd most recent is 2000, not 1000 as the unsorted order would say.
        #expect(l.earliestSend(now: 3000) == 3500)
        do { let taken = l.takeSlot(now: 3500); #expect(taken) }
        #expect(l.log.sends == [1000, 1000, 2000, 3000, 3500])
    }

    // MARK: - status

    @Test func statusReportsUsageRemainingAndNextFreePerLimit() {
        let l = ledger([(2, 1000), (3, 10_000)], sends: [0, 1500, 2000])
        let status = l.status(now: 2100)
        #expect(status.map(\.used) == [2, 3])
        #expect(status.map(\.remaining) == [0, 0])
        #expect(status.map(\.nextFree.epochMilliseconds) == [2500, 10_000])
        #expect(
            status.map(\.limit) == [
                RateLimit(count: 2, window: .milliseconds(1000)), RateLimit(count: 3, window: .milliseconds(10_000)),
            ]
        )
        #expect(status.map(\.nextFree.epochMilliseconds).max() == l.earliestSend(now: 2100))

        let later = l.status(now: 2600)
        #expect(later.map(\.used) == [1, 3])
        #expect(later.map(\.remaining) == [1, 0])
        #expect(later.map(\.nextFree.epochMilliseconds) == [2600, 10_000])

        let empty = ledger([(2, 1000)]).status(now: 7)
        #expect(
            empty.map(\.used) == [0] && empty.map(\.remaining) == [2] && empty.map(\.nextFree.epochMilliseconds) == [7]
        )
    }

    @Test func statusCountsTheMarginWidenedWindow() {
        let l = ledger([(1, 1000)], margin: .milliseconds(50), sends: [0])
        #expect(l.status(now: 1000).map(\.used) == [1])
        #expect(l.status(now: 1000).map(\.nextFree.epochMilliseconds) == [1050])
        #expect(l.status(now: 1050).map(\.used) == [0])
    }

    @Test func statusAgreesWithEarliestSendOnRandomLogs() {
        var rng = SplitMix64(seed: 77)
        for _ in 0..<200 {
            let limits = (0..<rng.int(1...3)).map { _ in (rng.int(1...6), rng.int64(10...3000)) }
            let sends = (0..<rng.int(0...20)).map { _ in rng.int64(0...6000) }
            let l = ledger(limits, margin: .milliseconds(rng.int(0...20)), sends: sends)
            let now = (l.log.sends.last ?? 0) + rng.int64(0...3000)
            let status = l.status(now: now)
            #expect((status.map(\.nextFree.epochMilliseconds).max() ?? now) == l.earliestSend(now: now))
            for (index, limit) in l.limits.enumerated() {
                let used = l.log.sends.filter { $0 > now - limit.span && $0 <= now }.count
                #expect(status[index].used == used)
                #expect(status[index].remaining == max(0, limit.limit.count - used))
            }
        }
    }

    // MARK: - projectedSends

    @Test func projectionIsTheFastestScheduleAndLeavesTheLedgerAlone() {
        let l = ledger([(2, 1000)], sends: [500])
        let times = l.projectedSends(count: 5, now: 600)
        #expect(times == [600, 1500, 1600, 2500, 2600])
        #expect(l.log.sends == [500])
        #expect(l.projectedSends(count: 0, now: 600).isEmpty)
    }

    @Test func projectionHonoursABlock() {
        var l = ledger([(5, 1000)])
        l.block(until: 4000)
        #expect(l.projectedSends(count: 2, now: 0) == [4000, 4000])
    }

    @Test func longProjectionMatchesAnUnprunedGreedyLoop() {
        // 3 a day over two weeks: the projection prunes its copy as it goes.
        let l = ledger([(3, TestTime.day), (2, TestTime.minute)], sends: [0, 10])
        let projected = l.projectedSends(count: 40, now: 20)
        var reference = l
        var cursor: Int64 = 20
        var expected: [Int64] = []
        for _ in 0..<40 {
            cursor = reference.earliestSend(now: cursor)
            reference.recordSend(at: cursor)
            expected.append(cursor)
        }
        #expect(projected == expected)
        let all = [0, 10] + projected
        #expect(LimitChecks.violations(all, count: 3, span: TestTime.day).isEmpty)
        #expect(LimitChecks.violations(all, count: 2, span: TestTime.minute).isEmpty)
        #expect(projected.last! >= 13 * TestTime.day)
    }

    @Test func tolokaDefaultsProjectTwentyAMinuteThenTheDailyCap() {
        let l = RateLimitLedger(limits: RateLimit.tolokaCloneDefaults)
        let times = l.projectedSends(count: 101, now: 0)
        #expect(times.prefix(20).allSatisfy { $0 == 0 })
        #expect(times[20] == 61_000)
        #expect(times[99] == 4 * 61_000)
        #expect(times[100] == 86_401_000)
    }

    // MARK: - Property test

    /// The span a limit must have, computed without the ledger: window + margin, rounded up to ms.
    private func expectedSpan(windowMilliseconds w: Int64, margin: Int64?) -> Int64 {
        if let margin { return w + margin }
        // Default margin: 2% of the window, capped at 1 s; the windows here are < 50 s.
        return (w * 51 + 49) / 50
    }

    @Test func greedySchedulerKeepsEveryLimitWastesNoTimeAndIgnoresPruning() {
        var rng = SplitMix64(seed: 0x5EED_BA7C)
        var scenariosWherePruningDroppedSends = 0
        var delayedSends = 0
        for scenario in 0..<200 {
            let windows = (0..<rng.int(1...3)).map { _ in (count: rng.int(1...10), window: rng.int64(10...5000)) }
            let margin: Int64? = rng.chance(0.3) ? nil : rng.int64(0...50)
            let limits = windows.map { RateLimit(count: $0.count, window: .milliseconds($0.window)) }
            var ledger = RateLimitLedger(limits: limits, margin: margin.map { .milliseconds($0) })
            var pruned = ledger
            let spans = windows.map { expectedSpan(windowMilliseconds: $0.window, margin: margin) }
            #expect(ledger.limits.map(\.span) == spans, "scenario \(scenario)")

            var arrival = TestTime.start
            var arrivals: [Int64] = []
            for _ in 0..<rng.int(1...60) {
                if rng.chance(0.04) {
                    arrival += rng.int64(TestTime.day...3 * TestTime.day)  // idle days: pruning must drop sends
                } else {
                    arrival += rng.int64(0...(rng.chance(0.6) ? 40 : 4000))
                }
                arrivals.append(arrival)
            }

            var sends: [Int64] = []
            var blockedUntil: Int64?
            var blockAtSend: [Int64?] = []
            for (index, arrival) in arrivals.enumerated() {
                if rng.chance(0.05) {
                    let block = arrival + rng.int64(0...3000)
                    ledger.block(until: block)
                    pruned.block(until: block)
                    blockedUntil = max(blockedUntil ?? block, block)
                }
                let ready = max(arrival, sends.last ?? arrival)
                let send = ledger.earliestSend(now: ready)
                #expect(send >= ready)
                pruned.prune(now: ready)
                #expect(pruned.earliestSend(now: ready) == send, "scenario \(scenario): pruning changed a decision")
                if send > ready {
                    var probe = ledger
                    do { let taken = probe.takeSlot(now: send - 1); #expect(!taken) }
                }
                if index.isMultiple(of: 2) {
                    ledger.recordSend(at: send)
                } else {
                    do { let taken = ledger.takeSlot(now: send); #expect(taken) }
                }
                pruned.recordSend(at: send)
                sends.append(send)
                blockAtSend.append(blockedUntil)
            }
            if pruned.log.sends.count < ledger.log.sends.count { scenariosWherePruningDroppedSends += 1 }
            #expect(ledger.log.sends == sends)
            #expect(Array(sends.suffix(pruned.log.sends.count)) == pruned.log.sends)

            // (a) The guarantee, by brute force: no N+1 sends within any half-open window of the span.
            for (index, limit) in windows.enumerated() {
                let span = spans[index]
                #expect(LimitChecks.violations(sends, count: limit.count, span: span).isEmpty, "scenario \(scenario)")
                for i in 0..<max(0, sends.count - limit.count) {
                    #expect(sends[i + limit.count] - sends[i] >= span, "scenario \(scenario)")
                }
            }

            // (b) Work conservation: a delayed send could not have left one millisecond earlier.
            for (index, send) in sends.enumerated() {
                let ready = max(arrivals[index], index > 0 ? sends[index - 1] : arrivals[index])
                guard send > ready else { continue }
                delayedSends += 1
                let earlier = Array(sends[..<index])
                let fullLimit = windows.indices.contains { limit in
                    LimitChecks.count(earlier, after: send - 1 - spans[limit], upTo: send - 1) >= windows[limit].count
                }
                #expect(
                    fullLimit || send == blockAtSend[index],
                    "scenario \(scenario): send \(index) waited needlessly"
                )
            }
        }
        #expect(scenariosWherePruningDroppedSends > 10)
        #expect(delayedSends > 100)
    }
}
