import Testing

@testable import BatchCloneKit

/// The run's item state: one stage per item, indexes kept by the one place that moves items.
@Suite struct WorkItemTableTests {
    static let flight = ItemState.InFlight(
        operationID: "op",
        submittedAt: 5,
        serverStamped: true,
        followedSince: 5,
        nextPoll: 10
    )

    static func table(_ items: [WorkItem]) -> WorkItemTable {
        WorkItemTable(items: items) { _ in .queued(ItemState.Pending()) }
    }

    @Test func initialStagesFillTheirIndexesInOrder() {
        let table = WorkItemTable(items: ["a", "b", "c", "d", "e"]) { item in
            switch item.source {
            case "b": .inFlight(Self.flight)
            case "c": .unsettled(ItemState.Unsettled(intentAt: 1, nextLook: 2))
            case "d": .done
            default: .queued(ItemState.Pending())
            }
        }
        #expect(table.queued(prefix: 5) == ["a", "e"])
        #expect(table.inFlight == ["b"])
        #expect(table.unsettled == ["c"])
        #expect(table.done == 1 && table.failed == 0 && table.current == nil)
    }

    @Test func anItemLeavesTheQueueOnlyAsTheCurrentOne() throws {
        var table = Self.table(["a", "b"])
        #expect(try table.takeNext() == "a")
        #expect(table.current == "a")
        #expect(table.queued(prefix: 5) == ["b"])
        #expect(throws: InternalError.illegalMove("a", from: "current", to: "current (a second one)")) {
            try table.takeNext()
        }
        // A queued item cannot jump the pipeline: it would stay in the queue as well.
        #expect(throws: InternalError.illegalMove("b", from: "queued", to: "sending")) {
            try table.move("b", to: .sending(intent: 1, ItemState.Pending()))
        }
        #expect(table["b"] == .queued(ItemState.Pending()))
    }

    @Test func aFullCycleKeepsEveryIndexInStep() throws {
        var table = Self.table(["a", "b"])
        _ = try table.takeNext()
        try table.move("a", to: .sending(intent: 1, ItemState.Pending()))
        #expect(table.current == nil)
        try table.move("a", to: .inFlight(Self.flight))
        #expect(table.inFlight == ["a"])
        // An operation that FAILed sends the item again, at the back of the queue.
        try table.move("a", to: .queued(.sentBefore))
        #expect(table.inFlight.isEmpty)
        #expect(table.queued(prefix: 5) == ["b", "a"])
        _ = try table.takeNext()
        try table.move("b", to: .sending(intent: 2, ItemState.Pending()))
        try table.move("b", to: .unsettled(ItemState.Unsettled(intentAt: 2, nextLook: 3)))
        #expect(table.unsettled == ["b"])
        // A lost answer whose clone never appeared is sent again first.
        try table.move("b", to: .queued(.sentBefore), front: true)
        #expect(table.queued(prefix: 5) == ["b", "a"])
        #expect(table.unsettled.isEmpty)
    }

    @Test func settledItemsNeverMoveAgainAndAreCountedOnce() throws {
        var table = WorkItemTable(items: ["a", "b"]) { _ in .inFlight(Self.flight) }
        try table.move("a", to: .done)
        try table.move("b", to: .unfinished(operationID: "op"))
        #expect(table.done == 1 && table.unfinished == 1 && table.inFlight.isEmpty)
        for next: ItemState in [.failed, .done, .queued(.sentBefore), .inFlight(Self.flight)] {
            #expect(throws: InternalError.self) { try table.move("a", to: next) }
        }
        #expect(table.done == 1 && table.failed == 0)
    }

    @Test func anItemOutsideTheRunCannotMove() {
        var table = Self.table(["a"])
        #expect(throws: InternalError.illegalMove("x", from: "not in the run", to: "done")) {
            try table.move("x", to: .done)
        }
    }
}

/// One clone of a source out at a time, kept by the table itself.
@Suite struct WorkItemTableSourceTests {
    static let a1 = WorkItem(.pool, source: "a")
    static let a2 = WorkItem(.pool, source: "a", copy: 2)

