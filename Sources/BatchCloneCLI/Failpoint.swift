#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Fault injection for the crash tests: `BATCH_CLONE_FAILPOINT=kill-after-intent:N` makes the
/// process kill itself (SIGKILL) once the N-th clone intent is durable and before its POST leaves.
///
/// That instant cannot be hit from outside the process; the end-to-end tests use it to prove that
/// such a crash is reconciled on the next run and never clones a pool twice.
struct Failpoint: Equatable {
    /// The intent after which the process dies.
    let killAfterIntent: Int

    /// nil when the variable is unset or not a failpoint this build knows.
    init?(_ value: String?) {
        guard let value, value.hasPrefix("kill-after-intent:"),
            let count = Int(value.dropFirst("kill-after-intent:".count)), count > 0
        else { return nil }
        killAfterIntent = count
    }

    var afterIntentRecorded: @Sendable (String, Int) -> Void {
        let target = killAfterIntent
        return { _, sent in
            if sent == target { kill(getpid(), SIGKILL) }
        }
    }
}
