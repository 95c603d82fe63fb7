import Testing

@testable import BatchCloneKit

/// Copies of one source: never two clones of it out at once (the server locks a template while its
/// clone runs), and a source waiting for its previous copy holds no other source back.
@Suite struct BatchRunCopiesTests {
    typealias Base = BatchRunStateMachineTests
    static let t0 = Base.t0
    static let a1 = WorkItem(.pool, source: "a")
    static let a2 = WorkItem(.pool, source: "a", copy: 2)
    static let a3 = WorkItem(.pool, source: "a", copy: 3)

    /// The item the send pipeline would send next at `now` (its check answered yes), or nil when it
    /// sends none.
    static func nextToSend(_ machine: inout BatchRunStateMachine, now: Int64 = t0) -> WorkItem? {
        var step = machine.nextSend(now: now)
        if case .checkSources(let items) = step {
            _ = machine.sourcesChecked(items.map { ($0, nil) })
            step = machine.nextSend(now: now)
        }
        if case .requestSlot(let item) = step { return item }
        return nil
    }

    /// Sends the next item, which must be `item`, and has its clone accepted as `op-<journal key>`.
    static func send(_ machine: inout BatchRunStateMachine, _ item: WorkItem, now: Int64 = t0) {
        #expect(nextToSend(&machine, now: now) == item)
        #expect(
            machine.slotAnswered(Base.granted(at: now), now: now)
                == .send(item, at: now, actions: sendActions(item, now))
        )
        _ = machine.cloneAnswered(item, .success(operation(item, .running)), sentAt: now, now: now)
    }

    static func sendActions(_ item: WorkItem, _ now: Int64) -> [RunAction] {
        [.record([.sending(pool: item.journalKey, at: LedgerInstant(epochMilliseconds: now))])]
    }

    static func operation(_ item: WorkItem, _ status: TolokaOperation.Status) -> TolokaOperation {
        Base.operation(
            "op-\(item.journalKey)",
            status,
            pool: item.source,
            newPool: status == .success ? "new-\(item.journalKey)" : nil
        )
    }

    static func finish(_ machine: inout BatchRunStateMachine, _ item: WorkItem, now: Int64 = t0) {
        _ = machine.polled(item, .success(operation(item, .success)), now: now)
        #expect(machine.state(of: item) == .done)
    }

    @Test func theNextCopyOfASourceGoesOnlyOnceThePreviousCloneIsDone() {
        var machine = Base.machine([Self.a1, Self.a2, "b"])
        Self.send(&machine, Self.a1)
        // a's copy 2 waits; b goes meanwhile.
        Self.send(&machine, "b")
        #expect(machine.nextSend(now: Self.t0) == .sleep(until: Self.t0 + Base.pollInterval))
        #expect(machine.state(of: Self.a2) == .queued(ItemState.Pending()))
        Self.finish(&machine, Self.a1)
        Self.send(&machine, Self.a2)
        Self.finish(&machine, "b")
        Self.finish(&machine, Self.a2)
        #expect(machine.nextSend(now: Self.t0) == .finished)
        #expect(machine.journal[Self.a2.journalKey]?.phase == .done(newPoolID: "new-a#2", operationID: "op-a#2"))
    }

    @Test func aBusySourceHoldsNoOtherSourceBackAndGoesFirstOnceFree() {
        var machine = Base.machine([Self.a1, Self.a2, Self.a3, "b", "c", "d"])
        Self.send(&machine, Self.a1)
        Self.send(&machine, "b")
        // Both waiting copies still count as queued (the progress line's projection counts them).
        #expect(machine.items.queuedCount == 4)
        Self.finish(&machine, Self.a1)
        // Copy 2 waited longest: it goes before c and d, and copy 3 waits for it in turn.
        Self.send(&machine, Self.a2)
        Self.send(&machine, "c")
        Self.send(&machine, "d")
        #expect(machine.nextSend(now: Self.t0) == .sleep(until: Self.t0 + Base.pollInterval))
        Self.finish(&machine, Self.a2)
        Self.send(&machine, Self.a3)
    }

    @Test func theSourceWithTheMostCopiesIsSentFirstWhereverItsRowIs() {
        var machine = Base.machine(["b", "c", Self.a1, Self.a2, Self.a3])
        Self.send(&machine, Self.a1)
        Self.send(&machine, "b")
        Self.finish(&machine, Self.a1)
        // Copy 3 still waits on copy 2: the chain goes on before c.
        Self.send(&machine, Self.a2)
        Self.send(&machine, "c")
    }

    @Test func aLostAnswerHoldsTheSourceUntilItsCloneIsFoundAndSettled() {
        var machine = Base.machine([Self.a1, Self.a2])
        #expect(Self.nextToSend(&machine) == Self.a1)
        _ = machine.slotAnswered(Base.granted(at: Self.t0), now: Self.t0)
        _ = machine.cloneAnswered(Self.a1, .failure(.transport("dropped")), sentAt: Self.t0, now: Self.t0)
        #expect(machine.nextSend(now: Self.t0) == .sleep(until: Self.t0 + Base.pollInterval))
        // Found on the server, it is followed: still out.
        let found = Self.operation(Self.a1, .running)
        _ = machine.clonesListed([Self.a1], .success([found]), now: Self.t0 + 1000)
        #expect(machine.nextSend(now: Self.t0 + 1000) == .sleep(until: Self.t0 + 1000 + Base.pollInterval))
        Self.finish(&machine, Self.a1, now: Self.t0 + 2000)
        Self.send(&machine, Self.a2, now: Self.t0 + 2000)
    }

    @Test func aLostAnswerNeverFoundSendsThatCopyAgainBeforeTheNextOne() {
        var machine = Base.machine([Self.a1, Self.a2])
        #expect(Self.nextToSend(&machine) == Self.a1)
        _ = machine.slotAnswered(Base.granted(at: Self.t0), now: Self.t0)
        _ = machine.cloneAnswered(Self.a1, .failure(.transport("dropped")), sentAt: Self.t0, now: Self.t0)
        let end = Self.t0 + Base.reconcileWindow
        _ = machine.clonesListed([Self.a1], .success([]), now: end)
        // Copy 1 is requeued at the front, ahead of copy 2, which waits again while it is out.
        #expect(Self.nextToSend(&machine, now: end) == Self.a1)
        _ = machine.slotAnswered(Base.granted(at: end), now: end)
        #expect(machine.state(of: Self.a2) == .queued(ItemState.Pending()))
        _ = machine.cloneAnswered(Self.a1, .success(Self.operation(Self.a1, .running)), sentAt: end, now: end)
        #expect(machine.nextSend(now: end) == .sleep(until: end + Base.pollInterval))
    }

    @Test func aFailedCopyFreesItsSource() {
        var machine = Base.machine([Self.a1, Self.a2]) { $0.maxAttempts = 1 }
        Self.send(&machine, Self.a1)
        _ = machine.polled(Self.a1, .success(Self.operation(Self.a1, .fail)), now: Self.t0)
        #expect(machine.state(of: Self.a1) == .failed)
        Self.send(&machine, Self.a2)
    }

    @Test func anUnfinishedCopyKeepsTheNextOneForTheNextRun() {
        var machine = Base.machine([Self.a1, Self.a2]) { $0.operationTimeout = .seconds(10) }
        Self.send(&machine, Self.a1)
        _ = machine.polled(Self.a1, .success(Self.operation(Self.a1, .running)), now: Self.t0 + 10_001)
        #expect(machine.state(of: Self.a1) == .unfinished(operationID: "op-a"))
        // The template may still be locked: copy 2 is not sent, and the run ends resumable.
        #expect(machine.nextSend(now: Self.t0 + 10_001) == .finished)
        #expect(machine.journal[Self.a2.journalKey]?.phase == .pending)
    }

    @Test func aResumedRunFollowsTheCopyInFlightBeforeSendingTheNext() {
        let state = JournalState.replaying([
            .listed(pool: "a"), .listed(pool: "a#2"), .sending(pool: "a#2", at: LedgerInstant(epochMilliseconds: 1)),
            .submitted(pool: "a#2", operationID: "op-a#2", at: ServerInstant(epochMilliseconds: 2)),
        ])
        var machine = Base.machine([Self.a1, Self.a2, "b"], state: state)
        Self.send(&machine, "b")
        #expect(machine.nextSend(now: Self.t0) == .sleep(until: Self.t0 + Base.pollInterval))
        Self.finish(&machine, Self.a2)
        Self.send(&machine, Self.a1)
    }

    @Test func raisingCopiesOverAnOlderJournalSendsOnlyTheMissingOnes() {
        // A journal from before copies: pool a cloned once under its bare ID.
        let state = JournalState.replaying([
            .listed(pool: "a"), .sending(pool: "a", at: LedgerInstant(epochMilliseconds: 1)),
            .submitted(pool: "a", operationID: "op-a", at: ServerInstant(epochMilliseconds: 2)),
            .done(pool: "a", newPoolID: "n", operationID: "op-a"),
        ])
        var machine = BatchRunStateMachine(
            items: [Self.a1, Self.a2, Self.a3],
            state: state,
            configuration: Base.configuration()
        )
        #expect(
            machine.start(now: Self.t0) == [
                .record([.listed(pool: "a#2"), .listed(pool: "a#3")]),
                .emit(.started(total: 3, sources: 1, alreadyDone: 1, alreadyFailed: 0, toDo: 2)),
            ]
        )
        Self.send(&machine, Self.a2)
        Self.finish(&machine, Self.a2)
        Self.send(&machine, Self.a3)
    }

    @Test func loweringCopiesLeavesTheJournalsOtherCopiesAlone() {
        let state = JournalState.replaying([.listed(pool: "a"), .listed(pool: "a#2")])
        var machine = BatchRunStateMachine(items: [Self.a1], state: state, configuration: Base.configuration())
        let actions = machine.start(now: Self.t0)
        #expect(
            actions.contains(
                .emit(.warning("1 pool(s) of the journal are no longer in the CSV and are left alone: a#2"))
            )
        )
        #expect(!actions.contains { if case .record = $0 { true } else { false } })
        #expect(machine.journal[Self.a2.journalKey]?.phase == .pending)
    }

    /// a with three copies, then b, c, d; 3 clones per 2 s; default link (the poll interval) 1 s.
    static func chainMachine() -> BatchRunStateMachine {
        Base.machine([Self.a1, Self.a2, Self.a3, "b", "c", "d"]) {
            $0.limits = [RateLimit(count: 3, window: .seconds(2))]
            $0.margin = .zero
        }
    }

    /// The send step at `now`, the current item's check answered yes first if asked.
    static func checkedStep(_ machine: inout BatchRunStateMachine, now: Int64) -> SendStep {
        let step = machine.nextSend(now: now)
        guard case .checkSources(let items) = step else { return step }
        _ = machine.sourcesChecked(items.map { ($0, nil) })
        return machine.nextSend(now: now)
    }

    @Test func aSlotIsHeldBackForTheChainThatBoundsTheBatch() {
        var machine = Self.chainMachine()
        Self.send(&machine, Self.a1)
        Self.send(&machine, "b")
        // c now would fill the window until t0 + 2 s, delaying a's copies past what the limits need.
        #expect(Self.checkedStep(&machine, now: Self.t0) == .sleep(until: Self.t0 + 20))
        #expect(machine.state(of: "c") == .queued(ItemState.Pending(check: .exists)))
        #expect(machine.queued(prefix: 1) == ["c"])
        #expect(machine.nextSend(now: Self.t0 + 900) == .sleep(until: Self.t0 + 920))
        Self.finish(&machine, Self.a1, now: Self.t0 + 1000)
        // The copy goes in the held slot, then c.
        Self.send(&machine, Self.a2, now: Self.t0 + 1000)
        #expect(Self.nextToSend(&machine, now: Self.t0 + 1000) == "c")
    }

    @Test func aHeldSlotIsReleasedWhenTheCopyIsLate() {
        var machine = Self.chainMachine()
        Self.send(&machine, Self.a1)
        Self.send(&machine, "b")
        #expect(Self.checkedStep(&machine, now: Self.t0 + 1990) == .sleep(until: Self.t0 + 2000))
        // No clone seen done yet: the copy guessed ready at t0 + 1 s is waited for one window at most.
        #expect(Self.nextToSend(&machine, now: Self.t0 + 2000) == "c")
    }

    @Test func withoutABusyChainNothingIsHeldBack() {
        var machine = Base.machine(["a", "b", "c", "d"]) {
            $0.limits = [RateLimit(count: 3, window: .seconds(2))]
            $0.margin = .zero
        }
        Self.send(&machine, "a")
        Self.send(&machine, "b")
        Self.send(&machine, "c")
        #expect(Self.nextToSend(&machine) == "d")
    }
}
