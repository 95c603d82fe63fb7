import BatchCloneKit
import BatchCloneTestSupport
import Foundation
import Testing

@testable import BatchCloneCLI

@Suite struct PrintableOutputTests {
    private static let controls: Set<UInt32> = Set(Array(0x00...0x1F).filter { $0 != 0x0A } + Array(0x7F...0x9F))

    private func hasControl(_ text: String) -> Bool {
        text.unicodeScalars.contains { Self.controls.contains($0.value) }
    }

    @Test func serverTextNeverDrivesTheTerminal() {
        let output = CapturedOutput()
        let json = CapturedOutput()
        let reporter = ProgressReporter(
            errorOutput: output,
            jsonOutput: json,
            clock: FixedClock(now: Date(epochMilliseconds: 1_780_000_000_000))
        )
        let title = "op\u{1B}]0;owned\u{07}\u{1B}[2J\u{9B}31m\u{7F}"
        reporter.handle(.submitted(item: "1", operationID: title))
        reporter.handle(.cloned(item: "1", newPoolID: "=2\u{1B}[H", operationID: title))
        reporter.handle(.warning("server says \u{1B}[5mhi\r"))
        #expect(!hasControl(output.text), "\(output.text.debugDescription)")
        #expect(output.text.contains("operation op\\u{1b}]0;owned\\u{7}\\u{1b}[2J\\u{9b}31m\\u{7f})"))
        #expect(!hasControl(json.text))
        #expect(json.text.contains(#""operation_id":"op\u001b]0;owned\u0007\u001b[2J\u009b31m\u007f""#))
    }

    @Test func errorMessagesAreEscapedButKeepTheirLines() async {
        let errors = CapturedOutput()
        let code = await BatchCloneCommand.run(
            ["p.csv", "--max-wait", "\u{1B}]0;x\u{07}"],
            context: CommandContext(
                environment: [:],
                errorOutput: errors,
                standardOutput: CapturedOutput(),
                clock: FixedClock(now: Date(epochMilliseconds: 0)),
                interrupts: InterruptSource()
            )
        )
        #expect(code == .usage)
        #expect(!hasControl(errors.text))
        #expect(errors.text.hasSuffix("\n"))
    }
}
