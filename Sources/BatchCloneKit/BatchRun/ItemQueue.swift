/// The work items waiting to be sent, in order; O(1) at both ends so a 100,000-item batch stays linear.
struct ItemQueue: Sendable {
    /// Items pushed back to the front, the next one last.
    private var front: [WorkItem] = []
    private var back: [WorkItem] = []
    private var head = 0

    var count: Int { front.count + back.count - head }
    var isEmpty: Bool { count == 0 }

    mutating func append(_ item: WorkItem) {
        back.append(item)
    }

    /// Puts an item first: it goes out before any other (a 429'd or unsent clone keeps its turn).
    mutating func pushFront(_ item: WorkItem) {
        front.append(item)
    }

    /// The next `count` items, in order, without taking them.
    func prefix(_ count: Int) -> [WorkItem] {
        guard count > 0 else { return [] }
        let fromFront = front.reversed().prefix(count)
        return Array(fromFront) + back[head...].prefix(count - fromFront.count)
    }

    mutating func popFirst() -> WorkItem? {
        if let item = front.popLast() { return item }
        guard head < back.count else { return nil }
        let item = back[head]
        head += 1
        if head > 1024 && head * 2 > back.count {
            back.removeFirst(head)
            head = 0
        }
        return item
    }
}
