import BatchCloneTestSupport
import Foundation
import Testing

@testable import BatchCloneKit

/// The store keeps the log it last read or wrote, and never uses it once another writer changed the file.
@Suite struct FileLedgerStoreCacheTests {
    private let t0 = TestTime.start

    @Test func appendsByAnotherStoreAreSeen() throws {
        try TempFolder.with { (folder: TempFolder) throws in
            let path = folder.file("ledger.json")
            let mine = FileLedgerStore(path: path)
            let other = FileLedgerStore(path: path)
            try mine.update { $0 = SendLog(sends: [t0]) }
            try other.update { $0.append(t0 + 1) }
            try mine.update { log in
                #expect(log.sends == [t0, t0 + 1])
                log.append(t0 + 2)
            }
            try other.update { log in
                #expect(log.sends == [t0, t0 + 1, t0 + 2])
                _ = log.merge([AccountClone(operationID: "web", time: LocalInstant(epochMilliseconds: t0 - 5))])
            }
            #expect(try mine.read() == SendLog(sends: [t0 - 5, t0, t0 + 1, t0 + 2], operations: ["web": t0 - 5]))
        }
    }

    @Test func aFileReplacedBehindTheStoreIsReadAgain() throws {
        try TempFolder.with { (folder: TempFolder) throws in
            let path = folder.file("ledger.json")
            let store = FileLedgerStore(path: path)
            try store.update { $0 = SendLog(sends: [t0]) }
            // Same length, another file: an old version 1 file put back by hand, then another compaction.
            try write(#"{"format":"batch-clone-ledger","version":1,"sends":["2026-05-28T20:26:41.000Z"]}"#, to: path)
            #expect(try store.read() == SendLog(sends: [t0 + 1_000]))
            let compacted = FileLedgerStore.encode(SendLog(sends: [t0 + 2_000]))
            try DurableFile.write(compacted, to: path)
            #expect(try store.read() == SendLog(sends: [t0 + 2_000]))
            try store.update { $0.append(t0 + 3_000) }
            #expect(try FileLedgerStore(path: path).read() == SendLog(sends: [t0 + 2_000, t0 + 3_000]))
        }
    }

    @Test func aBadLineAppendedBehindTheStoreIsRefusedWithItsNumber() throws {
        try TempFolder.with { (folder: TempFolder) throws in
            let path = folder.file("ledger.json")
            let store = FileLedgerStore(path: path)
            try store.update { $0 = SendLog(sends: [t0]) }  // header and one snapshot line
            try store.update { $0.append(t0 + 1) }  // line 3
            let handle = FileHandle(forWritingAtPath: path)!
            handle.seekToEndOfFile()
            handle.write(Data("{\"add\": \"noon\"}\n".utf8))
            handle.closeFile()
            let before = bytes(of: path)
            #expect(throws: StorageError.corrupt(path: path, reason: "line 4: \"add\" is not a list of times")) {
                try store.update { log in log.append(t0 + 2) }
            }
            #expect(bytes(of: path) == before)
        }
    }

    @Test func anEditInPlaceThatKeepsTheLengthIsReadAgain() throws {
        try TempFolder.with { (folder: TempFolder) throws in
            let path = folder.file("ledger.json")
            let store = FileLedgerStore(path: path)
            try store.update { $0 = SendLog(sends: [t0]) }
            try store.update { $0.append(t0 + 1) }
            // The same inode and header, one digit changed: 20:26:40.001 becomes 20:26:40.009.
            let text = String(decoding: bytes(of: path)!, as: UTF8.self)
            let edited = text.replacingOccurrences(of: "40.001Z", with: "40.009Z")
            #expect(edited != text && edited.utf8.count == text.utf8.count)
            let handle = FileHandle(forWritingAtPath: path)!
            handle.write(Data(edited.utf8))
            handle.closeFile()
            // File times tick coarsely (a few ms): an editor saving within the same tick as our own
            // append would go unseen, so the test dates the edit as an editor a moment later would.
            try FileManager.default.setAttributes(
                [.modificationDate: Date(timeIntervalSince1970: 1)],
                ofItemAtPath: path
            )
            #expect(try store.read().sends == [t0, t0 + 9])
        }
    }

    @Test func aDeletedFileStartsEmpty() throws {
        try TempFolder.with { (folder: TempFolder) throws in
            let path = folder.file("ledger.json")
            let store = FileLedgerStore(path: path)
            try store.update { $0 = SendLog(sends: [t0]) }
            try FileManager.default.removeItem(atPath: path)
            #expect(try store.read() == SendLog())
        }
    }

    @Test func theFileStaysWithinTwiceItsLiveContent() throws {
        try TempFolder.with { (folder: TempFolder) throws in
            let store = FileLedgerStore(path: folder.file("ledger.json"))
            let ledger = RateLimitLedger(
                limits: [RateLimit(count: 1_000, window: .seconds(10))],
                margin: .zero,
                minimumRetention: .zero
            )
            var largest = 0
            for index in 0..<3_000 {
                let now = t0 + Int64(index) * 50
                let granted = try store.update { log -> Bool in
                    var mine = ledger
                    mine.log = log
                    mine.prune(now: now)
                    defer { log = mine.log }
                    return mine.takeSlot(now: now)
                }
                #expect(granted)
                largest = max(largest, bytes(of: store.path)!.count)
            }
            let log = try FileLedgerStore(path: store.path).read()
            #expect(log.sends.count == 200)
            let live = FileLedgerStore.encode(log).count
            #expect(largest <= 2 * LedgerFile.estimatedSize(of: log) + FileLedgerStore.compactionSlack + 200)
            #expect(bytes(of: store.path)!.count <= 4 * live + FileLedgerStore.compactionSlack)
        }
    }

    @Test func anOldVersion1FileLoadsAndIsRewrittenAsVersion2OnItsFirstChange() throws {
        try TempFolder.with { (folder: TempFolder) throws in
            let path = folder.file("ledger.json")
            try write(
                """
                {
                  "format": "batch-clone-ledger",
                  "version": 1,
                  "retention_seconds": 86401,
                  "blocked_until": "2026-05-28T20:27:40.000Z",
                  "operations": {
                    "op-a": "2026-05-28T20:26:40.000Z"
                  },
                  "sends": [
                    "2026-05-28T20:26:40.000Z"
                  ]
                }

                """,
                to: path
            )
            let store = FileLedgerStore(path: path)
            let old = SendLog(sends: [t0], blockedUntil: t0 + 60_000, retention: 86_401_000, operations: ["op-a": t0])
            #expect(try store.read() == old)
            try store.update { $0.append(t0 + 1) }
            let text = String(decoding: bytes(of: path)!, as: UTF8.self)
            #expect(text.hasPrefix(#"{"format": "batch-clone-ledger", "version": 2, "generation": ""#))
            var expected = old
            expected.append(t0 + 1)
            #expect(try FileLedgerStore(path: path).read() == expected)
        }
    }
}
