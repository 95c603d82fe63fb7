import BatchCloneKit
import Foundation
import Testing

@testable import BatchCloneCLI

@Suite struct CIReportsTests {
    static let noon: Int64 = 1_796_040_000_000  // 2026-11-30T12:00:00Z

    /// A batch of four: one cloned, one failed (with markup and a control character), one unconfirmed, one pending.
    static func summary(
        failures: Int = 1,
        stop: RunSummary.Stop? = .limit(resumeAt: LocalInstant(epochMilliseconds: noon + 60_000))
    ) -> RunSummary {
        var state = JournalState()
        var pools = ["p<1>", "2", "3"]
        pools += (0..<failures).map { "f\($0)" }
        for pool in pools { _ = state.apply(.listed(pool: pool)) }
        _ = state.apply(.sending(pool: "p<1>", at: LedgerInstant(epochMilliseconds: noon)))
        _ = state.apply(.submitted(pool: "p<1>", operationID: "op-1", at: ServerInstant(epochMilliseconds: noon)))
        _ = state.apply(.done(pool: "p<1>", newPoolID: "9&9", operationID: "op-1"))
        _ = state.apply(.sending(pool: "2", at: LedgerInstant(epochMilliseconds: noon)))
        for index in 0..<failures {
            _ = state.apply(
                .failed(pool: "f\(index)", reason: "pool \"f\(index)\" | does not exist\u{01}\n", operationID: nil)
            )
        }
        return RunSummary(
            state: state,
            items: pools.map { WorkItem(source: $0) },
            clonedNow: 1,
            clonesSent: 2,
            stop: stop
        )
    }

    @Test func aCloneWhoseStepFailedIsAJUnitFailureNamingTheStep() {
        var state = JournalState()
        for event: JournalEvent in [
            .listed(pool: "7"), .sending(pool: "7", at: LedgerInstant(epochMilliseconds: Self.noon)),
            .submitted(pool: "7", operationID: "op", at: ServerInstant(epochMilliseconds: Self.noon)),
            .done(pool: "7", newPoolID: "70", operationID: "op"),
            .stepFailed(pool: "7", step: "open", reason: "HTTP 409"),
        ] {
            _ = state.apply(event)
        }
        let summary = RunSummary(state: state, items: [WorkItem(source: "7")], clonedNow: 1, clonesSent: 1, stop: nil)
        let xml = JUnitReport(summary: summary, name: "p.csv").render()
        #expect(xml.contains(#"tests="1" failures="1" errors="0" skipped="0""#))
        #expect(xml.contains(#"<failure message="cloned to pool 70, then open: HTTP 409" type="step failed">"#))
    }

    @Test func junitHasOneCasePerPoolWithEscapedText() {
        let xml = JUnitReport(summary: Self.summary(), name: "a&b.csv").render()
        #expect(xml.contains(#"<testsuites name="batch-clone" tests="4" failures="1" errors="0" skipped="2">"#))
        #expect(xml.contains(#"<testsuite name="a&amp;b.csv" tests="4""#))
        #expect(
            xml.contains(
                #"<testcase classname="batch-clone" name="pool p&lt;1&gt;">"# + "\n"
                    + "      <system-out>cloned to pool 9&amp;9 (operation op-1)</system-out>"
            )
        )
        #expect(xml.contains(#"<failure message="pool &quot;f0&quot; | does not exist&#10;" type="failed">"#))
        #expect(!xml.unicodeScalars.contains("\u{01}"), "XML 1.0 forbids U+0001 even escaped")
        #expect(xml.contains(#"<skipped message="unconfirmed: the answer to its clone request was lost"#))
        #expect(xml.contains(#"<skipped message="pending: the clone quota is used up until 2026-11-30 12:01:00 UTC"#))
    }

    @Test func xmlEscapingKeepsOnlyCharactersXML10Allows() {
        #expect(JUnitReport.escape("a\u{0}b\u{1B}c\u{FFFE}d\tü😀") == "abcd&#9;ü😀")
        #expect(JUnitReport.escape(#"<&>"'"#) == "&lt;&amp;&gt;&quot;&apos;")
    }

    @Test func theStepSummaryHasCountsQuotaResumeTimeAndFailedPools() {
        let ledger = RateLimitLedger(
            limits: RateLimit.tolokaCloneDefaults,
            log: SendLog(sendInstants: Array(repeating: LedgerInstant(epochMilliseconds: Self.noon), count: 2))
        )
        let markdown = StepSummary(
            summary: Self.summary(),
            name: "pools.csv",
            exitCode: .tryLater,
            limits: ledger.status(now: LedgerInstant(epochMilliseconds: Self.noon))
        ).render()
        #expect(markdown.hasPrefix("### batch-clone: pools.csv\n"))
        #expect(markdown.contains("| 4 | 1 | 1 | 1 | 2 | 75 |\n"))
        #expect(markdown.contains("Quota left: 18 of 20/1m, 98 of 100/1d.\n"))
        #expect(markdown.contains("used up until **2026-11-30 12:01:00 UTC**"))
        #expect(markdown.contains(#"| f0 | pool "f0" \| does not exist"#))
        #expect(!markdown.contains("more (see the results CSV)"))
    }

    @Test func theFailedTableIsCapped() {
        let markdown = StepSummary(
            summary: Self.summary(failures: 23, stop: nil),
            name: "p.csv",
            exitCode: .poolsFailed,
            limits: nil
        )
        .render()
        #expect(markdown.components(separatedBy: "| does not exist").count - 1 == 20)
        #expect(markdown.contains("\n... and 3 more (see the results CSV)\n"))
        #expect(!markdown.contains("Quota left"))
    }

    @Test func colourFollowsTheFlagTheTerminalAndNoColor() throws {
        func uses(_ color: String?, terminal: Bool, _ environment: [String: String] = [:]) throws -> Bool {
            let values = color.map { ["color": [$0]] } ?? [:]
            return try ReportOptions(.init(values: values), environment: [:]).usesColor(
                terminal: terminal,
                environment: environment
            )
        }
        #expect(try uses(nil, terminal: true))
        #expect(try !uses(nil, terminal: false))
        #expect(try !uses("auto", terminal: true, ["NO_COLOR": "1"]))
        #expect(try uses("auto", terminal: true, ["NO_COLOR": ""]))
        #expect(try uses("always", terminal: false, ["NO_COLOR": "1"]))
        #expect(try !uses("never", terminal: true))
        #expect(throws: (any Error).self) { try uses("sometimes", terminal: true) }
    }
}
