import BatchCloneTestSupport
import Testing

@testable import BatchCloneKit

@Suite struct BatchPlanTests {
    /// 2026-05-28T00:00:00Z
    private let dayStart: Int64 = 1_779_926_400_000
    private let hour: Int64 = 3_600_000
    private let day = TestTime.day
    private let pools = ["a", "b", "c", "d", "e", "f", "g"]

    private var state: JournalState {
        JournalState.replaying([
            .listed(pool: "a"), .listed(pool: "b"), .listed(pool: "c"), .listed(pool: "d"), .listed(pool: "e"),
            .sending(pool: "a", at: LedgerInstant(epochMilliseconds: 1)),
            .submitted(pool: "a", operationID: "o1", at: ServerInstant(epochMilliseconds: 2)),
            .done(pool: "a", newPoolID: "n", operationID: "o1"),
            .failed(pool: "b", reason: "gone", operationID: nil),
            .sending(pool: "c", at: LedgerInstant(epochMilliseconds: 3)),
            .submitted(pool: "c", operationID: "o2", at: ServerInstant(epochMilliseconds: 4)),
            .sending(pool: "d", at: LedgerInstant(epochMilliseconds: 5)),
        ])
    }

    /// Three a day; one was sent an hour ago.
    private var ledger: RateLimitLedger {
        RateLimitLedger(
            limits: [RateLimit(count: 3, window: .seconds(86_400))],
            margin: .zero,
            log: SendLog(sends: [dayStart + 22 * hour])
        )
    }

    @Test func countsPhasesAndSpreadsSendsOverDays() {
        let now = dayStart + 23 * hour
        let plan = BatchPlan(
            pools: pools,
            state: state,
            ledger: ledger,
            retryFailed: false,
            now: LocalInstant(epochMilliseconds: now)
        )
        #expect(plan.total == 7)
        #expect(plan.alreadyDone == 1)
        #expect(plan.alreadyFailed == 1)
        #expect(plan.inProgress == 2)
        #expect(plan.toClone == 3)
        #expect(plan.fitNow == 2)
        #expect(plan.lastSend?.epochMilliseconds == dayStart + 22 * hour + day)
        #expect(plan.perDay.map(\.day.epochMilliseconds) == [dayStart, dayStart + day])
        #expect(plan.perDay.map(\.count) == [2, 1])
    }

    @Test func retryFailedCountsFailedPoolsAsToClone() {
        let now = dayStart + 23 * hour
        let plan = BatchPlan(
            pools: pools,
            state: state,
            ledger: ledger,
            retryFailed: true,
            now: LocalInstant(epochMilliseconds: now)
        )
        #expect(plan.alreadyFailed == 0)
        #expect(plan.toClone == 4)
        #expect(plan.fitNow == 2)
        #expect(plan.lastSend?.epochMilliseconds == now + day)
        #expect(plan.perDay.map(\.count) == [2, 2])
        #expect(plan.perDay.map(\.day.epochMilliseconds) == [dayStart, dayStart + day])
    }

    @Test func withoutAJournalEveryPoolIsToClone() {
        let now = dayStart
        let plan = BatchPlan(
            pools: pools,
            state: nil,
            ledger: RateLimitLedger(limits: RateLimit.tolokaCloneDefaults),
            retryFailed: false,
            now: LocalInstant(epochMilliseconds: now)
        )
        #expect(plan.total == 7 && plan.toClone == 7 && plan.fitNow == 7)
        #expect(plan.alreadyDone == 0 && plan.inProgress == 0)
        #expect(plan.lastSend?.epochMilliseconds == now)
        #expect(plan.perDay.map(\.day.epochMilliseconds) == [dayStart])
        #expect(plan.perDay.map(\.count) == [7])
    }

    @Test func aLargeBatchFollowsTheDailyCap() {
        let pools = (1...250).map { "p\($0)" }
        let now = dayStart + 12 * hour
        let plan = BatchPlan(
            pools: pools,
            state: nil,
            ledger: RateLimitLedger(limits: RateLimit.tolokaCloneDefaults),
            retryFailed: false,
            now: LocalInstant(epochMilliseconds: now)
        )
        #expect(plan.fitNow == 20)
        #expect(plan.perDay.map(\.count).reduce(0, +) == 250)
        #expect(plan.perDay.map(\.count) == [100, 100, 50])
        #expect(plan.perDay.map(\.day.epochMilliseconds) == [dayStart, dayStart + day, dayStart + 2 * day])
        #expect(plan.lastSend?.epochMilliseconds == now + 2 * 86_401_000 + 2 * 61_000)
    }

    @Test func aBlockDelaysEverySend() {
        let now = dayStart
        var blocked = RateLimitLedger(limits: RateLimit.tolokaCloneDefaults)
        blocked.block(until: now + 600_000)
        let plan = BatchPlan(
            pools: ["x"],
            state: nil,
            ledger: blocked,
            retryFailed: false,
            now: LocalInstant(epochMilliseconds: now)
        )
        #expect(plan.fitNow == 0)
        #expect(plan.lastSend?.epochMilliseconds == now + 600_000)
        var expired = RateLimitLedger(limits: RateLimit.tolokaCloneDefaults)
        expired.block(until: now)
        #expect(
            BatchPlan(
                pools: ["x"],
                state: nil,
                ledger: expired,
                retryFailed: false,
                now: LocalInstant(epochMilliseconds: now)
            ).fitNow == 1
        )
    }

    @Test func nothingToDo() {
        let plan = BatchPlan(
            pools: [],
            state: nil,
            ledger: ledger,
            retryFailed: false,
            now: LocalInstant(epochMilliseconds: dayStart)
        )
        #expect(plan.total == 0 && plan.toClone == 0 && plan.fitNow == 0)
        #expect(plan.lastSend == nil)
        #expect(plan.perDay.isEmpty)
    }

    @Test func plansCompareByEveryField() {
        let now = dayStart + 23 * hour
        let one = BatchPlan(
            pools: pools,
            state: state,
            ledger: ledger,
            retryFailed: false,
            now: LocalInstant(epochMilliseconds: now)
        )
        #expect(
            one
                == BatchPlan(
                    pools: pools,
                    state: state,
                    ledger: ledger,
                    retryFailed: false,
                    now: LocalInstant(epochMilliseconds: now)
                )
        )
        #expect(
            one
                != BatchPlan(
                    pools: pools,
                    state: state,
                    ledger: ledger,
                    retryFailed: true,
                    now: LocalInstant(epochMilliseconds: now)
                )
        )
        var shifted = one
        shifted.perDay[0].day = shifted.perDay[0].day.advanced(byMilliseconds: 1)
        #expect(one != shifted)
    }

    @Test func daysBeforeTheEpochFloorCorrectly() {
        let plan = BatchPlan(
            pools: ["x"],
            state: nil,
            ledger: RateLimitLedger(limits: RateLimit.tolokaCloneDefaults),
            retryFailed: false,
            now: LocalInstant(epochMilliseconds: -1)
        )
        #expect(plan.perDay.map(\.day.epochMilliseconds) == [-day])
    }
}
