import BatchCloneTestSupport
import Testing

@testable import BatchCloneKit

@Suite struct JournalStateTests {
    private let t0 = TestTime.start

    /// A state where pool "p" is in `phase`, reached through legal events.
    private func state(with phase: PoolPhase) throws -> JournalState {
        var state = JournalState()
        var events: [JournalEvent] = [.listed(pool: "p")]
        switch phase {
        case .pending: break
        case .sending: events += [.sending(pool: "p", at: LedgerInstant(epochMilliseconds: t0))]
        case .submitted:
            events += [
                .sending(pool: "p", at: LedgerInstant(epochMilliseconds: t0)),
                .submitted(pool: "p", operationID: "op-1", at: ServerInstant(epochMilliseconds: t0 + 5)),
            ]
        case .done:
            events += [
                .sending(pool: "p", at: LedgerInstant(epochMilliseconds: t0)),
                .submitted(pool: "p", operationID: "op-1", at: ServerInstant(epochMilliseconds: t0 + 5)),
                .done(pool: "p", newPoolID: "new", operationID: "op-1"),
            ]
        case .failed: events += [.failed(pool: "p", reason: "gone", operationID: nil)]
        }
        for event in events {
            let violation = state.apply(event)
            #expect(violation == nil)
        }
        #expect(state["p"]?.phase == phase)
        return state
    }

    private static let phases: [PoolPhase] = [
        .pending, .sending(at: LedgerInstant(epochMilliseconds: TestTime.start)),
        .submitted(operationID: "op-1", at: ServerInstant(epochMilliseconds: TestTime.start + 5)),
        .done(newPoolID: "new", operationID: "op-1"), .failed(reason: "gone", operationID: nil),
    ]

    private enum Kind: String, CaseIterable { case sending, submitted, done, failed, requeued }

    private func event(_ kind: Kind) -> JournalEvent {
        switch kind {
        case .sending: .sending(pool: "p", at: LedgerInstant(epochMilliseconds: t0 + 100))
        case .submitted: .submitted(pool: "p", operationID: "op-2", at: ServerInstant(epochMilliseconds: t0 + 200))
        case .done: .done(pool: "p", newPoolID: "new-2", operationID: "op-2")
        case .failed: .failed(pool: "p", reason: "no", operationID: "op-2")
        case .requeued: .requeued(pool: "p", operationFailed: false)
        }
    }

    private func phase(after kind: Kind) -> PoolPhase {
        switch kind {
        case .sending: .sending(at: LedgerInstant(epochMilliseconds: t0 + 100))
        case .submitted: .submitted(operationID: "op-2", at: ServerInstant(epochMilliseconds: t0 + 200))
        case .done: .done(newPoolID: "new-2", operationID: "op-2")
        case .failed: .failed(reason: "no", operationID: "op-2")
        case .requeued: .pending
        }
    }

    /// Which events may follow each phase.
    private func isLegal(_ kind: Kind, from phase: PoolPhase) -> Bool {
        switch (phase, kind) {
        case (.done, _): false
        case (_, .failed), (_, .requeued): true
        case (.pending, .sending), (.pending, .submitted), (.sending, .submitted), (.submitted, .done): true
        default: false
        }
    }

    @Test func everyTransitionIsLegalOrRejectedAsSpecified() throws {
        var legal = 0
        for phase in Self.phases {
            for kind in Kind.allCases {
                var state = try state(with: phase)
                let before = state
                let violation = state.apply(event(kind))
                if isLegal(kind, from: phase) {
                    legal += 1
                    #expect(violation == nil, "\(kind) after \(phase)")
                    #expect(state["p"]?.phase == self.phase(after: kind), "\(kind) after \(phase)")
                } else {
                    #expect(violation != nil, "\(kind) after \(phase) should be refused")
                    #expect(state == before, "a refused event changed the state")
                }
            }
        }
        #expect(legal == 12)
    }

