import Testing

@testable import BatchCloneKit

/// The run's decisions, event by event: no API, no clock, no ledger store.
///
/// One test per row of the README's "How each server answer is handled" table, and per journal transition.
@Suite struct BatchRunStateMachineTests {
    static let t0: Int64 = 1_800_000_000_000
    static let pollInterval: Int64 = 1000
    static let fiveMinutes: Int64 = 300_000

    static func configuration(_ change: (inout RunConfiguration) -> Void = { _ in }) -> RunConfiguration {
        var configuration = RunConfiguration()
        configuration.checkLookahead = 1
        configuration.listPollMinimum = .max
        configuration.progressSnapshots = false
        configuration.accountView = false
        change(&configuration)
        return configuration
    }

    static func machine(
        _ pools: [WorkItem],
        state: JournalState = JournalState(),
        _ change: (inout RunConfiguration) -> Void = { _ in }
    ) -> BatchRunStateMachine {
        var machine = BatchRunStateMachine(items: pools, state: state, configuration: configuration(change))
        _ = machine.start(now: t0)
        return machine
    }

    static func error(_ status: Int, _ code: String, interval: String? = nil, retryAfter: Double? = nil) -> TolokaError
    {
        .api(status: status, code: code, message: "", interval: interval, retryAfter: retryAfter)
    }

    static func operation(_ id: String, _ status: TolokaOperation.Status, pool: String = "p1", newPool: String? = nil)
        -> TolokaOperation
    {
        TolokaOperation(
            id: id,
            status: status,
            submitted: ServerInstant(epochMilliseconds: t0),
            sourcePoolID: pool,
            newPoolID: newPool
        )
    }

    static func granted(at time: Int64) -> SlotAnswer {
        var ledger = RateLimitLedger(limits: RateLimit.tolokaCloneDefaults)
        return SlotAnswer(ledger.decideSlot(now: time), now: time)
    }

    /// Brings `pool` (first in the queue) through a successful check and a granted slot.
    static func sendNext(_ machine: inout BatchRunStateMachine, now: Int64 = t0) -> SlotStep {
        if case .checkSources(let pools) = machine.nextSend(now: now) {
            _ = machine.sourcesChecked(pools.map { ($0, nil) })
        }
        guard case .requestSlot = machine.nextSend(now: now) else {
            Issue.record("no slot request"); return .stopSending(actions: [])
        }
        return machine.slotAnswered(granted(at: now), now: now)
    }

    // MARK: - Internal errors

    /// An answer for an item that is not being sent is a bug: the run ends (exit 70), it never traps.
    @Test func anAnswerForAnItemNotBeingSentEndsTheRunAsAnInternalError() {
        var machine = Self.machine(["p1", "p2"])
        let accepted = Self.operation("op1", .running)
        let actions = machine.cloneAnswered("p2", .success(accepted), sentAt: Self.t0, now: Self.t0)
        #expect(actions == [.stop(.internalError("pool p2 cannot move from queued to answered"))])
        #expect(machine.record(of: "p2")?.phase == .pending)
        #expect(machine.state(of: "p2") == .queued(ItemState.Pending()))
    }

