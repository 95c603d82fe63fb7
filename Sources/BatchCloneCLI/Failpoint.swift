#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Fault injection for the crash tests: `BATCH_CLONE_FAILPOINT=kill-after-intent:N` makes the
/// process kill itself (SIGKILL) once the N-th clone intent is durable and before its POST leaves;
/// `kill-after-step:N` once the N-th step after a clone (an edit, an open) is durable, before the next.
///
/// Those instants cannot be hit from outside the process; the end-to-end tests use them to prove that
/// such a crash is reconciled or resumed on the next run and never clones or edits twice.
struct Failpoint: Equatable {
    /// The intent after which the process dies, if any.
    var killAfterIntent: Int?
    /// The step after which the process dies, if any.
    var killAfterStep: Int?

    /// nil when the variable is unset or not a failpoint this build knows.
    init?(_ value: String?) {
        guard let value else { return nil }
        if let count = Self.count(value, "kill-after-intent:") {
            killAfterIntent = count
        } else if let count = Self.count(value, "kill-after-step:") {
            killAfterStep = count
        } else {
            return nil
        }
    }

    private static func count(_ value: String, _ prefix: String) -> Int? {
        guard value.hasPrefix(prefix), let count = Int(value.dropFirst(prefix.count)), count > 0 else { return nil }
        return count
    }

    var afterIntentRecorded: (@Sendable (String, Int) -> Void)? {
        guard let target = killAfterIntent else { return nil }
        return { _, sent in
            if sent == target { kill(getpid(), SIGKILL) }
        }
    }

    var afterStepRecorded: (@Sendable (String, Int) -> Void)? {
        guard let target = killAfterStep else { return nil }
        return { _, done in
            if done == target { kill(getpid(), SIGKILL) }
        }
    }
}
