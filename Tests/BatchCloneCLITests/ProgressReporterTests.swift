import BatchCloneKit
import BatchCloneTestSupport
import Foundation
import Synchronization
import Testing

@testable import BatchCloneCLI

struct FixedClock: BatchClock {
    var now: Date
    func sleep(until deadline: Date) async throws {}
}

final class TerminalOutput: TextOutput {
    private let buffer = Mutex("")
    let isTerminal = true
    var text: String { buffer.withLock { $0 } }
    func write(_ text: String) { buffer.withLock { $0 += text } }
}

@Suite struct ProgressReporterTests {
    static let noon: Int64 = 1_796_040_000_000  // 2026-11-30T12:00:00Z
    /// Noon on the ledger's clock (a file ledger's: ours).
    static let ledgerNoon = LedgerInstant(epochMilliseconds: noon)

    @Test func relativeTimesShowTheDateOnlyWhenItIsNotToday() {
        #expect(ProgressReporter.relative(Self.noon + 64_000, now: Self.noon) == "12:01:04 (in 1m4s)")
        #expect(ProgressReporter.relative(Self.noon + 86_400_000, now: Self.noon) == "2026-12-01 12:00:00 (in 1d0h)")
        #expect(ProgressReporter.relative(Self.noon - 5_000, now: Self.noon) == "11:59:55 (in 0s)")
    }