    @Test func aSecondCopyCannotBeSentWhileAnotherIsOut() {
        var table = WorkItemTable(items: [Self.a1, Self.a2]) { item in
            item.copy == 1 ? .inFlight(WorkItemTableTests.flight) : .current(ItemState.Pending())
        }
        #expect(
            throws: InternalError.illegalMove(
                Self.a2,
                from: "current",
                to: "sending while another copy of its source is out"
            )
        ) {
            try table.move(Self.a2, to: .sending(intent: 1, ItemState.Pending()))
        }
        #expect(table[Self.a2] == .current(ItemState.Pending()))
    }

    @Test func copiesOfABusySourceAreSetAsideNotTaken() throws {
        var table = WorkItemTable(items: [Self.a1, Self.a2, "b"]) { item in
            item == Self.a1 ? .inFlight(WorkItemTableTests.flight) : .queued(ItemState.Pending())
        }
        #expect(table.sourceIsBusy(Self.a2))
        #expect(try table.takeNext() == "b")
        #expect(table.queuedCount == 1 && table.queued(prefix: 5) == [])
        try table.move("b", to: .failed)
        #expect(try table.takeNext() == nil)
        try table.move(Self.a1, to: .done)
        #expect(!table.sourceIsBusy(Self.a2))
        #expect(table.queued(prefix: 5) == [Self.a2])
        #expect(try table.takeNext() == Self.a2)
    }

    static func copies(_ source: String, _ count: Int) -> [WorkItem] {
        (1...count).map { WorkItem(.pool, source: source, copy: $0) }
    }

    @Test func theSourceWithTheMostCopiesToSendGoesFirstTheRestInCSVOrder() throws {
        // Its copies go one at a time: started first, its chain overlaps every other send.
        let items = ["a"] + Self.copies("b", 2) + ["c"] + Self.copies("d", 3) + Self.copies("e", 2)
        var table = WorkItemTableTests.table(items)
        #expect(
            table.queued(prefix: 9) == Self.copies("d", 3) + Self.copies("b", 2) + Self.copies("e", 2) + ["a", "c"]
        )
        // The chain's first copy is taken; its others are set aside and the next source goes.
        #expect(try table.takeNext() == WorkItem(.pool, source: "d"))
        try table.move(WorkItem(.pool, source: "d"), to: .sending(intent: 1, ItemState.Pending()))
        #expect(try table.takeNext() == WorkItem(.pool, source: "b"))
    }

    @Test func onlyCopiesStillToSendMakeAChainLong() {
        // d's first two copies were cloned by an earlier run: one left, fewer than b's two.
        let items = Self.copies("b", 2) + Self.copies("d", 3)
        let table = WorkItemTable(items: items) { item in
            item.source == "d" && item.copy < 3 ? .done : .queued(ItemState.Pending())
        }
        #expect(table.queued(prefix: 5) == Self.copies("b", 2) + [WorkItem(.pool, source: "d", copy: 3)])
    }

    @Test func aFreedSourceWhoseChainGoesOnGoesFirst() throws {
        let a = Self.copies("a", 3)
        var table = WorkItemTableTests.table(a + ["b", "c"])
        #expect(try table.takeNext() == a[0])
        try table.move(a[0], to: .sending(intent: 1, ItemState.Pending()))
        #expect(try table.takeNext() == "b")
        try table.move("b", to: .sending(intent: 2, ItemState.Pending()))
        try table.move(a[0], to: .inFlight(WorkItemTableTests.flight))
        try table.move(a[0], to: .done)
        // Two copies wait on a: the next link of its chain goes before c.
        #expect(table.queued(prefix: 5) == [a[1], a[2], "c"])
    }

    @Test func theLastCopyOfAChainGoesBehindTheFirstCopiesOfOthers() throws {
        let (a, b, c) = (Self.copies("a", 2), Self.copies("b", 2), Self.copies("c", 2))
        var table = WorkItemTableTests.table(a + b + c)
        #expect(try table.takeNext() == a[0])
        try table.move(a[0], to: .sending(intent: 1, ItemState.Pending()))
        #expect(try table.takeNext() == b[0])
        try table.move(b[0], to: .sending(intent: 2, ItemState.Pending()))
        try table.move(a[0], to: .inFlight(WorkItemTableTests.flight))
        try table.move(a[0], to: .done)
        // Nothing waits on a's last copy; c's chain, not started yet, goes first.
        #expect(table.queued(prefix: 5) == [b[1], c[0], c[1], a[1]])
        #expect(try table.takeNext() == c[0])
    }

    @Test func withoutCopiesTheQueueKeepsCSVOrder() {
        let table = WorkItemTableTests.table(["c", "a", "b"] + Self.copies("d", 1))
        #expect(table.queued(prefix: 5) == ["c", "a", "b", "d"])
    }

    @Test func trainingsAndPoolsOfOneIDAreDifferentSources() throws {
        let training = WorkItem(.training, source: "a")
        var table = WorkItemTable(items: [Self.a1, training]) { item in
            item == Self.a1 ? .inFlight(WorkItemTableTests.flight) : .queued(ItemState.Pending())
        }
        #expect(try table.takeNext() == training)
    }
}
