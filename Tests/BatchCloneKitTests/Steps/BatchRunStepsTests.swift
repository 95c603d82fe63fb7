import BatchCloneTestSupport
import Foundation
import JSONValue
import Testing

@testable import BatchCloneKit

/// The steps after the clone through a whole run: edits, opens, resumes, failures, limits.
@Suite struct BatchRunStepsTests {
    static func configuration(sets: [String], open: Bool, retryFailed: Bool = false) throws -> RunConfiguration {
        let options = try sets.map { try SetOption($0) }
        return RunHarness.configuration {
            $0.steps = StepPlan(sets: options, open: open)
            $0.retryFailed = retryFailed
        }
    }

    /// The done state of pool `pool` cloned by operation `op-1` into `new`.
    static func cloned(_ pool: String, new: String, extra: [JournalEvent] = []) -> JournalState {
        .replaying(
            [
                .listed(pool: pool),
                .sending(pool: pool, at: LedgerInstant(epochMilliseconds: TestTime.start - 60_000)),
                .submitted(
                    pool: pool,
                    operationID: "op-1",
                    at: ServerInstant(epochMilliseconds: TestTime.start - 59_000)
                ),
                .done(pool: pool, newPoolID: new, operationID: "op-1"),
            ] + extra
        )
    }

    @Test func aCloneIsEditedWithFilledTemplatesThenOpened() async throws {
        let h = RunHarness()
        h.api.setObject("7", .object([("private_name", .string("Spring"))]))
        let configuration = try Self.configuration(sets: ["private_name={source.private_name} v{copy}"], open: true)
        let summary = try await h.run(pools: ["7"], configuration: configuration)

        let newID = try #require(h.api.serverClones(of: "7").first?.newPoolID)
        #expect(h.api.replaceCalls == [newID] && h.api.openCalls == [newID])
        #expect(h.api.storedObject(newID).value(at: ["private_name"]) == .string("Spring v1"))
        #expect(h.api.storedObject(newID).value(at: ["will_expire"]) == .string("2030-01-01T00:00:00"))
        #expect(
            summary.record(of: WorkItem(source: "7"))?.stepsDone == [
                "set private_name={source.private_name} v{copy}", "open",
            ]
        )
        #expect(summary.failed.isEmpty)
        #expect(h.api.calls.filter { $0 == .object("7") }.count == 1)
        #expect(h.events.contains(.stepDone(item: WorkItem(source: "7"), step: "open", newID: newID)))
        #expect(h.replayedJournal() == .success(summary.state))
    }

    @Test func aResumedItemRunsOnlyTheStepsLeftAndNeverClonesAgain() async throws {
        let h = RunHarness()
        let state = Self.cloned("7", new: "70", extra: [.stepDone(pool: "7", step: "set private_name=x")])
        let summary = try await h.run(
            pools: ["7"],
            state: state,
            configuration: try Self.configuration(sets: ["private_name=x"], open: true)
        )
        #expect(h.api.cloneCalls.isEmpty && h.api.checkCalls.isEmpty)
        #expect(h.api.replaceCalls.isEmpty && h.api.openCalls == ["70"])
        #expect(summary.record(of: WorkItem(source: "7"))?.stepsDone == ["set private_name=x", "open"])
    }

    @Test func aDoneItemWithAllItsStepsIsLeftAloneWhateverTheirValuesResolveToToday() async throws {
        let h = RunHarness()
        let state = Self.cloned("7", new: "70", extra: [.stepDone(pool: "7", step: "set will_expire=+30d")])
        _ = try await h.run(
            pools: ["7"],
            state: state,
            configuration: try Self.configuration(sets: ["will_expire=+30d"], open: false)
        )
        #expect(h.api.calls.isEmpty)
    }

    @Test func aRerunThatAddsOpenOpensTheClonesAlreadyMade() async throws {
        let h = RunHarness()
        _ = try await h.run(
            pools: ["7"],
            state: Self.cloned("7", new: "70"),
            configuration: try Self.configuration(sets: [], open: true)
        )
        #expect(h.api.openCalls == ["70"] && h.api.cloneCalls.isEmpty)
    }

    @Test func aRefusedOpenFailsTheItemWithTheServersReasonAndRetryFailedOpensWithoutCloning() async throws {
        let h = RunHarness()
        let refusal = TolokaError.api(
            status: 409,
            code: "CONFLICT_STATE",
            message: "will_expire is in the past",
            interval: nil,
            retryAfter: nil,
            requestID: "req-9"
        )
        h.api.failObjectCalls("open", "70", with: [refusal])
        let first = try await h.run(
            pools: ["7"],
            state: Self.cloned("7", new: "70"),
            configuration: try Self.configuration(sets: [], open: true)
        )
        let reason = try #require(first.failed.first?.reason)
        #expect(reason.contains("will_expire is in the past") && reason.contains("req-9"))
        #expect(first.record(of: WorkItem(source: "7"))?.phase == .done(newPoolID: "70", operationID: "op-1"))

        // Without --retry-failed the failed step stays failed; with it, it runs again (and only it).
        let again = try await h.run(
            pools: ["7"],
            state: first.state,
            configuration: try Self.configuration(sets: [], open: true)
        )
        #expect(again.failed.count == 1 && h.api.openCalls == ["70"])
        let retried = try await h.run(
            pools: ["7"],
            state: first.state,
            configuration: try Self.configuration(sets: [], open: true, retryFailed: true)
        )
        #expect(retried.failed.isEmpty && h.api.openCalls == ["70", "70"] && h.api.cloneCalls.isEmpty)
    }

    @Test func aSourceLackingATemplatesFieldFailsBeforeItsClone() async throws {
        let h = RunHarness()
        h.api.setObject("7", .object([("private_name", .string("Spring"))]))
        let summary = try await h.run(
            pools: ["7", "8"],
            configuration: try Self.configuration(sets: ["private_name={source.nickname}"], open: false)
        )
        #expect(h.api.clones(of: "7") == 0 && h.api.clones(of: "8") == 0)
        #expect(
            summary.failed.map(\.reason) == [
                "the source has no field 'nickname' for {source.nickname}; not cloned",
                "the source has no field 'nickname' for {source.nickname}; not cloned",
            ]
        )
    }

    @Test func aValueOfTheWrongTypeFailsTheStepNamingTheField() async throws {
        let h = RunHarness()
        let summary = try await h.run(
            pools: ["7"],
            state: Self.cloned("7", new: "70"),
            configuration: try Self.configuration(sets: ["defaults.default_overlap_for_new_tasks=many"], open: true)
        )
        #expect(h.api.replaceCalls.isEmpty && h.api.openCalls.isEmpty)
        let reason = try #require(summary.failed.first?.reason)
        #expect(reason.contains("defaults.default_overlap_for_new_tasks") && reason.contains("number"))
    }

    @Test func a429OnAStepWaitsItsWindowForThatStepOnly() async throws {
        let h = RunHarness()
        let limited = TolokaError.api(
            status: 429,
            code: "TOO_MANY_REQUESTS",
            message: "",
            interval: "MIN",
            retryAfter: nil
        )
        h.api.failObjectCalls("replace", "70", with: [limited])
        let start = h.clock.nowMilliseconds
        let summary = try await h.run(
            pools: ["7"],
            state: Self.cloned("7", new: "70"),
            configuration: try Self.configuration(sets: ["private_name=x"], open: false)
        )
        #expect(summary.failed.isEmpty && h.api.replaceCalls == ["70", "70"])
        #expect(h.clock.nowMilliseconds - start >= 60_000)
    }

    @Test func editsThatSetAnOverlapArePacedAtTheOverlapLimit() async throws {
        let h = RunHarness()
        var configuration = try Self.configuration(sets: ["defaults.default_overlap_for_new_tasks=5"], open: false)
        configuration.overlapLimits = [RateLimit(count: 2, window: .seconds(3600))]
        let start = h.clock.nowMilliseconds
        let summary = try await h.run(
            pools: ["7", "8", "9"],
            state: Self.cloned(["7", "8", "9"]),
            configuration: configuration
        )
        #expect(summary.failed.isEmpty && h.api.replaceCalls == ["70", "80", "90"])
        #expect(h.clock.nowMilliseconds - start >= 3_600_000)
        #expect(StepPlan.changesOverlap([try SetOption("default_overlap_for_new_task_suites=2")]))
        #expect(!StepPlan.changesOverlap([try SetOption("defaults.other=2"), try SetOption("private_name=x")]))
    }

    /// Issue 21: the overlap budget is the account's, so two runs on one state file share it: the
    /// second run's overlap edits wait for the first's window, while its clones go on.
    @Test func runsOnOneStateFileShareTheOverlapBudget() async throws {
        try await TempFolder.with { folder in
            let h = RunHarness()
            let path = folder.file("state.json")
            var configuration = try Self.configuration(sets: ["defaults.default_overlap_for_new_tasks=5"], open: false)
            configuration.overlapLimits = [RateLimit(count: 2, window: .seconds(3600))]
            let start = h.clock.nowMilliseconds
            let first = try await h.run(
                pools: ["7", "8"],
                state: Self.cloned(["7", "8"]),
                configuration: configuration,
                overlapLedger: FileLedgerStore(path: path, log: .overlapEdits)
            )
            #expect(first.failed.isEmpty && h.api.replaceCalls == ["70", "80"])
            #expect(h.clock.nowMilliseconds - start < 60_000)
            // Another process: a store of its own on the same file, a journal of its own.
            let second = try await h.run(
                pools: ["9", "11"],
                state: Self.cloned(["9"]),
                configuration: configuration,
                overlapLedger: FileLedgerStore(path: path, log: .overlapEdits)
            )
            #expect(second.failed.isEmpty && h.api.replaceCalls.count == 4)
            let edits = try FileLedgerStore(path: path, log: .overlapEdits).peek()
            #expect(edits.pending.count == 4 && edits.pending.map(\.source).sorted() == h.api.replaceCalls.sorted())
            #expect(edits.sends[2] - edits.sends[0] >= 3_600_000)
            #expect(h.clock.nowMilliseconds - start >= 3_600_000)
            // The clone of 11 was not held back by the overlap wait.
            #expect(h.sendingTimes(of: "11").allSatisfy { $0 - start < 60_000 } && !h.sendingTimes(of: "11").isEmpty)
            // The clones' log counts no edit.
            #expect(try h.store.read().sends.count == 1)
        }
    }

    /// A 429 on an overlap edit says the account's overlap budget is spent: every overlap edit of
    /// the run waits the window, and the shared overlap log is blocked for other runs.
    @Test func a429OnAnOverlapEditHoldsEveryOverlapEditAndBlocksTheSharedLog() async throws {
        let h = RunHarness()
        let limited = TolokaError.api(
            status: 429,
            code: "TOO_MANY_REQUESTS",
            message: "",
            interval: "HOUR",
            retryAfter: nil
        )
        h.api.failObjectCalls("replace", "70", with: [limited])
        let overlaps = InMemoryLedgerStore(ledgerLog: .overlapEdits)
        let start = h.clock.nowMilliseconds
        let configuration = try Self.configuration(sets: ["defaults.default_overlap_for_new_tasks=5"], open: false)
        // Stopped within the hour, before a slot taken after the block would prune it.
        let run = h.makeRun(
            pools: ["7", "8"],
            state: Self.cloned(["7", "8"]),
            configuration: configuration,
            overlapLedger: overlaps
        )
        _ = await h.runWatched(run, patience: 1_800_000)
        #expect(h.api.replaceCalls == ["70"])
        let blocked = try #require(try overlaps.read().blockedUntil)
        #expect(blocked - start >= 3_600_000 && blocked - start < 3_660_000)
        let resumed = try await h.run(
            pools: ["7", "8"],
            state: Self.cloned(["7", "8"]),
            configuration: configuration,
            overlapLedger: overlaps
        )
        #expect(resumed.failed.isEmpty && h.api.replaceCalls == ["70", "70", "80"])
        #expect(h.clock.nowMilliseconds - start >= 3_600_000)
    }

    /// The done state of each of `pools` cloned into `<pool>0`.
    static func cloned(_ pools: [String]) -> JournalState {
        var events: [JournalEvent] = []
        for (index, pool) in pools.enumerated() {
            events += [
                .listed(pool: pool),
                .sending(pool: pool, at: LedgerInstant(epochMilliseconds: TestTime.start - 60_000)),
                .submitted(
                    pool: pool,
                    operationID: "op-\(index)",
                    at: ServerInstant(epochMilliseconds: TestTime.start - 59_000)
                ),
                .done(pool: pool, newPoolID: "\(pool)0", operationID: "op-\(index)"),
            ]
        }
        return .replaying(events)
    }

    @Test func stepEventsReplayAndOldJournalLinesStillParse() throws {
        let events: [JournalEvent] = [
            .stepDone(pool: "7", step: "set a={date}"), .stepFailed(pool: "7", step: "open", reason: "no"),
        ]
        for event in events {
            #expect(JournalEvent(jsonLine: event.jsonLine()) == event)
        }
        #expect(
            JournalEvent(jsonLine: Array(#"{"event":"done","pool":"7","operation":"o","new_pool":"70"}"#.utf8).data)
                != nil
        )
        var state = JournalState.replaying([.listed(pool: "7")])
        #expect(state.apply(.stepDone(pool: "7", step: "open")) != nil)
    }

    @Test func theResultsSayWhichStepsAreDone() {
        let state = Self.cloned(
            "7",
            new: "70",
            extra: [.stepDone(pool: "7", step: "set a=1"), .stepDone(pool: "7", step: "open")]
        )
        let text = ResultsFile.render(items: [WorkItem(source: "7")], state: state)
        #expect(
            text
                == "source_pool_id,new_pool_id,operation_id,status,error,target,copy,steps\n7,70,op-1,cloned,,pool,1,edited;opened\n"
        )
        let failed = Self.cloned("7", new: "70", extra: [.stepFailed(pool: "7", step: "open", reason: "HTTP 409")])
        #expect(
            ResultsFile.render(items: [WorkItem(source: "7")], state: failed).hasSuffix(
                "7,70,op-1,step failed,open: HTTP 409,pool,1,\n"
            )
        )
    }
}

extension Array where Element == UInt8 {
    fileprivate var data: Data { Data(self) }
}