    @Test func theStatusLineHasCountsQuotaNextSlotAndEta() {
        let ledger = RateLimitLedger(
            limits: RateLimit.tolokaCloneDefaults,
            log: SendLog(sendInstants: Array(repeating: Self.ledgerNoon.advanced(byMilliseconds: -1000), count: 20))
        )
        let progress = RunProgress(
            total: 30,
            cloned: 12,
            failed: 1,
            inFlight: 7,
            limits: ledger.status(now: Self.ledgerNoon),
            nextSlot: ledger.earliestSend(now: Self.ledgerNoon).sameClockLocal,
            lastSend: ledger.projectedSends(count: 10, now: Self.ledgerNoon).last?.sameClockLocal
        )
        let line = ProgressReporter.statusLine(progress, now: Self.noon)
        #expect(
            line
                == "12/30 cloned, 1 failed, 7 running | left: 0 of 20/1m, 80 of 100/1d | next slot 12:01:00 (in 1m0s) | ETA 12:01:00 (in 1m0s)"
        )
    }

    /// A snapshot with the counts given, an unused limit of 20 a minute, the next slot now.
    static func snapshot(cloned: Int, total: Int, edited: Int?, opened: Int?) -> RunProgress {
        let ledger = RateLimitLedger(limits: [RateLimit(count: 20, window: .seconds(60))])
        return RunProgress(
            total: total,
            cloned: cloned,
            failed: 0,
            inFlight: 1,
            limits: ledger.status(now: ledgerNoon),
            nextSlot: LocalInstant(epochMilliseconds: noon),
            lastSend: nil,
            edited: edited,
            opened: opened
        )
    }

    @Test func theStatusLineNamesOnlyTheStepsTheRunHas() {
        let line = { (edited: Int?, opened: Int?) in
            ProgressReporter.statusLine(
                Self.snapshot(cloned: 12, total: 30, edited: edited, opened: opened),
                now: Self.noon
            )
        }
        #expect(
            line(9, 7) == "12/30 cloned, 9 edited, 7 opened, 0 failed, 1 running | left: 20 of 20/1m | next slot now"
        )
        #expect(line(9, nil) == "12/30 cloned, 9 edited, 0 failed, 1 running | left: 20 of 20/1m | next slot now")
        #expect(line(nil, 7) == "12/30 cloned, 7 opened, 0 failed, 1 running | left: 20 of 20/1m | next slot now")
        #expect(line(nil, nil) == "12/30 cloned, 0 failed, 1 running | left: 20 of 20/1m | next slot now")
    }

    @Test func stepCountsKeepTheLiveLineCurrentBetweenSnapshots() {
        let output = TerminalOutput()
        let reporter = ProgressReporter(
            errorOutput: output,
            jsonOutput: nil,
            clock: FixedClock(now: Date(epochMilliseconds: Self.noon))
        )
        reporter.handle(.started(total: 2, sources: 2, alreadyDone: 0, alreadyFailed: 0, toDo: 2))
        reporter.handle(.progress(Self.snapshot(cloned: 0, total: 2, edited: 0, opened: 0)))
        reporter.handle(.cloned(item: "1", newPoolID: "9", operationID: "op"))
        reporter.handle(.stepDone(item: "1", step: "set private_name=x", newID: "9"))
        reporter.handle(.stepsCounted(edited: 1, opened: 0))
        #expect(
            output.text.contains(ProgressReporter.clearLine + "1/2 cloned, 1 edited, 0 opened, 0 failed, 0 running | ")
        )
        reporter.handle(.stepDone(item: "1", step: "open", newID: "9"))
        reporter.handle(.stepsCounted(edited: 1, opened: 1))
        #expect(
            output.text.hasSuffix(
                "1/2 cloned, 1 edited, 1 opened, 0 failed, 0 running | left: 20 of 20/1m | next slot now"
            )
        )
    }

    @Test func stepCountsAddNoPartTheRunDoesNotHave() {
        let output = TerminalOutput()
        let reporter = ProgressReporter(
            errorOutput: output,
            jsonOutput: nil,
            clock: FixedClock(now: Date(epochMilliseconds: Self.noon))
        )
        reporter.handle(.progress(Self.snapshot(cloned: 1, total: 2, edited: nil, opened: 0)))
        reporter.handle(.stepsCounted(edited: 0, opened: 1))
        #expect(
            output.text.hasSuffix(
                ProgressReporter.clearLine
                    + "1/2 cloned, 1 opened, 0 failed, 1 running | left: 20 of 20/1m | next slot now"
            )
        )
    }

    @Test func theEtaIncludesDailyWindowWaits() {
        let ledger = RateLimitLedger(limits: RateLimit.tolokaCloneDefaults, margin: .zero)
        let last = ledger.projectedSends(count: 250, now: Self.ledgerNoon).last!.epochMilliseconds
        // 100 go on the first day, 100 a day later, the last 50 two days later (20 per minute each time).
        #expect(last == Self.noon + 2 * 86_400_000 + 2 * 60_000)
        #expect(ProgressReporter.relative(last, now: Self.noon) == "2026-12-02 12:02:00 (in 2d0h)")
    }

    @Test func onATerminalEventLinesScrollAboveTheLiveLine() {
        let output = TerminalOutput()
        let reporter = ProgressReporter(
            errorOutput: output,
            jsonOutput: nil,
            clock: FixedClock(now: Date(epochMilliseconds: Self.noon))
        )
        let ledger = RateLimitLedger(limits: [RateLimit(count: 20, window: .seconds(60))])
        reporter.handle(.started(total: 2, sources: 2, alreadyDone: 0, alreadyFailed: 0, toDo: 2))
        reporter.handle(
            .progress(
                RunProgress(
                    total: 2,
                    cloned: 0,
                    failed: 0,
                    inFlight: 1,
                    limits: ledger.status(now: Self.ledgerNoon),
                    nextSlot: LocalInstant(epochMilliseconds: Self.noon),
                    lastSend: nil
                )
            )
        )
        reporter.handle(.cloned(item: "1", newPoolID: "9", operationID: "op"))
        reporter.finish()
        let clear = ProgressReporter.clearLine
        #expect(output.text.hasPrefix(clear + "[12:00:00] 2 pools: 0 already cloned, 0 failed earlier, 2 to do\n"))
        #expect(output.text.contains(clear + "0/2 cloned, 0 failed, 1 running | left: 20 of 20/1m | next slot now"))
        #expect(output.text.contains(clear + "[12:00:00] pool 1 -> 9 cloned (1/2)\n1/2 cloned, 0 failed, 0 running"))
        #expect(output.text.hasSuffix(clear))
    }

    @Test func withoutATerminalThereAreOnlyTimestampedLines() {
        let output = CapturedOutput()
        let json = CapturedOutput()
        let reporter = ProgressReporter(
            errorOutput: output,
            jsonOutput: json,
            clock: FixedClock(now: Date(epochMilliseconds: Self.noon))
        )
        reporter.handle(
            .progress(
                RunProgress(
                    total: 1,
                    cloned: 0,
                    failed: 0,
                    inFlight: 0,
                    limits: [],
                    nextSlot: LocalInstant(epochMilliseconds: Self.noon),
                    lastSend: nil
                )
            )
        )
        reporter.handle(.failed(item: "7", failure: .doesNotExist(pool: "7", on: .clone, error: .transport("gone"))))
        #expect(
            output.text
                == "[12:00:00] pool 7 failed: pool 7 does not exist (404 on clone): no answer from the server: gone\n"
        )
        #expect(
            json.text
                == #"{"copy":1,"event":"failed","pool_id":"7","reason":"pool 7 does not exist (404 on clone): no answer from the server: gone","target":"pool","time":"2026-11-30T12:00:00.000Z"}"#
                + "\n"
        )
    }

    @Test func jsonStringsAreEscapedAndUnknownFieldsAreNull() {
        let output = CapturedOutput()
        let reporter = ProgressReporter(
            errorOutput: CapturedOutput(),
            jsonOutput: output,
            clock: FixedClock(now: Date(epochMilliseconds: Self.noon))
        )
        reporter.handle(.warning("a\"b\\c\nd\u{01}é/f"))
        reporter.handle(.reconciled(item: "3", operationID: nil))
        reporter.handle(
            .rateLimited(
                item: "4",
                block: ServerBlock(
                    interval: nil,
                    limit: nil,
                    window: .seconds(3600),
                    until: LocalInstant(epochMilliseconds: Self.noon),
                    reason: .known
                )
            )
        )
        let time = "2026-11-30T12:00:00.000Z"
        #expect(
            output.text.split(separator: "\n").map(String.init) == [
                #"{"event":"warning","message":"a\"b\\c\nd\u0001é/f","time":""# + time + #""}"#,
                #"{"copy":1,"event":"reconciled","operation_id":null,"pool_id":"3","target":"pool","time":""# + time
                    + #""}"#,
                #"{"copy":1,"event":"rate_limited","interval":null,"limit":null,"pool_id":"4","#
                    + #""reason":"until the ledger and the account's list leave a slot in it","target":"pool","time":""#
                    + time
                    + #"","until":""# + time + #""}"#,
            ]
        )
    }
}
