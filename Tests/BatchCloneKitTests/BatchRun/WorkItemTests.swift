import Testing

@testable import BatchCloneKit

@Suite struct WorkItemTests {
    @Test(arguments: [
        (WorkItem(.pool, source: "123"), "123"),
        (WorkItem(.pool, source: "123", copy: 2), "123#2"),
        (WorkItem(.pool, source: "0", copy: 17), "0#17"),
    ])
    func aJournalKeyNamesTheItemAndReadsBack(item: WorkItem, key: String) {
        #expect(item.journalKey == key)
        #expect(WorkItem(journalKey: key) == item)
    }

    /// Journals written before work items keyed pools by their ID: each is the first copy of a pool.
    @Test func aBareIDIsAPoolsFirstCopy() {
        #expect(WorkItem(journalKey: "98765") == WorkItem(.pool, source: "98765", copy: 1))
    }

    @Test(arguments: ["", "#2", "1#1", "1#0", "1#x", "1#-3", "rocket:1", "pool:"])
    func aMalformedKeyIsRefused(key: String) {
        #expect(WorkItem(journalKey: key) == nil)
    }

    @Test func itemsSayWhichCopyTheyAre() {
        #expect(WorkItem(.pool, source: "7").description == "pool 7")
        #expect(WorkItem(.pool, source: "7", copy: 3).description == "pool 7 (copy 3)")
    }
}
