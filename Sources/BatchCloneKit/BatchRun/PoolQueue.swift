/// The pools waiting to be sent, in order; O(1) at both ends so a 100,000-pool batch stays linear.
struct PoolQueue: Sendable {
    /// Pools pushed back to the front, the next one last.
    private var front: [String] = []
    private var back: [String] = []
    private var head = 0

    var count: Int { front.count + back.count - head }
    var isEmpty: Bool { count == 0 }

    mutating func append(_ pool: String) {
        back.append(pool)
    }

    /// Puts a pool first: it goes out before any other (a 429'd or unsent clone keeps its turn).
    mutating func pushFront(_ pool: String) {
        front.append(pool)
    }

    /// The next `count` pools, in order, without taking them.
    func prefix(_ count: Int) -> [String] {
        guard count > 0 else { return [] }
        let fromFront = front.reversed().prefix(count)
        return Array(fromFront) + back[head...].prefix(count - fromFront.count)
    }

    mutating func popFirst() -> String? {
        if let pool = front.popLast() { return pool }
        guard head < back.count else { return nil }
        let pool = back[head]
        head += 1
        if head > 1024 && head * 2 > back.count {
            back.removeFirst(head)
            head = 0
        }
        return pool
    }
}
