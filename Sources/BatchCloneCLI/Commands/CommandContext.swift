import BatchCloneKit

/// The process around a command: environment, outputs, clock and signals (tests substitute them).
struct CommandContext: Sendable {
    var environment: [String: String]
    var errorOutput: any TextOutput
    var standardOutput: any TextOutput
    var clock: any BatchClock
    var interrupts: InterruptSource
}
