import BatchCloneTestSupport
import Foundation
import Testing

@testable import BatchCloneKit

@Suite struct FileLedgerStoreTests {
    private let t0 = TestTime.start  // 2026-05-28T20:26:40.000Z

    private func corruptReason(_ body: () throws -> Void) -> (path: String, reason: String)? {
        do {
            try body()
            return nil
        } catch let StorageError.corrupt(path, reason) {
            return (path, reason)
        } catch {
            Issue.record("expected StorageError.corrupt, got \(error)")
            return nil
        }
    }

    /// The generation is random: `"generation": "…"` is replaced by a fixed value to compare the text.
    private func text(of path: String) -> String {
        let text = String(decoding: bytes(of: path)!, as: UTF8.self)
        return text.replacing(/"generation": "[0-9a-f]{16}"/, with: "\"generation\": \"G\"")
    }

    @Test func roundTripWritesTheDocumentedShape() throws {
        try TempFolder.with { (folder: TempFolder) throws in
            let store = FileLedgerStore(path: folder.file("state/ledger.json"))
            try store.update { log in
                log = SendLog(
                    sends: [t0 + 123, t0],
                    blockedUntil: t0 + 60_000,
                    retention: 86_401_000,
                    operations: ["op-1": t0 + 123]
                )
            }
            #expect(
                text(of: store.path) == """
                    {"format": "batch-clone-ledger", "version": 2, "generation": "G", "snapshot_lines": 3}
                    {"blocked_until": "2026-05-28T20:27:40.000Z", "retention_seconds": 86401}
                    {"add": ["2026-05-28T20:26:40.000Z"]}
                    {"add": ["2026-05-28T20:26:40.123Z"], "operations": {"op-1": "2026-05-28T20:26:40.123Z"}}

                    """
            )
            let expected = SendLog(
                sends: [t0, t0 + 123],
                blockedUntil: t0 + 60_000,
                retention: 86_401_000,
                operations: ["op-1": t0 + 123]
            )
            let again = FileLedgerStore(path: store.path)
            #expect(try again.read() == expected)
            #expect(try again.peek() == expected)
        }
    }

    @Test func eachUpdateAppendsOneLineOfWhatChanged() throws {
        try TempFolder.with { (folder: TempFolder) throws in
            let store = FileLedgerStore(path: folder.file("ledger.json"))
            try store.update { log in log = SendLog(sends: [t0]) }
            try store.update { log in log.append(t0 + 1) }
            try store.update { log in
                log.attach(operationID: "op-2", send: OwnSend(intent: t0 + 1, source: "p"), arrival: t0 + 5)
            }
            try store.update { log in log.prune(now: t0 + 2_000, retention: 1_000) }
            try store.update { log in log.block(until: t0 + 9_000) }
            #expect(
                text(of: store.path) == """
                    {"format": "batch-clone-ledger", "version": 2, "generation": "G", "snapshot_lines": 1}
                    {"add": ["2026-05-28T20:26:40.000Z"]}
                    {"add": ["2026-05-28T20:26:40.001Z"]}
                    {"remove": ["2026-05-28T20:26:40.001Z"], "add": ["2026-05-28T20:26:40.005Z"], \
                    "operations": {"op-2": "2026-05-28T20:26:40.005Z"}}
                    {"remove": ["2026-05-28T20:26:40.000Z", "2026-05-28T20:26:40.005Z"], \
                    "operations": {"op-2": null}}
                    {"blocked_until": "2026-05-28T20:26:49.000Z"}

                    """
            )
            let expected = SendLog(blockedUntil: t0 + 9_000)
            #expect(try store.read() == expected)
            #expect(try FileLedgerStore(path: store.path).read() == expected)
        }
    }

    @Test func emptyLogHasOnlyItsHeader() throws {
        try TempFolder.with { (folder: TempFolder) throws in
            let path = folder.file("ledger.json")
            try write(#"{"format":"batch-clone-ledger","version":1,"sends":["2026-05-28T20:26:40.000Z"]}"#, to: path)
            let store = FileLedgerStore(path: path)
            try store.update { log in log = SendLog() }
            #expect(
                text(of: store.path)
                    == "{\"format\": \"batch-clone-ledger\", \"version\": 2, \"generation\": \"G\", \"snapshot_lines\": 0}\n"
            )
            #expect(try store.read() == SendLog())
        }
    }

    @Test func missingFileIsAnEmptyLogAndReadingCreatesNoStateFile() throws {
        try TempFolder.with { (folder: TempFolder) throws in
            let peekOnly = FileLedgerStore(path: folder.file("never/ledger.json"))
            #expect(try peekOnly.peek() == SendLog())
            #expect(!FileManager.default.fileExists(atPath: folder.file("never")))

            let store = FileLedgerStore(path: folder.file("ledger.json"))
            #expect(try store.read() == SendLog())
            #expect(!FileManager.default.fileExists(atPath: store.path))
            #expect(try folder.contents() == ["ledger.json.lock"])
        }
    }

    @Test func updateReturnsTheBodysResultAndPersistsChanges() throws {
        try TempFolder.with { (folder: TempFolder) throws in
            let store = FileLedgerStore(path: folder.file("ledger.json"))
            let policy = RateLimitLedger(limits: [RateLimit(count: 2, window: .seconds(60))], margin: .zero)
            func take(_ now: Int64) throws -> Bool {
                try store.update { log in
                    var ledger = policy
                    ledger.log = log
                    defer { log = ledger.log }
                    return ledger.takeSlot(now: now)
                }
            }
            #expect(try take(t0))
            #expect(try take(t0 + 1))
            #expect(try !take(t0 + 2))
            #expect(try take(t0 + 60_000))
            #expect(try FileLedgerStore(path: store.path).read().sends == [t0, t0 + 1, t0 + 60_000])
        }
    }

    @Test func anUnchangedLogIsNotRewritten() throws {
        try TempFolder.with { (folder: TempFolder) throws in
            let path = folder.file("ledger.json")
            let compact = #"{"format":"batch-clone-ledger","version":1,"sends":["2026-05-28T20:26:40.000Z"]}"#
            try write(compact, to: path)
            let store = FileLedgerStore(path: path)
            #expect(try store.read() == SendLog(sends: [t0]))
            try store.update { _ in }
            #expect(bytes(of: path) == Data(compact.utf8))
        }
    }

    @Test func aThrowingBodyLeavesTheFileAlone() throws {
        struct Boom: Error {}
        try TempFolder.with { (folder: TempFolder) throws in
            let store = FileLedgerStore(path: folder.file("ledger.json"))
            try store.update { $0 = SendLog(sends: [t0]) }
            let before = bytes(of: store.path)
            #expect(throws: Boom.self) {
                try store.update { log in
                    log = SendLog(sends: [t0, t0 + 1])
                    throw Boom()
                }
            }
            #expect(bytes(of: store.path) == before)
            // The lock was released: another update goes through.
            try store.update { $0 = SendLog(sends: [t0, t0 + 2]) }
            #expect(try store.read().sends == [t0, t0 + 2])
        }
    }

    @Test func readsTolokaStyleTimesAndSortsHandEditedSends() throws {
        try TempFolder.with { (folder: TempFolder) throws in
            let path = folder.file("ledger.json")
            try write(
                """
                {"format": "batch-clone-ledger", "version": 1, "extra": true,
                 "sends": ["2026-05-28T20:26:41", "2026-05-28T20:26:40.5", "2026-05-28T20:26:40.000+00:00"],
                 "blocked_until": "2026-05-28T20:27:40Z"}
                """,
                to: path
            )
            #expect(
                try FileLedgerStore(path: path).peek()
                    == SendLog(sends: [t0, t0 + 500, t0 + 1000], blockedUntil: t0 + 60_000)
            )
        }
    }

    static let corruptFiles: [(name: String, text: String, reason: String)] = [
        ("not JSON", "this is not json", "not a JSON object"),
        ("empty", "", "not a JSON object"),
        ("a JSON list", "[1, 2]", "not a JSON object"),
        ("wrong format", #"{"format": "other-tool", "version": 1, "sends": []}"#, "\"format\""),
        ("no format", #"{"version": 1, "sends": []}"#, "\"format\""),
        ("wrong version", #"{"format": "batch-clone-ledger", "version": 3, "sends": []}"#, "version"),
        ("version 2 without newline", #"{"format": "batch-clone-ledger", "version": 2, "generation": "a"}"#, "line 1"),
        ("version 2 without generation", "{\"format\": \"batch-clone-ledger\", \"version\": 2}\n", "generation"),
        (
            "a cut snapshot",
            "{\"format\": \"batch-clone-ledger\", \"version\": 2, \"generation\": \"a\", \"snapshot_lines\": 2}\n{\"add\": []}\n",
            "ends at line 2 of the 3 lines"
        ),
        (
            "a bad line",
            "{\"format\": \"batch-clone-ledger\", \"version\": 2, \"generation\": \"a\", \"snapshot_lines\": 0}\n{\"add\": [5]}\n",
            "line 2: \"add\""
        ),
        (
            "a removal of nothing",
            "{\"format\": \"batch-clone-ledger\", \"version\": 2, \"generation\": \"a\", \"snapshot_lines\": 0}\n{\"remove\": [\"2026-05-28T20:26:40Z\"]}\n",
            "line 2: it removes"
        ),
        ("version as text", #"{"format": "batch-clone-ledger", "version": "1", "sends": []}"#, "version"),
        ("sends missing", #"{"format": "batch-clone-ledger", "version": 1}"#, "\"sends\""),
        ("sends not times", #"{"format": "batch-clone-ledger", "version": 1, "sends": [1780000000000]}"#, "\"sends\""),
        ("bad time", #"{"format": "batch-clone-ledger", "version": 1, "sends": ["yesterday"]}"#, "'yesterday'"),
        (
            "bad zone", #"{"format": "batch-clone-ledger", "version": 1, "sends": ["2026-05-28T20:26:40+03:00"]}"#,
            "ISO 8601"
        ),
        (
            "bad block", #"{"format": "batch-clone-ledger", "version": 1, "sends": [], "blocked_until": 5}"#,
            "blocked_until"
        ),
    ]

    @Test(arguments: corruptFiles)
    func corruptFileThrowsAndIsLeftByteForByte(file: (name: String, text: String, reason: String)) throws {
        try TempFolder.with { (folder: TempFolder) throws in
            let path = folder.file("ledger.json")
            try write(file.text, to: path)
            let store = FileLedgerStore(path: path)
            let viaUpdate = corruptReason { try store.update { $0 = SendLog(sends: [t0]) } }
            #expect(viaUpdate?.path == path, "\(file.name)")
            #expect(viaUpdate?.reason.contains(file.reason) == true, "\(file.name): \(viaUpdate?.reason ?? "no error")")
            let viaPeek = corruptReason { _ = try store.peek() }
            #expect(viaPeek?.reason == viaUpdate?.reason)
            #expect(bytes(of: path) == Data(file.text.utf8), "\(file.name): the file was changed")
            #expect(try folder.contents() == ["ledger.json", "ledger.json.lock"])
        }
    }

    @Test func anUnwritableFolderIsReported() throws {
        try TempFolder.with { (folder: TempFolder) throws in
            try write("a file, not a folder", to: folder.file("blocker"))
            let store = FileLedgerStore(path: folder.file("blocker/ledger.json"))
            #expect {
                try store.update { $0 = SendLog(sends: [t0]) }
            } throws: { error in
                if case StorageError.unwritable = error { true } else { false }
            }
        }
    }

    @Test func concurrentStoresOnOnePathGrantExactlyTheLimit() async throws {
        try await TempFolder.with { (folder: TempFolder) async throws in
            let path = folder.file("ledger.json")
            let policy = RateLimitLedger(limits: [RateLimit(count: 5, window: .seconds(60))], margin: .zero)
            let now = t0
            let granted = await withTaskGroup(of: Int.self) { group in
                for _ in 0..<8 {
                    group.addTask {
                        let store = FileLedgerStore(path: path)
                        var mine = 0
                        for _ in 0..<6 {
                            let ok =
                                (try? store.update { log -> Bool in
                                    var ledger = policy
                                    ledger.log = log
                                    defer { log = ledger.log }
                                    return ledger.takeSlot(now: now)
                                }) ?? false
                            if ok { mine += 1 }
                            await Task.yield()
                        }
                        return mine
                    }
                }
                return await group.reduce(0, +)
            }
            #expect(granted == 5)
            #expect(try FileLedgerStore(path: path).read().sends == Array(repeating: now, count: 5))
            #expect(try folder.contents() == ["ledger.json", "ledger.json.lock"])
        }
    }
}
