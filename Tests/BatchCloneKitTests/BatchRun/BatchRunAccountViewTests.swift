import Testing

@testable import BatchCloneKit

/// The account's own view of its quota, decision by decision.
@Suite struct BatchRunAccountViewTests {
    static let t0 = BatchRunStateMachineTests.t0
    static let day: Int64 = 86_400_000 + 1000
    static let skew: Int64 = 300_000

    static func machine(_ pools: [WorkItem] = ["p1", "p2"], _ change: (inout RunConfiguration) -> Void = { _ in })
        -> BatchRunStateMachine
    {
        BatchRunStateMachineTests.machine(pools) {
            $0.accountView = true
            change(&$0)
        }
    }

    /// A machine whose first pool is checked and whose account was listed at `listedAt`.
    static func listed(at listedAt: Int64, _ change: (inout RunConfiguration) -> Void = { _ in })
        -> BatchRunStateMachine
    {
        var machine = Self.machine(["p1", "p2"], change)
        _ = machine.nextSend(now: listedAt)
        _ = machine.sourcesChecked([("p1", nil)])
        _ = machine.nextSend(now: listedAt)
        _ = machine.accountListed(.success(AccountListing(operations: [])), now: listedAt)
        return machine
    }

    @Test func theAccountIsListedOverTheLongestWindowBeforeTheFirstSend() {
        var machine = Self.machine()
        #expect(machine.nextSend(now: Self.t0) == .checkSources(["p1"]))
        _ = machine.sourcesChecked([("p1", nil)])
        #expect(
            machine.nextSend(now: Self.t0)
                == .listAccount(since: ServerInstant(epochMilliseconds: Self.t0 - Self.day - Self.skew))
        )
        _ = machine.accountListed(.success(AccountListing(operations: [])), now: Self.t0)
        #expect(machine.nextSend(now: Self.t0) == .requestSlot("p1"))
    }

    @Test func listedClonesAreConvertedWithTheServersClockErringLater() {
        var machine = Self.machine()
        // The server's Date says it is 2 s ahead (whole seconds: at least 2 s ahead).
        let clones = [
            TolokaOperation(
                id: "web-1",
                status: .success,
                submitted: ServerInstant(epochMilliseconds: Self.t0 - 10_000),
                sourcePoolID: "9"
            ),
            TolokaOperation(
                id: "open",
                type: "POOL.OPEN",
                status: .success,
                submitted: ServerInstant(epochMilliseconds: Self.t0 - 5000)
            ),
            TolokaOperation(id: "no-time", status: .running),
        ]
        let listing = AccountListing(
            operations: clones,
            serverDate: ServerInstant(epochMilliseconds: Self.t0 + 2000),
            receivedAt: LocalInstant(epochMilliseconds: Self.t0)
        )
        #expect(
            machine.accountListed(.success(listing), now: Self.t0)
                == [
                    .mergeIntoLedger([
                        AccountClone(
                            operationID: "web-1",
                            time: LocalInstant(epochMilliseconds: Self.t0 - 12_000),
                            source: "9"
                        )
                    ])
                ]
        )
        #expect(machine.merged(count: 1) == [.emit(.foreignClones(count: 1, window: .milliseconds(Self.day)))])
        #expect(machine.merged(count: 0) == [])
        #expect(machine.summary.foreignClones == 1)
    }

    @Test func withoutAnyServerTimeTheSkewAllowancePlacesClonesLater() {
        var machine = Self.machine()
        let clone = TolokaOperation(
            id: "web",
            status: .success,
            submitted: ServerInstant(epochMilliseconds: Self.t0),
            sourcePoolID: "9"
        )
        #expect(
            machine.accountListed(.success(AccountListing(operations: [clone])), now: Self.t0)
                == [
                    .mergeIntoLedger([
                        AccountClone(
                            operationID: "web",
                            time: LocalInstant(epochMilliseconds: Self.t0 + Self.skew),
                            source: "9"
                        )
                    ])
                ]
        )
    }

    @Test func anAnsweredCloneIsAttachedAtItsArrivalOnOurClock() {
        var machine = Self.listed(at: Self.t0)
        guard
            case .send(_, let at, _) = machine.slotAnswered(
                BatchRunStateMachineTests.granted(at: Self.t0),
                now: Self.t0
            )
        else {
            Issue.record("no send")
            return
        }
        // The server stamped it 3 s after our intent, and we read the answer at +1 s: the server's
        // clock is at least 2 s ahead, so it arrived no earlier than +1 s on ours. Half the smallest
        // margin (1 s for 20/1m and 100/1d) is tolerated before a send moves.
        let accepted = TolokaOperation(
            id: "op1",
            status: .running,
            submitted: ServerInstant(epochMilliseconds: Self.t0 + 3000),
            sourcePoolID: "p1"
        )
        let actions = machine.cloneAnswered("p1", .success(accepted), sentAt: at, now: Self.t0 + 1000)
        #expect(machine.arrivalTolerance == 500)
        #expect(
            actions.contains(
                .attachToLedger(operationID: "op1", intent: Self.t0, item: "p1", arrival: Self.t0 + 1000 - 500)
            )
        )
    }

    @Test func aLongWaitListsTheAccountAgainAtMostOnceAMinute() {
        var machine = Self.listed(at: Self.t0)
        let far = SlotAnswer(granted: false, at: Self.t0 + 30_000)
        // Listed just now: wait.
        #expect(
            machine.slotAnswered(far, now: Self.t0 + 10)
                == .wait(
                    until: Self.t0 + 30_000,
                    actions: [.emit(.waiting(until: LocalInstant(epochMilliseconds: Self.t0 + 30_000)))]
                )
        )
        // A minute later, before another long wait: list first.
        let later = Self.t0 + 60_000
        let farther = SlotAnswer(granted: false, at: later + 30_000)
        #expect(
            machine.slotAnswered(farther, now: later)
                == .listAccount(since: ServerInstant(epochMilliseconds: later - Self.day - Self.skew))
        )
        // A short wait never lists.
        _ = machine.accountListed(.success(AccountListing(operations: [])), now: later)
        #expect(
            machine.slotAnswered(SlotAnswer(granted: false, at: later + 2000), now: later + 61_000)
                == .wait(until: later + 2000, actions: [])
        )
    }

    @Test func theAccountIsListedAgainBeforeStoppingAtTheLimitSoTheResumeTimeIsRight() {
        var machine = Self.listed(at: Self.t0) { $0.maxWait = .seconds(10) }
        let beyond = SlotAnswer(granted: false, at: Self.t0 + 3_600_000)
        #expect(
            machine.slotAnswered(beyond, now: Self.t0 + 6000)
                == .listAccount(since: ServerInstant(epochMilliseconds: Self.t0 + 6000 - Self.day - Self.skew))
        )
        _ = machine.accountListed(.success(AccountListing(operations: [])), now: Self.t0 + 6000)
        #expect(
            machine.slotAnswered(beyond, now: Self.t0 + 6000)
                == .stopSending(actions: [
                    .emit(.stoppedAtLimit(resumeAt: LocalInstant(epochMilliseconds: Self.t0 + 3_600_000)))
                ])
        )
    }

    @Test func aFailedListingIsSaidOnceAndTheRunGoesOnExceptOnA401() {
        var machine = Self.machine()
        let down = TolokaError.api(
            status: 503,
            code: "REMOTE_SERVICE_UNAVAILABLE",
            message: "",
            interval: nil,
            retryAfter: nil
        )
        let first = machine.accountListed(.failure(down), now: Self.t0)
        #expect(first.count == 1)
        #expect(machine.accountListed(.failure(down), now: Self.t0 + 60_000) == [])
        let forbidden = TolokaError.api(status: 403, code: "ACCESS_DENIED", message: "", interval: nil, retryAfter: nil)
        #expect(machine.accountListed(.failure(forbidden), now: Self.t0 + 120_000) == [])
        let unauthorized = TolokaError.api(
            status: 401,
            code: "AUTHENTICATION_ERROR",
            message: "",
            interval: nil,
            retryAfter: nil
        )
        #expect(
            machine.accountListed(.failure(unauthorized), now: Self.t0) == [
                .stop(.authentication(unauthorized.description))
            ]
        )
    }

    @Test func onlyA400IsTakenForARefusedTypeFilter() {
        #expect(
            CloneLister.refusesTypeFilter(
                .api(status: 400, code: "VALIDATION_ERROR", message: "", interval: nil, retryAfter: nil)
            )
        )
        #expect(!CloneLister.refusesTypeFilter(.transport("reset")))
    }

    @Test func aTruncatedListingIsSaid() {
        var machine = Self.machine()
        let actions = machine.accountListed(
            .success(AccountListing(operations: [], pages: 50, truncated: true)),
            now: Self.t0
        )
        #expect(actions.count == 2)
        #expect(actions.last == .mergeIntoLedger([]))
    }
}
