import Testing

@testable import BatchCloneKit

@Suite struct ItemQueueTests {
    @Test func keepsOrderAndPushedBackItemsGoFirst() {
        var queue = ItemQueue()
        #expect(queue.popFirst() == nil)
        for pool: WorkItem in ["a", "b", "c"] { queue.append(pool) }
        #expect(queue.popFirst() == "a")
        queue.pushFront("a")
        queue.pushFront("z")
        queue.append("d")
        #expect(queue.count == 5)
        var drained: [WorkItem] = []
        while let item = queue.popFirst() { drained.append(item) }
        #expect(drained == ["z", "a", "b", "c", "d"])
        #expect(queue.isEmpty)
    }

    @Test func staysCorrectAcrossCompaction() {
        var queue = ItemQueue()
        for index in 0..<5000 { queue.append(WorkItem(source: String(index))) }
        var drained: [String] = []
        for step in 0..<5000 {
            if step % 700 == 0 { queue.pushFront(WorkItem(source: "again-\(step)")) }
            drained.append(queue.popFirst()!.source)
        }
        while let item = queue.popFirst() { drained.append(item.source) }
        #expect(drained.count == 5008)
        #expect(drained.filter { !$0.hasPrefix("again") } == (0..<5000).map(String.init))
        #expect(drained.first == "again-0")
    }
}
