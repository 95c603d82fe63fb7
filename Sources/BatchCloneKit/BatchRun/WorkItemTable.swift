/// The state of every work item of a run, one `ItemState` each, with the indexes the run reads
/// (the send queue, the followed operations, the lost answers) kept by the one place that moves items.
///
/// Every move is checked against `ItemState.allows(_:)`: an impossible one throws and changes nothing.
/// One clone of a source is out at a time: the server locks a template while its clone runs (409
/// `POOL_LOCKED_BY_ANOTHER_OPERATION`), so another copy waits aside, never in front of other sources.
/// A source's copies form a chain that no rate can shorten, so the longest chains start first.
struct WorkItemTable: Sendable {
    /// What the server locks while a clone of it runs.
    private struct Source: Hashable, Sendable {
        var target: CloneTarget
        var id: String

        init(target: CloneTarget, id: String) {
            self.target = target
            self.id = id
        }

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
    /// Queued items passed over while their source was busy, in queue order; back in the queue
    /// once it is free (see `release`).
    private var parked: [Source: [WorkItem]] = [:]
    private var parkedCount = 0
    /// Sources whose last waiting copy goes to the queue's front once free: the run holds slots for it.
    private var ahead: Set<Source> = []
    /// The item the send pipeline works on.
    private(set) var current: WorkItem?
    private(set) var inFlight: Set<WorkItem> = []
    private(set) var unsettled: Set<WorkItem> = []
    private(set) var done = 0
    private(set) var failed = 0
    private(set) var unfinished = 0
    /// Cloned items whose steps after the clone are left.
    private(set) var stepping: Set<WorkItem> = []

    /// A table over `items` (distinct), each in the stage `initial` gives it; queued ones in order,
    /// save that sources with more copies to send go first (a stable sort: without copies, CSV order).
    init(items: [WorkItem], initial: (WorkItem) -> ItemState) {
        self.items = items
        var queued: [(item: WorkItem, state: ItemState)] = []
        var chains: [Source: Int] = [:]
        for item in items {
            let state = initial(item)
            states[item] = state
            if state.isQueued {
                queued.append((item, state))
                chains[Source(item), default: 0] += 1
            } else {
                index(item, state, front: false)
            }
        }
        // Copies of a source go one after another, each once the previous clone is done: started
        // late, the longest chain would end the batch long after the rate limits allow.
        let order = queued.indices.sorted { left, right in
            let a = chains[Source(queued[left].item), default: 0]
            let b = chains[Source(queued[right].item), default: 0]
            return a != b ? a > b : left < right
        }
        for position in order { index(queued[position].item, queued[position].state, front: false) }
    }

    subscript(item: WorkItem) -> ItemState? { states[item] }

    /// Queued items, those waiting for their source included.
    var queuedCount: Int { queue.count + parkedCount }

    /// The next `count` queued items whose source was free when last seen, in order.
    func queued(prefix count: Int) -> [WorkItem] { queue.prefix(count) }

    /// Whether a clone of `item`'s source is out (sending, in flight, unsettled or unfinished).
    func sourceIsBusy(_ item: WorkItem) -> Bool { busy[Source(item)] != nil }

    /// The sources whose clone is out with copies set aside for it, and how many.
    var waitingChains: [ChainReservations.Chain] {
        parked.map { ChainReservations.Chain(target: $0.key.target, source: $0.key.id, copies: $0.value.count) }
    }

    /// Sends the next copy of `chain`'s source first once its clone is done, even the last one.
    mutating func keepAhead(_ chain: ChainReservations.Chain) {
        ahead.insert(Source(target: chain.target, id: chain.source))
    }

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
        // Freed, the source's waiting copies go back in the queue; the item itself, requeued at the front, before them.
        if state.holdsSource && !next.holdsSource { release(Source(item)) }
        if !(state.isQueued && next.isQueued) { index(item, next, front: front) }
    }

    /// Puts the copies set aside for `source` back in the queue, in their order: at its front while
    /// the chain goes on (more copies wait on the next one), at its back for the last copy, so that
    /// sources with longer chains left (their first copies still queued) go before it, unless the
    /// run holds slots for it (`keepAhead`).
    private mutating func release(_ source: Source) {
        guard busy[source] == nil, let waiting = parked.removeValue(forKey: source) else { return }
        parkedCount -= waiting.count
        if waiting.count == 1 && ahead.remove(source) == nil {
            queue.append(waiting[0])
        } else {
            for item in waiting.reversed() { queue.pushFront(item) }
        }
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
