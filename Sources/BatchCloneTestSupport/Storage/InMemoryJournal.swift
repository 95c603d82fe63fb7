import BatchCloneKit
import Synchronization

/// A journal that keeps its events in memory, for tests: nothing is checked, so a test can read back
/// exactly what a run appended, in order, and what a power loss would have kept.
public final class InMemoryJournal: JournalWriter {
    private struct Contents {
        var events: [JournalEvent] = []
        /// How many of `events` a `.synced` append has put on disk.
        var synced = 0
        var appends = 0
    }

    /// Thrown by the append a crash stops.
    public struct Crash: Error {}

    private let storage = Mutex(Contents())
    private let crashAt: Int?

    /// An empty journal; when `crashingAtAppend` is given, that append (0-based) and every one after
    /// it throws `Crash` and writes nothing, as a process killed there would.
    public init(crashingAtAppend crashAt: Int? = nil) {
        self.crashAt = crashAt
    }

    /// Everything appended so far, in order.
    public var events: [JournalEvent] { storage.withLock { $0.events } }

    /// The events a power loss now would keep: those up to the last synced append.
    public var syncedEvents: [JournalEvent] { storage.withLock { Array($0.events.prefix($0.synced)) } }

    /// The appends made so far (those a crash stopped excluded).
    public var appendCount: Int { storage.withLock { $0.appends } }

    public func append(_ events: [JournalEvent], durability: JournalDurability) throws {
        try storage.withLock { contents in
            if let crashAt, contents.appends >= crashAt { throw Crash() }
            contents.appends += 1
            contents.events.append(contentsOf: events)
            if durability == .synced { contents.synced = contents.events.count }
        }
    }
}
