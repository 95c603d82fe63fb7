import BatchCloneTestSupport
import Testing

@testable import BatchCloneKit

/// A run that starts from a journal: what it leaves, polls, reconciles and sends again.
@Suite struct BatchRunResumeTests {
    static let t0 = TestTime.start
    /// The default allowance for the server's clock: reconciliation lists from this long before the send.
    static let defaultClockSkew: Int64 = 5 * TestTime.minute

    @Test func resumeLeavesDonePoolsPollsSubmittedOnesAndReconcilesSendingOnesFirst() async throws {
        let t0 = Self.t0
        // A done at t0 - 60 s, B submitted at t0 - 20 s, C sent at t0 - 5 s with no answer, D new, E failed.
        let sentC = t0 - 5 * TestTime.second
        let h = RunHarness(log: SendLog(sends: [t0 - TestTime.minute, t0 - 20 * TestTime.second, sentC]))
        let operationB = h.api.addServerOperation(pool: "B", submitted: t0 - 20 * TestTime.second, polls: 2)
        let operationC = h.api.addServerOperation(pool: "C", submitted: sentC + TestTime.second)
        let state = JournalState.replaying([
            .listed(pool: "A"), .listed(pool: "B"), .listed(pool: "C"), .listed(pool: "D"), .listed(pool: "E"),
            .sending(pool: "A", at: LedgerInstant(epochMilliseconds: t0 - TestTime.minute)),
            .submitted(pool: "A", operationID: "op-a", at: ServerInstant(epochMilliseconds: t0 - 59_000)),
            .done(pool: "A", newPoolID: "new-a", operationID: "op-a"),
            .sending(pool: "B", at: LedgerInstant(epochMilliseconds: t0 - 20 * TestTime.second)),
            .submitted(
                pool: "B",
                operationID: operationB,
                at: ServerInstant(epochMilliseconds: t0 - 20 * TestTime.second)
            ),
            .sending(pool: "C", at: LedgerInstant(epochMilliseconds: sentC)),
            .failed(pool: "E", reason: "gone", operationID: nil),
        ])
        let summary = try await h.run(pools: ["A", "B", "C", "D", "E"], state: state)

        #expect(h.events.first == .started(total: 5, sources: 5, alreadyDone: 1, alreadyFailed: 1, toDo: 3))
        #expect(!h.api.calls.contains { $0.pool == "A" || $0.pool == "E" || $0 == .poll("op-a") })
        #expect(h.api.clones(of: "B") == 0 && h.api.checks(of: "B") == 0)
        #expect(h.api.operationCalls.filter { $0 == operationB }.count == 2)
        #expect(h.api.clones(of: "C") == 0)
        #expect(h.api.clones(of: "D") == 1)
        #expect(h.api.cloneCalls.count == 1)
        let firstList = try #require(h.api.calls.firstIndex { $0.isList })
        let firstClone = try #require(h.api.calls.firstIndex(of: .clone("D")))
        #expect(firstList < firstClone)
        #expect(h.api.listQueries.first?.submittedAtOrAfter.epochMilliseconds == sentC - Self.defaultClockSkew)

        #expect(summary.state["A"]?.phase == .done(newPoolID: "new-a", operationID: "op-a"))
        #expect(summary.state["B"]?.phase == .done(newPoolID: "new-B-\(operationB)", operationID: operationB))
        #expect(summary.state["C"]?.phase == .done(newPoolID: "new-C-\(operationC)", operationID: operationC))
        #expect(summary.state["E"]?.phase == .failed(reason: "gone", operationID: nil))
        #expect(
            h.journalEvents(of: "C") == [
                .submitted(
                    pool: "C",
                    operationID: operationC,
                    at: ServerInstant(epochMilliseconds: sentC + TestTime.second)
                ),
                .done(pool: "C", newPoolID: "new-C-\(operationC)", operationID: operationC),
            ]
        )
        #expect(h.journalEvents(of: "A").isEmpty && h.journalEvents(of: "E").isEmpty)
        #expect(summary.clonesSent == 1 && summary.clonedNow == 3)
        #expect(h.replayedJournal(from: state) == .success(summary.state))
        #expect(h.ledgerSends.count == 4)
    }

    @Test func aSendingPoolThatNeverReachedTheServerIsSentOnResume() async throws {
        let h = RunHarness()
        let state = JournalState.replaying([
            .listed(pool: "C"),
            .sending(pool: "C", at: LedgerInstant(epochMilliseconds: Self.t0 - 5 * TestTime.second)),
        ])
        let summary = try await h.run(pools: ["C"], state: state)
        #expect(h.api.clones(of: "C") == 1)
        // The reconcile window (2 minutes by default) runs from the journaled intent.
        #expect(try #require(h.api.cloneCalls.first).at >= Self.t0 - 5 * TestTime.second + 120 * TestTime.second)
        #expect(h.journalEvents(of: "C").first == .requeued(pool: "C", operationFailed: true))
        #expect(summary.cloned == 1)
    }

    @Test func journalPoolsMissingFromTheCSVAreLeftAloneWithAWarning() async throws {
        let h = RunHarness()
        let state = JournalState.replaying([.listed(pool: "old")])
        let summary = try await h.run(pools: ["p1"], state: state)
        #expect(
            h.events.contains(.warning("1 pool(s) of the journal are no longer in the CSV and are left alone: old"))
        )
        #expect(!h.api.calls.contains { $0.pool == "old" })
        #expect(summary.items == ["p1"])
        #expect(summary.state["old"]?.phase == .pending)
    }

    @Test func retryFailedRequeuesFailedPools() async throws {
        let state = JournalState.replaying([
            .listed(pool: "p1"), .listed(pool: "p2"),
            .failed(pool: "p1", reason: "gone", operationID: nil),
            .sending(pool: "p2", at: LedgerInstant(epochMilliseconds: Self.t0 - 1000)),
            .submitted(pool: "p2", operationID: "op-x", at: ServerInstant(epochMilliseconds: Self.t0 - 1000)),
            .done(pool: "p2", newPoolID: "n2", operationID: "op-x"),
        ])
        let without = RunHarness()
        let kept = try await without.run(pools: ["p1", "p2"], state: state)
        #expect(without.api.calls.isEmpty)
        #expect(kept.failed.map(\.item) == ["p1"])
        #expect(without.events.first == .started(total: 2, sources: 2, alreadyDone: 1, alreadyFailed: 1, toDo: 0))

        let with = RunHarness()
        let retried = try await with.run(
            pools: ["p1", "p2"],
            state: state,
            configuration: RunHarness.configuration { $0.retryFailed = true }
        )
        #expect(with.journal.events.first == .requeued(pool: "p1", operationFailed: false))
        #expect(with.api.checks(of: "p1") == 1 && with.api.clones(of: "p1") == 1)
        #expect(with.api.clones(of: "p2") == 0)
        #expect(retried.cloned == 2 && retried.failed.isEmpty)
        #expect(with.events.first == .started(total: 2, sources: 2, alreadyDone: 1, alreadyFailed: 0, toDo: 1))
    }
}
