import BatchCloneTestSupport
import Testing

@testable import BatchCloneKit

/// The journal syncs only intents (`JournalDurability`): a power loss at any moment keeps the
/// events up to the last intent and maybe some after, and the next run must still clone every pool
/// exactly once.
@Suite struct BatchRunPowerLossTests {
    static let pools = ["A", "B", "C", "D", "E"]

    /// The same server for every trial: a lost answer, a failed operation, slow and prompt ones.
    static func script(_ api: FakeTolokaAPI) {
        api.scriptClones("B", [.lostAfterCommit(polls: 2)])
        api.scriptClones("C", [.accept(polls: 1, fails: true), .accept(polls: 3)])
        api.scriptClones("D", [.accept(polls: 4)])
    }

    /// Runs until the append `crashAt` stops the process; returns its harness.
    static func crashed(at crashAt: Int?) async -> RunHarness {
        let first = RunHarness(journal: InMemoryJournal(crashingAtAppend: crashAt))
        script(first.api)
        _ = try? await first.run(pools: pools)
        return first
    }

    @Test func aPowerLossAfterAnyAppendStillClonesEveryPoolExactlyOnce() async throws {
        let reference = await Self.crashed(at: nil)
        let appends = reference.journal.appendCount
        // The trial is worth running only if outcomes were left unsynced between intents.
        #expect(reference.journal.syncedEvents.count < reference.journal.events.count)
        #expect(appends >= 15)

        var trials = 0
        for crashAt in 0...appends {
            // The disk keeps every synced event and any prefix of those only written after them.
            var unsyncedKept = 0
            while true {
                let first = await Self.crashed(at: crashAt)
                let kept = first.journal.syncedEvents.count + unsyncedKept
                guard kept <= first.journal.events.count else { break }
                unsyncedKept += 1
                let resumed = RunHarness(after: first)
                let summary = try await resumed.run(
                    pools: Self.pools,
                    state: .replaying(Array(first.journal.events.prefix(kept)))
                )
                trials += 1
                for pool in Self.pools {
                    let succeeded = resumed.api.serverClones(of: pool).filter { !$0.fails }
                    #expect(succeeded.count == 1, "pool \(pool), crash at append \(crashAt), \(kept) events kept")
                    let operation = succeeded.first?.id ?? ""
                    #expect(
                        summary.state[pool]?.phase
                            == .done(newPoolID: "new-\(pool)-\(operation)", operationID: operation),
                        "pool \(pool), crash at append \(crashAt), \(kept) events kept"
                    )
                }
            }
        }
        // Some trials lost written events: more than one per crash point.
        #expect(trials > appends + 1)
    }

    @Test func onlyAnAppendWithAnIntentIsSynced() {
        let intent = JournalEvent.sending(pool: "A", at: LedgerInstant(epochMilliseconds: 1))
        let outcomes: [JournalEvent] = [
            .listed(pool: "A"),
            .submitted(pool: "A", operationID: "op", at: ServerInstant(epochMilliseconds: 2)),
            .done(pool: "A", newPoolID: "n", operationID: "op"),
            .failed(pool: "A", reason: "r", operationID: nil, cloneMayExist: true),
            .requeued(pool: "A", operationFailed: true),
            .stepDone(pool: "A", step: "open"),
            .stepFailed(pool: "A", step: "open", reason: "r"),
        ]
        #expect(JournalDurability(for: outcomes) == .written)
        #expect(JournalDurability(for: [intent]) == .synced)
        #expect(JournalDurability(for: outcomes + [intent]) == .synced)
        #expect(JournalDurability(for: []) == .written)
    }
}
