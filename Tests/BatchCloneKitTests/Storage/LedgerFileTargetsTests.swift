import BatchCloneTestSupport
import Foundation
import Testing

@testable import BatchCloneKit

/// Issue 21: one state file holds a log per target; lines without a target are the pools' (every
/// file written before trainings), so those files load unchanged.
@Suite struct LedgerFileTargetsTests {
    private let t0: Int64 = 1_700_000_000_000

    @Test func aTrainingLineChangesOnlyTheTrainingLog() throws {
        var change = LedgerChange(target: "training")
        change.added = [t0]
        change.pendingAdded = [OwnSend(intent: t0, source: "9", target: "training")]
        let line = change.line()
        #expect(line.hasPrefix("{\"target\": \"training\", "))
        let header =
            "{\"format\": \"batch-clone-ledger\", \"version\": 2, \"generation\": \"g\", \"snapshot_lines\": 1}\n"
        let text = header + "{\"add\": [\"2023-11-14T22:13:20.000Z\"]}\n" + line
        let file = try LedgerFile.decode(Data(text.utf8), path: "state.json")
        #expect(file.logs["pool"]?.sends == [t0])
        #expect(file.logs["pool"]?.pending == [])
        #expect(file.logs["training"]?.sends == [t0])
        #expect(file.logs["training"]?.pending == [OwnSend(intent: t0, source: "9", target: "training")])
    }

    @Test func aTargetThatIsNotTextIsRefusedWithItsLine() throws {
        let header =
            "{\"format\": \"batch-clone-ledger\", \"version\": 2, \"generation\": \"g\", \"snapshot_lines\": 0}\n"
        let text = header + "{\"target\": 7, \"add\": [\"2023-11-14T22:13:20.000Z\"]}\n"
        #expect(
            throws: StorageError.corrupt(path: "state.json", reason: "line 2: \"target\" is not the name of a target")
        ) {
            try LedgerFile.decode(Data(text.utf8), path: "state.json")
        }
    }

    @Test func aCompactionKeepsEveryTargetsLogApart() throws {
        var pools = SendLog(sends: [t0, t0 + 5], blockedUntil: t0 + 60_000, retention: 86_401_000)
        pools.addPending(OwnSend(intent: t0 + 5, source: "1"))
        var trainings = SendLog(sends: [t0 + 1], operations: ["op-t": t0 + 1])
        trainings.links["op-t"] = OwnSend(intent: t0 + 1, source: "2", target: "training")
        let data = LedgerFile.encode(["pool": pools, "training": trainings], generation: "g")
        let decoded = try LedgerFile.decode(data, path: "state.json")
        #expect(decoded.logs == ["pool": pools, "training": trainings])
    }

    @Test func twoStoresOnOneFileKeepTheirTargetsApartForEveryReader() throws {
        try TempFolder.with { folder in
            let path = folder.file("state.json")
            let policy = RateLimitPolicy(limits: [RateLimit(count: 2, window: .seconds(60))])
            let pools = FileLedgerStore(path: path)
            let trainings = FileLedgerStore(path: path, target: .training)
            for index in 0..<400 {
                let now = t0 + Int64(index) * 61_000
                #expect(
                    try pools.takeSlot(policy, source: "p\(index)", now: now)
                        == .granted(at: .init(epochMilliseconds: now))
                )
                #expect(
                    try trainings.takeSlot(policy, source: "t\(index)", now: now)
                        == .granted(at: .init(epochMilliseconds: now))
                )
            }
            // Fresh stores read the whole file from disk: every line lands in its own target's log.
            let poolLog = try FileLedgerStore(path: path).peek()
            let trainingLog = try FileLedgerStore(path: path).scoped(to: .training).peek()
            #expect(poolLog.pending.count == 400 && poolLog.pending.allSatisfy { $0.target == "pool" })
            #expect(trainingLog.pending.count == 400 && trainingLog.pending.allSatisfy { $0.target == "training" })
            #expect(poolLog.sends == trainingLog.sends)
        }
    }

    @Test func aCompactionByOneTargetsStoreKeepsTheOtherTargetsLog() throws {
        try TempFolder.with { folder in
            let path = folder.file("state.json")
            let policy = RateLimitPolicy(limits: [RateLimit(count: 5, window: .seconds(60))])
            let trainings = FileLedgerStore(path: path, target: .training)
            #expect(try trainings.takeSlot(policy, source: "t", now: t0) == .granted(at: .init(epochMilliseconds: t0)))
            // A log assigned whole is written by a compaction of the file.
            try FileLedgerStore(path: path).update { $0 = SendLog(sends: [t0 + 1, t0 + 2]) }
            let text = try String(contentsOfFile: path, encoding: .utf8)
            // Header, the pools' two sends, the trainings' retention and send: all of it the snapshot.
            #expect(text.split(separator: "\n").count == 5 && text.contains("\"snapshot_lines\": 4"), "\(text)")
            #expect(try FileLedgerStore(path: path).peek().sends == [t0 + 1, t0 + 2])
            let trainingLog = try FileLedgerStore(path: path, target: .training).peek()
            #expect(trainingLog.pending == [OwnSend(intent: t0, source: "t", target: "training")])
            #expect(trainingLog.sends == [t0])
        }
    }
}
