/// The state of every work item of a run, one `ItemState` each, with the indexes the run reads
/// (the send queue, the followed operations, the lost answers) kept by the one place that moves items.
///
/// Every move is checked against `ItemState.allows(_:)`: an impossible one throws and changes nothing.
/// One clone of a source is out at a time: the server locks a template while its clone runs (409
/// `POOL_LOCKED_BY_ANOTHER_OPERATION`), so another copy waits aside, never in front of other sources.
struct WorkItemTable: Sendable {
    /// What the server locks while a clone of it runs.
    private struct Source: Hashable, Sendable {
        var target: CloneTarget
        var id: String

        init(_ item: WorkItem) {
            target = item.target
            id = item.source
        }
    }

    /// The run's items, in CSV order.
    let items: [WorkItem]
    private var states: [WorkItem: ItemState] = [:]
    private var queue = ItemQueue()
    /// Sources with a clone out (an item sending, in flight, unsettled or unfinished), by how many.
    private var busy: [Source: Int] = [:]
    /// Queued items passed over while their source was busy, in queue order; back to the front of
    /// the queue once it is free.
    private var parked: [Source: [WorkItem]] = [:]
    private var parkedCount = 0
    /// The item the send pipeline works on.
    private(set) var current: WorkItem?
    private(set) var inFlight: Set<WorkItem> = []
    private(set) var unsettled: Set<WorkItem> = []
    private(set) var done = 0
    private(set) var failed = 0
    private(set) var unfinished = 0
    /// Cloned items whose steps after the clone are left.
    private(set) var stepping: Set<WorkItem> = []

    /// A table over `items` (distinct), each in the stage `initial` gives it; queued ones in order.
    init(items: [WorkItem], initial: (WorkItem) -> ItemState) {
        self.items = items
        for item in items {
            let state = initial(item)
            states[item] = state
            index(item, state, front: false)
        }
    }

    subscript(item: WorkItem) -> ItemState? { states[item] }

    /// Queued items, those waiting for their source included.
    var queuedCount: Int { queue.count + parkedCount }

    /// The next `count` queued items whose source was free when last seen, in order.
    func queued(prefix count: Int) -> [WorkItem] { queue.prefix(count) }

    /// Whether a clone of `item`'s source is out (sending, in flight, unsettled or unfinished).
    func sourceIsBusy(_ item: WorkItem) -> Bool { busy[Source(item)] != nil }

    /// Takes the next queued item whose source is free as the current one; items of busy sources are
    /// set aside on the way, so they hold no other source back. Nil when none can go.
    mutating func takeNext() throws(InternalError) -> WorkItem? {
        guard current == nil else {
            throw .illegalMove(current!, from: "current", to: "current (a second one)")
        }
        while let item = queue.popFirst() {
            guard case .queued(let pending) = states[item] else {
                throw .illegalMove(item, from: states[item]?.stage ?? "unknown", to: "current (from the queue)")
            }
            if busy[Source(item)] != nil {
                parked[Source(item), default: []].append(item)
                parkedCount += 1
                continue
            }
            states[item] = .current(pending)
            current = item
            return item
        }
        return nil
    }

    /// Moves `item` to `next`; an item entering the queue goes to its front when `front`.
    mutating func move(_ item: WorkItem, to next: ItemState, front: Bool = false) throws(InternalError) {
        guard let state = states[item] else {
            throw .illegalMove(item, from: "not in the run", to: next.stage)
        }
        guard state.allows(next) else { throw .illegalMove(item, from: state.stage, to: next.stage) }
        if next.holdsSource && !state.holdsSource && busy[Source(item)] != nil {
            throw .illegalMove(item, from: state.stage, to: "\(next.stage) while another copy of its source is out")
        }
        unindex(item, state)
        states[item] = next
        // Freed, the source's waiting copies go first; the item itself, requeued at the front, before them.
        if state.holdsSource && !next.holdsSource { release(Source(item)) }
        if !(state.isQueued && next.isQueued) { index(item, next, front: front) }
    }

    /// Puts the copies set aside for `source` back at the front of the queue, in their order.
    private mutating func release(_ source: Source) {
        guard busy[source] == nil, let waiting = parked.removeValue(forKey: source) else { return }
        parkedCount -= waiting.count
        for item in waiting.reversed() { queue.pushFront(item) }
    }

    private mutating func index(_ item: WorkItem, _ state: ItemState, front: Bool) {
        if state.holdsSource { busy[Source(item), default: 0] += 1 }
        switch state {
        case .queued: front ? queue.pushFront(item) : queue.append(item)
        case .current: current = item
        case .sending: break
        case .inFlight: inFlight.insert(item)
        case .unsettled: unsettled.insert(item)
        case .unfinished: unfinished += 1
        case .done: done += 1
        case .failed: failed += 1
        case .stepping: stepping.insert(item)
        }
    }

    /// Queued items leave the queue only through `takeNext` (the only move out of `.queued`).
    private mutating func unindex(_ item: WorkItem, _ state: ItemState) {
        if state.holdsSource {
            let source = Source(item)
            let left = (busy[source] ?? 1) - 1
            busy[source] = left > 0 ? left : nil
        }
        switch state {
        case .queued, .sending, .unfinished, .done, .failed: break
        case .current: current = nil
        case .inFlight: inFlight.remove(item)
        case .unsettled: unsettled.remove(item)
        case .stepping: stepping.remove(item)
        }
    }
}

extension ItemState {
    var isQueued: Bool {
        if case .queued = self { true } else { false }
    }

    /// Whether the item's clone may be running on the server, which locks its source meanwhile.
    var holdsSource: Bool {
        switch self {
        case .sending, .inFlight, .unsettled, .unfinished: true
        // A clone in its steps is done: the edits and opening touch the new pool, not the source.
        case .queued, .current, .done, .failed, .stepping: false
        }
    }
}
