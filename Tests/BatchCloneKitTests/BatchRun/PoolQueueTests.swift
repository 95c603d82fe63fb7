import Testing

@testable import BatchCloneKit

@Suite struct PoolQueueTests {
    @Test func keepsOrderAndPushedBackPoolsGoFirst() {
        var queue = PoolQueue()
        #expect(queue.popFirst() == nil)
        for pool in ["a", "b", "c"] { queue.append(pool) }
        #expect(queue.popFirst() == "a")
        queue.pushFront("a")
        queue.pushFront("z")
        queue.append("d")
        #expect(queue.count == 5)
        var drained: [String] = []
        while let pool = queue.popFirst() { drained.append(pool) }
        #expect(drained == ["z", "a", "b", "c", "d"])
        #expect(queue.isEmpty)
    }

    @Test func staysCorrectAcrossCompaction() {
        var queue = PoolQueue()
        for index in 0..<5000 { queue.append(String(index)) }
        var drained: [String] = []
        for step in 0..<5000 {
            if step % 700 == 0 { queue.pushFront("again-\(step)") }
            drained.append(queue.popFirst()!)
        }
        while let pool = queue.popFirst() { drained.append(pool) }
        #expect(drained.count == 5008)
        #expect(drained.filter { !$0.hasPrefix("again") } == (0..<5000).map(String.init))
        #expect(drained.first == "again-0")
    }
}