    /// A slot answered while no item waits for one is refused the same way, and nothing is recorded.
    @Test func aSlotWithoutACurrentItemEndsTheRunAsAnInternalError() {
        var machine = Self.machine(["p1"])
        #expect(
            machine.slotAnswered(Self.granted(at: Self.t0), now: Self.t0)
                == .stopSending(actions: [.stop(.internalError("a slot without an item to send"))])
        )
        #expect(machine.clonesSent == 0)
    }

    // MARK: - Start

    @Test func startListsNewPoolsAndLooksForSendingOnesFirst() {
        let state = JournalState.replaying([
            .listed(pool: "a"), .sending(pool: "a", at: LedgerInstant(epochMilliseconds: 5)), .listed(pool: "gone"),
        ])
        var machine = BatchRunStateMachine(items: ["a", "b"], state: state, configuration: Self.configuration())
        let actions = machine.start(now: Self.t0)
        #expect(
            actions == [
                .record([.listed(pool: "b")]),
                .emit(.warning("1 pool(s) of the journal are no longer in the CSV and are left alone: gone")),
                .emit(.started(total: 2, sources: 2, alreadyDone: 0, alreadyFailed: 0, toDo: 2)),
            ]
        )
        #expect(machine.queued(prefix: 5) == ["b"])
        #expect(
            machine.nextPoll(now: Self.t0)
                == .look(items: ["a"], since: ServerInstant(epochMilliseconds: 5 - Self.fiveMinutes))
        )
    }

    @Test func retryFailedRequeuesOnlyPoolsWhoseCloneCannotExist() {
        let state = JournalState.replaying([
            .listed(pool: "a"), .failed(pool: "a", reason: "x", operationID: nil),
            .listed(pool: "b"), .failed(pool: "b", reason: "lost", operationID: nil, cloneMayExist: true),
        ])
        var machine = BatchRunStateMachine(
            items: ["a", "b"],
            state: state,
            configuration: Self.configuration { $0.retryFailed = true }
        )
        let actions = machine.start(now: Self.t0)
        #expect(actions.contains(.record([.requeued(pool: "a", operationFailed: false)])))
        #expect(
            actions.contains {
                if case .emit(.warning(let text)) = $0 {
                    text.contains("may exist") && text.hasSuffix(": b")
                } else {
                    false
                }
            }
        )
        #expect(machine.journal["a"]?.phase == .pending)
        #expect(machine.journal["b"]?.phase == .failed(reason: "lost", operationID: nil))
    }

    // MARK: - Pool checks (GET /pools/{id})

    @Test func aCheckedPoolAsksForASlotAndAGrantRecordsTheIntentFirst() {
        var machine = Self.machine(["p1"])
        #expect(machine.nextSend(now: Self.t0) == .checkSources(["p1"]))
        _ = machine.sourcesChecked([("p1", nil)])
        #expect(machine.nextSend(now: Self.t0) == .requestSlot("p1"))
        let step = machine.slotAnswered(Self.granted(at: Self.t0), now: Self.t0)
        #expect(
            step
                == .send(
                    "p1",
                    at: Self.t0,
                    actions: [.record([.sending(pool: "p1", at: LedgerInstant(epochMilliseconds: Self.t0))])]
                )
        )
        #expect(machine.clonesSent == 1)
    }

    @Test func checksLookAheadOnlyOnceAccessIsConfirmed() {
        var machine = Self.machine(["p1", "p2", "p3"]) { $0.checkLookahead = 3 }
        #expect(machine.nextSend(now: Self.t0) == .checkSources(["p1"]))
        _ = machine.sourcesChecked([("p1", nil)])
        _ = Self.sendNext(&machine)
        #expect(machine.nextSend(now: Self.t0) == .checkSources(["p2", "p3"]))
    }

    @Test(arguments: [
        (
            404, "DOES_NOT_EXIST",
            PoolFailure.doesNotExist(pool: "p1", on: .check, error: Self.error(404, "DOES_NOT_EXIST"))
        ),
        (
            403, "ACCESS_DENIED",
            PoolFailure.accessDenied(pool: "p1", on: .check, error: Self.error(403, "ACCESS_DENIED"))
        ),
        (
            400, "VALIDATION_ERROR",
            PoolFailure.refused(pool: "p1", on: .check, error: Self.error(400, "VALIDATION_ERROR"))
        ),
    ])
    func aRefusedCheckFailsThePoolWithoutSpendingQuota(status: Int, code: String, failure: PoolFailure) {
        var machine = Self.machine(["p1", "p2"])
        _ = machine.nextSend(now: Self.t0)
        _ = machine.sourcesChecked([("p1", Self.error(status, code))])
        #expect(
            machine.nextSend(now: Self.t0)
                == .perform([
                    .record([.failed(pool: "p1", reason: failure.description, operationID: nil)]),
                    .emit(.failed(item: "p1", failure: failure)),
                ])
        )
        #expect(machine.nextSend(now: Self.t0) == .checkSources(["p2"]))
        #expect(machine.clonesSent == 0)
    }

    @Test func accessDeniedOnTheFirstPoolsStopsTheRun() {
        var machine = Self.machine(["p1", "p2", "p3"])
        let denied = Self.error(403, "ACCESS_DENIED")
        for pool: WorkItem in ["p1", "p2"] {
            _ = machine.nextSend(now: Self.t0)
            _ = machine.sourcesChecked([(pool, denied)])
            guard case .perform(let actions) = machine.nextSend(now: Self.t0) else {
                Issue.record("no decision"); return
            }
            #expect(actions.count == 2)
        }
        _ = machine.nextSend(now: Self.t0)
        _ = machine.sourcesChecked([("p3", denied)])
        #expect(machine.nextSend(now: Self.t0) == .perform([.stop(.accessDenied(denied.description))]))
    }

    @Test func accessDeniedAfterAnAccessiblePoolIsPerPool() {
        var machine = Self.machine(["ok", "p1", "p2", "p3"])
        _ = Self.sendNext(&machine)
        for pool: WorkItem in ["p1", "p2", "p3"] {
            _ = machine.nextSend(now: Self.t0)
            _ = machine.sourcesChecked([(pool, Self.error(403, "ACCESS_DENIED"))])
            #expect(
                machine.nextSend(now: Self.t0)
                    == .perform([
                        .record([
                            .failed(
                                pool: pool.source,
                                reason: "no access to pool \(pool.source) (403): HTTP 403 ACCESS_DENIED",
                                operationID: nil
                            )
                        ]),
                        .emit(
                            .failed(
                                item: pool,
                                failure: .accessDenied(
                                    pool: pool.source,
                                    on: .check,
                                    error: Self.error(403, "ACCESS_DENIED")
                                )
                            )
                        ),
                    ])
            )
        }
    }

    @Test func unauthorizedCheckStopsTheRun() {
        var machine = Self.machine(["p1"])
        _ = machine.nextSend(now: Self.t0)
        let unauthorized = Self.error(401, "AUTHENTICATION_ERROR")
        _ = machine.sourcesChecked([("p1", unauthorized)])
        #expect(machine.nextSend(now: Self.t0) == .perform([.stop(.authentication(unauthorized.description))]))
    }

    @Test func aCheckStillFailingAfterRetriesStopsTheRun() {
        var machine = Self.machine(["p1"])
        _ = machine.nextSend(now: Self.t0)
        let failure = TolokaError.transport("refused")
        _ = machine.sourcesChecked([("p1", failure)])
        #expect(machine.nextSend(now: Self.t0) == .perform([.stop(.serviceUnavailable("GET /pools/p1: \(failure)"))]))
    }

    // MARK: - The ledger's answer

    @Test func aSlotBeyondMaxWaitStopsSendingAndKeepsThePoolFirst() {
        var machine = Self.machine(["p1", "p2"]) { $0.maxWait = .seconds(10) }
        _ = machine.nextSend(now: Self.t0)
        _ = machine.sourcesChecked([("p1", nil)])
        _ = machine.nextSend(now: Self.t0)
        var ledger = RateLimitLedger(limits: [RateLimit(count: 1, window: .seconds(60))], margin: .zero)
        ledger.log = SendLog(sends: [Self.t0])
        let answer = SlotAnswer(ledger.decideSlot(now: Self.t0), now: Self.t0)
        let resume = Self.t0 + 60_000
        #expect(
            machine.slotAnswered(answer, now: Self.t0)
                == .stopSending(actions: [.emit(.stoppedAtLimit(resumeAt: LocalInstant(epochMilliseconds: resume)))])
        )
        #expect(machine.stop == .limit(resumeAt: LocalInstant(epochMilliseconds: resume)))
        #expect(machine.queued(prefix: 2) == ["p1", "p2"])
        #expect(machine.pipeline.finished)
    }

    @Test func aWaitIsAnnouncedOncePerInstant() {
        var machine = Self.machine(["p1"])
        _ = machine.nextSend(now: Self.t0)
        _ = machine.sourcesChecked([("p1", nil)])
        _ = machine.nextSend(now: Self.t0)
        let answer = SlotAnswer(
            granted: false,
            at: Self.t0 + 5000,
            futureSkew: nil,
            ledger: RateLimitLedger(limits: [])
        )
        #expect(
            machine.slotAnswered(answer, now: Self.t0)
                == .wait(
                    until: Self.t0 + 5000,
                    actions: [.emit(.waiting(until: LocalInstant(epochMilliseconds: Self.t0 + 5000)))]
                )
        )
        #expect(machine.slotAnswered(answer, now: Self.t0 + 10) == .wait(until: Self.t0 + 5000, actions: []))
    }

    @Test func aSendInTheFutureIsReportedOnce() {
        var machine = Self.machine(["p1"])
        _ = machine.nextSend(now: Self.t0)
        _ = machine.sourcesChecked([("p1", nil)])
        _ = machine.nextSend(now: Self.t0)
        let answer = SlotAnswer(
            granted: false,
            at: Self.t0 + 500,
            futureSkew: 5000,
            ledger: RateLimitLedger(limits: [])
        )
        guard case .wait(_, let actions) = machine.slotAnswered(answer, now: Self.t0) else {
            Issue.record("no wait"); return
        }
        #expect(actions.count == 1)
        #expect(machine.slotAnswered(answer, now: Self.t0) == .wait(until: Self.t0 + 500, actions: []))
    }

    // MARK: - The clone POST's answer

    @Test func anAcceptedCloneIsJournaledAndPolledSoon() {
        var machine = Self.machine(["p1"])
        _ = Self.sendNext(&machine)
        let accepted = Self.operation("op1", .running)
        #expect(
            machine.cloneAnswered("p1", .success(accepted), sentAt: Self.t0, now: Self.t0 + 10)
                == [
                    .record([.submitted(pool: "p1", operationID: "op1", at: ServerInstant(epochMilliseconds: Self.t0))]
                    ),
                    .emit(.submitted(item: "p1", operationID: "op1")),
                ]
        )
        #expect(
            machine.nextPoll(now: Self.t0 + 510)
                == .read(due: [DuePoll(item: "p1", operationID: "op1")], listSince: nil)
        )
    }

    @Test func unauthorizedCloneStopsTheRun() {
        var machine = Self.machine(["p1"])
        _ = Self.sendNext(&machine)
        let unauthorized = Self.error(401, "AUTHENTICATION_ERROR")
        #expect(
            machine.cloneAnswered("p1", .failure(unauthorized), sentAt: Self.t0, now: Self.t0)
                == [.stop(.authentication(unauthorized.description))]
        )
    }

    @Test(arguments: [
        (
            404, "DOES_NOT_EXIST",
            PoolFailure.doesNotExist(pool: "p1", on: .clone, error: Self.error(404, "DOES_NOT_EXIST"))
        ),
        (
            403, "ACCESS_DENIED",
            PoolFailure.accessDenied(pool: "p1", on: .clone, error: Self.error(403, "ACCESS_DENIED"))
        ),
        (
            400, "VALIDATION_ERROR",
            PoolFailure.refused(pool: "p1", on: .clone, error: Self.error(400, "VALIDATION_ERROR"))
        ),
        (
            409, "INAPPROPRIATE_STATUS",
            PoolFailure.refused(pool: "p1", on: .clone, error: Self.error(409, "INAPPROPRIATE_STATUS"))
        ),
    ])
    func aRefusedCloneFailsThePool(status: Int, code: String, failure: PoolFailure) {
        var machine = Self.machine(["p1"])
        _ = Self.sendNext(&machine)
        #expect(
            machine.cloneAnswered("p1", .failure(Self.error(status, code)), sentAt: Self.t0, now: Self.t0)
                == [
                    .record([.failed(pool: "p1", reason: failure.description, operationID: nil)]),
                    .emit(.failed(item: "p1", failure: failure)),
                ]
        )
        #expect(machine.journal["p1"]?.phase == .failed(reason: failure.description, operationID: nil))
    }

    @Test func aBusyPoolIsRetriedLaterThenGivenUp() {
        var machine = Self.machine(["p1"]) { $0.maxBusyRetries = 1 }
        let busy = Self.error(409, "POOL_LOCKED_BY_ANOTHER_OPERATION")
        _ = Self.sendNext(&machine)
        #expect(
            machine.cloneAnswered("p1", .failure(busy), sentAt: Self.t0, now: Self.t0)
                == [
                    .record([.requeued(pool: "p1", operationFailed: false)]),
                    .emit(.retrying(item: "p1", reason: .busy)),
                ]
        )
        // Not before five poll intervals.
        #expect(machine.nextSend(now: Self.t0) == .sleep(until: Self.t0 + 5 * Self.pollInterval))
        let later = Self.t0 + 5 * Self.pollInterval
        guard case .send = machine.slotAnswered(Self.granted(at: later), now: later) else {
            Issue.record("no send")
            return
        }
        let failure = PoolFailure.stayedBusy(pool: "p1", tries: 2, error: busy)
        #expect(
            machine.cloneAnswered("p1", .failure(busy), sentAt: later, now: later)
                == [
                    .record([.failed(pool: "p1", reason: failure.description, operationID: nil)]),
                    .emit(.failed(item: "p1", failure: failure)),
                ]
        )
    }

    @Test func aRedirectedCloneIsNeitherFollowedNorSentAgain() {
        var machine = Self.machine(["p1"])
        _ = Self.sendNext(&machine)
        let redirect = TolokaError.redirected(status: 307, location: "http://127.0.0.1:1")
        let failure = PoolFailure.refused(pool: "p1", on: .clone, error: redirect)
        #expect(
            machine.cloneAnswered("p1", .failure(redirect), sentAt: Self.t0, now: Self.t0)
                == [
                    .record([.failed(pool: "p1", reason: failure.description, operationID: nil)]),
                    .emit(.failed(item: "p1", failure: failure)),
                ]
        )
        #expect(machine.nextSend(now: Self.t0) == .finished)
    }

    @Test(arguments: [
        TolokaError.transport("dropped"), Self.error(503, "REMOTE_SERVICE_UNAVAILABLE"), Self.error(408, "TIMEOUT"),
    ])
    func anUnknownOutcomeIsReconciledNeverResentBlindly(error: TolokaError) {
        var machine = Self.machine(["p1"])
        _ = Self.sendNext(&machine)
        #expect(
            machine.cloneAnswered("p1", .failure(error), sentAt: Self.t0, now: Self.t0 + 30)
                == [.emit(.retrying(item: "p1", reason: .answerLost(error)))]
        )
        #expect(machine.journal["p1"]?.phase == .sending(at: LedgerInstant(epochMilliseconds: Self.t0)))
        #expect(
            machine.nextPoll(now: Self.t0 + 30)
                == .look(items: ["p1"], since: ServerInstant(epochMilliseconds: Self.t0 - Self.fiveMinutes))
        )
        // Other pools go on meanwhile; the batch is not over while the clone is unsettled.
        #expect(machine.nextSend(now: Self.t0 + 30) == .sleep(until: Self.t0 + 30 + Self.pollInterval))
    }

    // MARK: - Reconciliation

    static let reconcileWindow: Int64 = 120_000
    static let reconcileInterval: Int64 = 5000

    /// A machine whose clone of `p1` (sent at t0) lost its answer.
    static func lostAnswer(_ pools: [WorkItem] = ["p1"], _ change: (inout RunConfiguration) -> Void = { _ in })
        -> BatchRunStateMachine
    {
        var machine = Self.machine(pools, change)
        _ = Self.sendNext(&machine)
        _ = machine.cloneAnswered("p1", .failure(.transport("dropped")), sentAt: Self.t0, now: Self.t0)
        return machine
    }

    @Test func reconciliationAdoptsTheEarliestUnownedCloneOfThePool() {
        var machine = Self.lostAnswer()
        #expect(machine.reconcileSince(intentAt: Self.t0).epochMilliseconds == Self.t0 - Self.fiveMinutes)
        let listed = [
            Self.operation("other", .running, pool: "p2"),
            TolokaOperation(
                id: "late",
                status: .running,
                submitted: ServerInstant(epochMilliseconds: Self.t0 + 9),
                sourcePoolID: "p1"
            ),
            TolokaOperation(
                id: "early",
                status: .running,
                submitted: ServerInstant(epochMilliseconds: Self.t0 + 1),
                sourcePoolID: "0001"
            ),
            TolokaOperation(
                id: "open",
                type: "POOL.OPEN",
                status: .running,
                submitted: ServerInstant(epochMilliseconds: Self.t0),
                sourcePoolID: "p1"
            ),
        ]
        var numbered = Self.machine(["1"])
        _ = Self.sendNext(&numbered)
        _ = numbered.cloneAnswered("1", .failure(.transport("dropped")), sentAt: Self.t0, now: Self.t0)
        #expect(
            numbered.clonesListed(["1"], .success(listed), now: Self.t0)
                == [
                    .emit(.reconciled(item: "1", operationID: "early")),
                    .record([
                        .submitted(pool: "1", operationID: "early", at: ServerInstant(epochMilliseconds: Self.t0 + 1))
                    ]),
                    .emit(.submitted(item: "1", operationID: "early")),
                ]
        )
        #expect(
            machine.clonesListed(["p1"], .success(listed), now: Self.t0)
                == [
                    .emit(.reconciled(item: "p1", operationID: "late")),
                    .record([
                        .submitted(pool: "p1", operationID: "late", at: ServerInstant(epochMilliseconds: Self.t0 + 9))
                    ]),
                    .emit(.submitted(item: "p1", operationID: "late")),
                ]
        )
        #expect(machine.state(of: "p1")?.unsettled == nil)
    }

    @Test func aLateCommitIsFoundWithinTheWindowWhileOtherPoolsGoOn() {
        var machine = Self.lostAnswer(["p1", "p2"])
        #expect(machine.clonesListed(["p1"], .success([]), now: Self.t0) == [])
        #expect(machine.state(of: "p1")?.unsettled?.nextLook == Self.t0 + Self.reconcileInterval)
        #expect(machine.nextSend(now: Self.t0 + 1) == .checkSources(["p2"]))
        let late = TolokaOperation(
            id: "op-late",
            status: .running,
            submitted: ServerInstant(epochMilliseconds: Self.t0 + 60_000),
            sourcePoolID: "p1"
        )
        let actions = machine.clonesListed(["p1"], .success([late]), now: Self.t0 + 60_000)
        #expect(actions.first == .emit(.reconciled(item: "p1", operationID: "op-late")))
        #expect(
            machine.journal["p1"]?.phase
                == .submitted(operationID: "op-late", at: ServerInstant(epochMilliseconds: Self.t0 + 60_000))
        )
    }

    @Test func anOperationTheJournalOwnsIsNeverAdopted() {
        let state = JournalState.replaying([
            .listed(pool: "p1"), .sending(pool: "p1", at: LedgerInstant(epochMilliseconds: 1)),
            .submitted(pool: "p1", operationID: "op1", at: ServerInstant(epochMilliseconds: 1)),
            .requeued(pool: "p1", operationFailed: true),
        ])
        var machine = Self.machine(["p1"], state: state)
        _ = Self.sendNext(&machine)
        _ = machine.cloneAnswered("p1", .failure(.transport("dropped")), sentAt: Self.t0, now: Self.t0)
        #expect(machine.clonesListed(["p1"], .success([Self.operation("op1", .fail)]), now: Self.t0) == [])
        #expect(machine.state(of: "p1")?.unsettled?.nextLook == Self.t0 + Self.reconcileInterval)
    }

    @Test func noCloneWithinTheWindowSendsAgainFirstAndCountsTheAttempt() {
        var machine = Self.lostAnswer(["p1", "p2"])
        let end = Self.t0 + Self.reconcileWindow
        #expect(machine.clonesListed(["p1"], .success([]), now: end - 1) == [])
        #expect(
            machine.clonesListed(["p1"], .success([]), now: end)
                == [
                    .emit(.reconciled(item: "p1", operationID: nil)),
                    .record([.requeued(pool: "p1", operationFailed: true)]),
                ]
        )
        #expect(machine.queued(prefix: 2) == ["p1", "p2"])
        #expect(machine.journal["p1"]?.failedAttempts == 1)
    }

    @Test func lostAnswersSpendTheAttemptsThenThePoolFailsAsACloneThatMayExist() {
        var machine = Self.lostAnswer { $0.maxAttempts = 2 }
        let lost = TolokaError.transport("dropped")
        var now = Self.t0 + Self.reconcileWindow
        _ = machine.clonesListed(["p1"], .success([]), now: now)
        guard case .send = Self.sendNext(&machine, now: now) else {
            Issue.record("not sent again")
            return
        }
        _ = machine.cloneAnswered("p1", .failure(lost), sentAt: now, now: now)
        now += Self.reconcileWindow
        let failure = PoolFailure.answerNeverFound(pool: "p1", attempts: 2, cause: lost)
        #expect(failure.cloneMayExist)
        #expect(
            machine.clonesListed(["p1"], .success([]), now: now)
                == [
                    .emit(.reconciled(item: "p1", operationID: nil)),
                    .record([.failed(pool: "p1", reason: failure.description, operationID: nil, cloneMayExist: true)]),
                    .emit(.failed(item: "p1", failure: failure)),
                ]
        )
        #expect(machine.journal["p1"]?.cloneMayExist == true)
        #expect(machine.nextSend(now: now) == .finished)
    }

    @Test func aFailingListStopsTheRunAndAnUnauthorizedOneSaysSo() {
        var machine = Self.lostAnswer()
        let down = Self.error(503, "REMOTE_SERVICE_UNAVAILABLE")
        #expect(
            machine.clonesListed(["p1"], .failure(down), now: Self.t0) == [
                .stop(.serviceUnavailable("GET /operations: \(down)"))
            ]
        )
        let unauthorized = Self.error(401, "AUTHENTICATION_ERROR")
        #expect(
            machine.clonesListed(["p1"], .failure(unauthorized), now: Self.t0) == [
                .stop(.authentication(unauthorized.description))
            ]
        )
    }

    // MARK: - Polling

    static func inFlight(_ pools: [WorkItem] = ["p1"], _ change: (inout RunConfiguration) -> Void = { _ in })
        -> BatchRunStateMachine
    {
        var machine = Self.machine(pools, change)
        for pool in pools {
            _ = Self.sendNext(&machine)
            _ = machine.cloneAnswered(
                pool,
                .success(Self.operation("op-\(pool.source)", .running, pool: pool.source)),
                sentAt: Self.t0,
                now: Self.t0
            )
        }
        return machine
    }

    @Test func aSuccessIsDone() {
        var machine = Self.inFlight()
        #expect(
            machine.polled("p1", .success(Self.operation("op-p1", .success, newPool: "n1")), now: Self.t0)
                == [
                    .record([.done(pool: "p1", newPoolID: "n1", operationID: "op-p1")]),
                    .emit(.cloned(item: "p1", newPoolID: "n1", operationID: "op-p1")),
                ]
        )
        #expect(machine.clonedNow == 1)
        #expect(machine.nextSend(now: Self.t0) == .finished)
        #expect(machine.nextPoll(now: Self.t0) == .finished)
    }

    @Test func aSuccessWithoutANewPoolIsClonedWithAWarningNeverFailed() {
        var machine = Self.inFlight()
        let actions = machine.polled("p1", .success(Self.operation("op-p1", .success)), now: Self.t0)
        #expect(actions.count == 3)
        #expect(
            actions.dropFirst().elementsEqual([
                .record([.done(pool: "p1", newPoolID: nil, operationID: "op-p1")]),
                .emit(.cloned(item: "p1", newPoolID: nil, operationID: "op-p1")),
            ])
        )
        #expect(machine.journal["p1"]?.phase == .done(newPoolID: nil, operationID: "op-p1"))
    }

    @Test func aFailedOperationIsRetriedUpToMaxAttempts() {
        var machine = Self.inFlight { $0.maxAttempts = 2 }
        let failed = TolokaOperation(
            id: "op-p1",
            status: .fail,
            submitted: ServerInstant(epochMilliseconds: Self.t0),
            sourcePoolID: "p1",
            failureReason: "boom"
        )
        #expect(
            machine.polled("p1", .success(failed), now: Self.t0)
                == [
                    .record([.requeued(pool: "p1", operationFailed: true)]),
                    .emit(.retrying(item: "p1", reason: .operationFailed(operationID: "op-p1", reason: "boom"))),
                ]
        )
        _ = Self.sendNext(&machine)
        _ = machine.cloneAnswered("p1", .success(Self.operation("op2", .running)), sentAt: Self.t0, now: Self.t0)
        let again = TolokaOperation(
            id: "op2",
            status: .fail,
            submitted: ServerInstant(epochMilliseconds: Self.t0),
            sourcePoolID: "p1"
        )
        let failure = PoolFailure.operationFailed(operationID: "op2", reason: nil, attempt: 2, maxAttempts: 2)
        #expect(failure.description == "clone operation op2 failed (attempt 2 of 2)")
        #expect(
            machine.polled("p1", .success(again), now: Self.t0)
                == [
                    .record([.failed(pool: "p1", reason: failure.description, operationID: "op2")]),
                    .emit(.failed(item: "p1", failure: failure)),
                ]
        )
    }

    @Test func anOperationNotYetVisibleIsPolledUntilTheTimeoutNeverFailed() {
        var machine = Self.inFlight { $0.operationTimeout = .seconds(10) }
        #expect(machine.polled("p1", .failure(Self.error(404, "DOES_NOT_EXIST")), now: Self.t0 + 1000) == [])
        #expect(
            machine.journal["p1"]?.phase
                == .submitted(operationID: "op-p1", at: ServerInstant(epochMilliseconds: Self.t0))
        )
        let actions = machine.polled("p1", .failure(Self.error(404, "DOES_NOT_EXIST")), now: Self.t0 + 10_001)
        #expect(actions.count == 1)
        machine.finish()
        #expect(machine.stop == .unfinishedOperations(count: 1))
    }

    @Test func anUnauthorizedPollStopsTheRun() {
        var machine = Self.inFlight()
        let unauthorized = Self.error(401, "AUTHENTICATION_ERROR")
        #expect(
            machine.polled("p1", .failure(unauthorized), now: Self.t0) == [
                .stop(.authentication(unauthorized.description))
            ]
        )
    }

    @Test func aRunningOrFailingReadIsTriedAgainUntilTheOperationTimeout() {
        var machine = Self.inFlight { $0.operationTimeout = .seconds(10) }
        #expect(machine.polled("p1", .success(Self.operation("op-p1", .running)), now: Self.t0 + 1000) == [])
        #expect(machine.polled("p1", .failure(.transport("reset")), now: Self.t0 + 2000) == [])
        #expect(machine.nextPoll(now: Self.t0 + 2500) == .sleep(until: Self.t0 + 3000))
        let actions = machine.polled("p1", .success(Self.operation("op-p1", .running)), now: Self.t0 + 10_001)
        #expect(
            actions == [
                .emit(
                    .warning(
                        "clone operation op-p1 of pool p1 is unfinished after 10s; re-run the same command to follow it"
                    )
                )
            ]
        )
        machine.sendingEnded()
        machine.finish()
        #expect(machine.stop == .unfinishedOperations(count: 1))
    }

    @Test func severalDueReadsAskForOneListSinceTheOldestServerSubmitMinusASecond() {
        let machine = Self.inFlight(["p1", "p2", "p3"]) { $0.listPollMinimum = 3 }
        guard case .read(let due, let since) = machine.nextPoll(now: Self.t0 + 600) else {
            Issue.record("nothing due")
            return
        }
        #expect(due.map(\.item) == ["p1", "p2", "p3"])
        #expect(since?.epochMilliseconds == Self.t0 - 1000)
        let (answered, unread) = BatchRunStateMachine.match(due, in: [Self.operation("op-p2", .running, pool: "p2")])
        #expect(answered.map(\.item) == ["p2"])
        #expect(unread.map(\.item) == ["p1", "p3"])
    }

    @Test func submitTimesOfOurOwnClockGetAMinuteOfSlack() {
        let state = JournalState.replaying(
            ["p1", "p2", "p3"].flatMap { pool in
                [
                    .listed(pool: pool), .sending(pool: pool, at: LedgerInstant(epochMilliseconds: Self.t0)),
                    .submitted(pool: pool, operationID: "op-\(pool)", at: ServerInstant(epochMilliseconds: Self.t0)),
                ]
            }
        )
        let machine = Self.machine(["p1", "p2", "p3"], state: state) { $0.listPollMinimum = 3 }
        guard case .read(_, let since) = machine.nextPoll(now: Self.t0) else {
            Issue.record("nothing due")
            return
        }
        #expect(since?.epochMilliseconds == Self.t0 - 60_000)
    }

    @Test func cancellationStopsAsInterrupted() {
        var machine = Self.machine(["p1"])
        machine.cancelled()
        machine.finish()
        #expect(machine.summary.stop == .interrupted)
    }
}
