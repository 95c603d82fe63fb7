import BatchCloneTestSupport
import Foundation
import Testing

@testable import BatchCloneKit

/// A crash at any byte of a write leaves a file that loads (never with fewer sends than the last
/// durable state) or is refused.
@Suite struct FileLedgerStoreCrashTests {
    private let t0 = TestTime.start

    /// A realistic history: sends, answered POSTs moved to their arrival, clones merged from the
    /// account, a 429 block, retention and pruning; the file bytes and log after each update.
    private func history(in folder: TempFolder) throws -> [(bytes: Data, log: SendLog)] {
        let store = FileLedgerStore(path: folder.file("ledger.json"))
        let ledger = RateLimitLedger(
            limits: [RateLimit(count: 3, window: .seconds(1))],
            margin: .zero,
            minimumRetention: .seconds(2)
        )
        var states: [(Data, SendLog)] = []
        var now = t0
        for index in 0..<12 {
            let intent = try store.update { log -> Int64 in
                var mine = ledger
                mine.log = log
                mine.prune(now: now)
                let at = mine.earliestSend(now: now)
                _ = mine.takeSlot(now: at, source: "p\(index)")
                log = mine.log
                return at
            }
            states.append((bytes(of: store.path)!, try store.read()))
            try store.update { log in
                log.attach(
                    operationID: "op-\(index)",
                    send: OwnSend(intent: intent, source: "p\(index)"),
                    arrival: intent + 7
                )
            }
            states.append((bytes(of: store.path)!, try store.read()))
            if index % 4 == 1 {
                try store.update { log in
                    _ = log.merge([
                        AccountClone(operationID: "web-\(index)", time: LocalInstant(epochMilliseconds: now - 300))
                    ])
                }
                states.append((bytes(of: store.path)!, try store.read()))
            }
            if index == 6 {
                try store.update { log in log.block(until: now + 1_500) }
                states.append((bytes(of: store.path)!, try store.read()))
            }
            now += 400
        }
        return states
    }

    @Test func truncationAtEveryByteLoadsADurableStateOrIsRefused() throws {
        try TempFolder.with { (folder: TempFolder) throws in
            let states = try history(in: folder)
            let final = states.last!.bytes
            // The states written by appends to the same file: their bytes are prefixes of the final file.
            let prefixes = states.filter { final.starts(with: $0.bytes) }
            #expect(prefixes.count >= 10, "the history should append most of its updates")
            let path = folder.file("crashed.json")
            var loaded = 0
            for offset in 0...final.count {
                try final.prefix(offset).write(to: URL(fileURLWithPath: path))
                let store = FileLedgerStore(path: path)
                let log: SendLog
                do {
                    log = try store.peek()
                } catch let error as StorageError {
                    guard case .corrupt = error else {
                        Issue.record("offset \(offset): \(error)")
                        continue
                    }
                    // Refused: the file is left as it was, for update too.
                    #expect(throws: StorageError.self) { try store.update { log in log.append(t0 + 99_999) } }
                    #expect(bytes(of: path) == final.prefix(offset))
                    continue
                }
                loaded += 1
                // The last durable state the crashed write started from: the longest prefix that fits.
                guard let durable = prefixes.last(where: { $0.bytes.count <= offset }) else {
                    Issue.record("offset \(offset) loads although no durable state is that short")
                    continue
                }
                #expect(log == durable.log, "offset \(offset)")
                #expect(log.sends.count >= durable.log.sends.count)
                // The next update works on that state and leaves a clean file.
                try store.update { $0.block(until: t0 + 99_999) }
                var expected = durable.log
                expected.block(until: t0 + 99_999)
                #expect(try FileLedgerStore(path: path).read() == expected, "offset \(offset)")
            }
            #expect(loaded > final.count / 2)
        }
    }

    @Test func aTornLastLineIsDroppedAndTheNextUpdateRewritesTheFile() throws {
        try TempFolder.with { (folder: TempFolder) throws in
            let store = FileLedgerStore(path: folder.file("ledger.json"))
            try store.update { $0 = SendLog(sends: [t0]) }
            try store.update { $0.append(t0 + 1) }
            // Another process died half-way through its append.
            let handle = FileHandle(forWritingAtPath: store.path)!
            handle.seekToEndOfFile()
            handle.write(Data(#"{"add": ["2026-05-28T20:26:4"#.utf8))
            handle.closeFile()
            #expect(try store.peek() == SendLog(sends: [t0, t0 + 1]))
            try store.update { $0.append(t0 + 2) }
            let text = String(decoding: bytes(of: store.path)!, as: UTF8.self)
            #expect(text.hasSuffix("\n"))
            #expect(!text.contains("20:26:4\""))
            #expect(try FileLedgerStore(path: store.path).read() == SendLog(sends: [t0, t0 + 1, t0 + 2]))
        }
    }
}