    @Test func violationsNameThePoolAndWhatWentWrong() throws {
        var done = try state(with: .done(newPoolID: "new", operationID: "op-1"))
        #expect(done.apply(.failed(pool: "p", reason: "x", operationID: nil)) == .failedAfterDone(pool: "p"))
        #expect(done.apply(.requeued(pool: "p", operationFailed: true)) == .requeuedAfterDone(pool: "p"))
        #expect(JournalViolation.failedAfterDone(pool: "p").description == "pool p failed after it was done")
        var pending = try state(with: .pending)
        let finished = JournalEvent.done(pool: "p", newPoolID: "n", operationID: "o")
        let violation = pending.apply(finished)
        #expect(violation == .illegalTransition(event: finished, from: PoolPhase.pending))
        #expect(violation?.description.contains("pool p") == true)
        #expect(violation?.description.contains("pending") == true)
    }

    @Test func eventsForAnUnlistedPoolAreRefused() {
        var state = JournalState()
        #expect(
            state.apply(.sending(pool: "ghost", at: LedgerInstant(epochMilliseconds: 1))) == .neverListed(pool: "ghost")
        )
        #expect(state.apply(.requeued(pool: "ghost", operationFailed: false)) == .neverListed(pool: "ghost"))
        #expect(JournalViolation.neverListed(pool: "ghost").description == "pool ghost was never listed")
        #expect(state == JournalState())
    }

    @Test func listingKeepsOrderAndIgnoresRepeats() {
        var state = JournalState()
        for pool in ["b", "a", "c", "a"] {
            #expect(state.apply(.listed(pool: pool)) == nil)
        }
        #expect(state.order == ["b", "a", "c"])
        #expect(state.records.count == 3)
        #expect(state["a"] == PoolRecord())
        #expect(state["zzz"] == nil)
        // Listing again does not reset a pool's progress.
        #expect(state.apply(.sending(pool: "a", at: LedgerInstant(epochMilliseconds: 7))) == nil)
        #expect(state.apply(.listed(pool: "a")) == nil)
        #expect(state["a"]?.phase == .sending(at: LedgerInstant(epochMilliseconds: 7)))
    }

    @Test func failedAttemptsCountOnlyOperationFailures() {
        var state = JournalState()
        let events: [JournalEvent] = [
            .listed(pool: "p"),
            .sending(pool: "p", at: LedgerInstant(epochMilliseconds: 1)),
            .submitted(pool: "p", operationID: "op-1", at: ServerInstant(epochMilliseconds: 2)),
            .requeued(pool: "p", operationFailed: true),
            .sending(pool: "p", at: LedgerInstant(epochMilliseconds: 3)),
            .requeued(pool: "p", operationFailed: false),  // e.g. a 429
            .sending(pool: "p", at: LedgerInstant(epochMilliseconds: 4)),
            .submitted(pool: "p", operationID: "op-2", at: ServerInstant(epochMilliseconds: 5)),
            .requeued(pool: "p", operationFailed: true),
            .sending(pool: "p", at: LedgerInstant(epochMilliseconds: 6)),
            .submitted(pool: "p", operationID: "op-3", at: ServerInstant(epochMilliseconds: 7)),
            .done(pool: "p", newPoolID: "new", operationID: "op-3"),
        ]
        for event in events { #expect(state.apply(event) == nil) }
        #expect(state["p"]?.failedAttempts == 2)
        #expect(state["p"]?.operations == ["op-1", "op-2", "op-3"])
        #expect(state["p"]?.phase == .done(newPoolID: "new", operationID: "op-3"))
    }

    @Test func operationsAreListedOnceEach() {
        var state = JournalState()
        for event: JournalEvent in [
            .listed(pool: "p"), .submitted(pool: "p", operationID: "op-1", at: ServerInstant(epochMilliseconds: 1)),
            .requeued(pool: "p", operationFailed: false),
            .submitted(pool: "p", operationID: "op-1", at: ServerInstant(epochMilliseconds: 1)),
            .failed(pool: "p", reason: "r", operationID: "op-1"),
        ] {
            #expect(state.apply(event) == nil)
        }
        #expect(state["p"]?.operations == ["op-1"])
    }

    @Test func settledPhases() {
        #expect(PoolPhase.done(newPoolID: "n", operationID: "o").isSettled)
        #expect(PoolPhase.failed(reason: "r", operationID: nil).isSettled)
        #expect(!PoolPhase.pending.isSettled)
        #expect(!PoolPhase.sending(at: LedgerInstant(epochMilliseconds: 0)).isSettled)
        #expect(!PoolPhase.submitted(operationID: "o", at: ServerInstant(epochMilliseconds: 0)).isSettled)
    }
}
