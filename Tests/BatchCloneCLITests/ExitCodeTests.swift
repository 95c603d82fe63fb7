import ArgumentParsing
import BatchCloneKit
import BatchCloneTestSupport
import Foundation
import Testing

@testable import BatchCloneCLI

@Suite struct ExitCodeTests {
    @Test func everyFailureMapsToItsDocumentedCode() {
        #expect(CLIError(ArgumentError.missingArgument("pools.csv")).exitCode == .usage)
        #expect(CLIError.missingToken.exitCode == .usage)
        #expect(CLIError(PoolListError.csv(.fileNotFound(path: "p.csv"))).exitCode == .noInput)
        #expect(CLIError(PoolListError.malformedRows([], path: "p.csv")).exitCode == .dataError)
        #expect(CLIError(StorageError.corrupt(path: "s", reason: "r")).exitCode == .dataError)
        #expect(CLIError(StorageError.locked(path: "j")).exitCode == .tryLater)
        #expect(CLIError(StorageError.unwritable(path: "j", reason: "r")).exitCode == .ioError)
        #expect(CLIError(RunError.authentication("401")).exitCode == .noPermission)
        #expect(CLIError(RunError.accessDenied("403")).exitCode == .noPermission)
        #expect(CLIError(RunError.serviceUnavailable("503")).exitCode == .unavailable)
        #expect(CLIError(RunError.internalError("pool 1 cannot move from done to failed")).exitCode == .software)
        #expect(CLIError(CancellationError()).exitCode == .software)
    }

    @Test func theSummaryDecidesTheCodeOfAFinishedRun() {
        var state = JournalState()
        _ = state.apply(.listed(pool: "1"))
        _ = state.apply(.listed(pool: "2"))
        var summary = RunSummary(state: state, items: ["1", "2"], clonedNow: 0, clonesSent: 0, stop: nil)
        #expect(ExitCode.of(summary) == .poolsFailed, "unsettled pools are not a success")
        for pool in ["1", "2"] {
            _ = summary.state.apply(.sending(pool: pool, at: LedgerInstant(epochMilliseconds: 0)))
            _ = summary.state.apply(
                .submitted(pool: pool, operationID: "op\(pool)", at: ServerInstant(epochMilliseconds: 0))
            )
            _ = summary.state.apply(.done(pool: pool, newPoolID: "n\(pool)", operationID: "op\(pool)"))
        }
        #expect(ExitCode.of(summary) == .success)
        summary.stop = .limit(resumeAt: LocalInstant(epochMilliseconds: 5))
        #expect(ExitCode.of(summary) == .tryLater)
        summary.stop = .interrupted
        #expect(ExitCode.of(summary) == .interrupted)
        let unwritable = CLIError(StorageError.unwritable(path: "r.csv", reason: "r"))
        #expect(ExitCode.of(summary, failure: unwritable) == .ioError, "an error decides before the summary")
    }

    @Test func codesAreTheDocumentedNumbers() {
        #expect(ExitCode.allCases.map(\.rawValue) == [0, 1, 64, 65, 66, 69, 70, 74, 75, 77, 130])
    }
}
