/// The state of every work item of a run, one `ItemState` each, with the indexes the run reads
/// (the send queue, the followed operations, the lost answers) kept by the one place that moves items.
///
/// Every move is checked against `ItemState.allows(_:)`: an impossible one throws and changes nothing.
struct WorkItemTable: Sendable {
    /// The run's items, in CSV order.
    let items: [WorkItem]
    private var states: [WorkItem: ItemState] = [:]
    private var queue = ItemQueue()
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

    var queuedCount: Int { queue.count }

    /// The next `count` queued items, in order.
    func queued(prefix count: Int) -> [WorkItem] { queue.prefix(count) }

    /// Takes the next queued item as the current one; nil when the queue is empty.
    mutating func takeNext() throws(InternalError) -> WorkItem? {
        guard current == nil else {
            throw .illegalMove(current!, from: "current", to: "current (a second one)")
        }
        guard let item = queue.popFirst() else { return nil }
        guard case .queued(let pending) = states[item] else {
            throw .illegalMove(item, from: states[item]?.stage ?? "unknown", to: "current (from the queue)")
        }
        states[item] = .current(pending)
        current = item
        return item
    }

    /// Moves `item` to `next`; an item entering the queue goes to its front when `front`.
    mutating func move(_ item: WorkItem, to next: ItemState, front: Bool = false) throws(InternalError) {
        guard let state = states[item] else {
            throw .illegalMove(item, from: "not in the run", to: next.stage)
        }
        guard state.allows(next) else { throw .illegalMove(item, from: state.stage, to: next.stage) }
        unindex(item, state)
        states[item] = next
        if !(state.isQueued && next.isQueued) { index(item, next, front: front) }
    }

    private mutating func index(_ item: WorkItem, _ state: ItemState, front: Bool) {
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
}
