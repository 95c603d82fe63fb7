import Foundation
import Testing

@testable import BatchCloneKit

/// Issue 22: a store writes the change each update's mutations recorded, never a diff of the whole
/// log. Random sequences of every mutation, from random logs: the recorded change is the diff of
/// the logs before and after (the oracle), turns the one into the other through its line, and a
/// file store that appends it reads back, from scratch, the log the mutations made.
@Suite struct LedgerChangeRecordingTests {
    static let seeds: Range<UInt64> = 0..<3000
    static let start: Int64 = 1_800_000_000_000

    @Test func theRecordedChangeIsTheDiffAndTurnsTheOldLogIntoTheNew() throws {
        var failures: [String] = []
        var nonEmpty = 0
        for seed in Self.seeds {
            var random = SplitMix64(seed: seed)
            var log = Self.randomLog(&random)
            for step in 0..<8 {
                let old = log
                log.startRecording()
                var actions: [String] = []
                for _ in 0..<random.int(1...6) { actions.append(Self.mutate(&log, &random)) }
                let recorded = log.takeRecordedChange()
                #expect(!log.recording.isOn)
                let oracle = LedgerChange(diffing: old, to: log)
                if !recorded.isEmpty { nonEmpty += 1 }
                let line = Array(recorded.line().utf8)
                let decoded = try LedgerFile.decodeChange(line.dropLast(), line: 2, path: "state.json")
                var applied = old
                let reason = decoded.apply(to: &applied)
                if recorded != oracle || reason != nil || applied != log {
                    failures.append(
                        "seed \(seed) step \(step) \(actions): recorded \(recorded.line()) oracle \(oracle.line()) "
                            + "apply \(reason ?? "ok")"
                    )
                    break
                }
            }
        }
        #expect(failures.isEmpty, "\(failures.count) seeds failed; first: \(failures.first ?? "")")
        // Most updates change something: the property is not met by recording nothing.
        #expect(nonEmpty > Self.seeds.count * 5)
    }

    @Test func aFileStoreAppendingRecordedChangesReadsBackTheSameLog() throws {
        try TempFolder.with { (folder: TempFolder) throws in
            for seed: UInt64 in 0..<12 {
                let path = folder.file("state-\(seed).json")
                let store = FileLedgerStore(path: path)
                var random = SplitMix64(seed: seed)
                var mirror = Self.randomLog(&random)
                try store.update { $0 = mirror }
                for step in 0..<20 {
                    var choices = random
                    let before = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
                    try store.update { log in
                        for _ in 0..<choices.int(1...4) { _ = Self.mutate(&log, &choices) }
                    }
                    for _ in 0..<random.int(1...4) { _ = Self.mutate(&mirror, &random) }
                    let after = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
                    let reread = try FileLedgerStore(path: path).read()
                    #expect(reread == mirror, "seed \(seed) step \(step)")
                    #expect(try store.read() == mirror, "seed \(seed) step \(step), cached")
                    // An update appends one line or compacts; one that changed nothing writes nothing.
                    if !before.isEmpty && after.hasPrefix(before) {
                        let added = after.dropFirst(before.count).filter { $0 == "\n" }.count
                        #expect(added <= 1, "seed \(seed) step \(step): \(added) lines for one update")
                    }
                }
            }
        }
    }

    @Test func aLogAssignedInTheBodyIsWrittenWhole() throws {
        try TempFolder.with { (folder: TempFolder) throws in
            let path = folder.file("state.json")
            let store = FileLedgerStore(path: path)
            try store.update { $0 = SendLog(sends: [Self.start], operations: ["a": Self.start]) }
            // A recording log from another update assigned here: its recording is not this update's.
            let foreign = try FileLedgerStore(path: folder.file("other.json")).update { log -> SendLog in
                log.append(Self.start + 5)
                return log
            }
            try store.update { $0 = foreign }
            #expect(try FileLedgerStore(path: path).read() == SendLog(sends: [Self.start + 5]))
        }
    }

    /// A small log with sends, operations, pending own sends and links, times close together so
    /// that mutations collide on them.
    static func randomLog(_ random: inout SplitMix64) -> SendLog {
        var log = SendLog()
        for _ in 0..<random.int(0...10) { _ = mutate(&log, &random) }
        return log
    }

    static let sources = ["1", "2", "3"]

    static func randomSend(_ random: inout SplitMix64, at time: Int64) -> OwnSend {
        OwnSend(intent: time, source: sources[random.int(0...2)], target: random.chance(0.2) ? "training" : "pool")
    }

    /// One mutation as the ledger's callers make them; returns what it did, for a failure message.
    static func mutate(_ log: inout SendLog, _ random: inout SplitMix64) -> String {
        let time = start + random.int64(0...40)
        let newest = max(log.sends.last ?? time, time)
        switch random.int(0...11) {
        case 0:
            log.append(newest)
            return "append \(newest)"
        case 1:
            let send = randomSend(&random, at: newest)
            log.append(send)
            return "own send \(send)"
        case 2:
            log.insert(time)
            return "insert \(time)"
        case 3:
            let target = random.chance(0.7) ? (log.sends.randomElement(using: &random) ?? time) : time
            log.removeSend(at: target)
            return "remove \(target)"
        case 4:
            log.block(until: time + 10)
            return "block \(time + 10)"
        case 5:
            let span = random.int64(0...3) * 1500
            log.declare(retention: span)
            return "declare \(span)"
        case 6:
            let now = time + random.int64(0...30)
            let retention = random.int64(0...40)
            log.prune(now: now, retention: retention)
            return "prune \(now) \(retention)"
        case 7, 8:
            let send = log.pending.randomElement(using: &random) ?? randomSend(&random, at: time)
            let operation = "op-\(random.int(0...6))"
            let arrival = random.chance(0.3) ? nil : send.intentMilliseconds + random.int64(-5...20)
            log.attach(operationID: operation, send: send, arrival: arrival)
            return "attach \(operation) \(send) \(arrival.map(String.init) ?? "-")"
        case 9:
            let clones = (0..<random.int(0...3)).map { _ in
                AccountClone(
                    operationID: "op-\(random.int(0...8))",
                    time: LocalInstant(epochMilliseconds: start + random.int64(0...40)),
                    source: sources[random.int(0...2)]
                )
            }
            log.merge(clones)
            return "merge \(clones.map(\.operationID))"
        case 10:
            let send = randomSend(&random, at: time)
            log.addPending(send)
            return "pending \(send)"
        default:
            if let send = log.pending.randomElement(using: &random) {
                _ = log.removePending(send)
                return "unpend \(send)"
            }
            return "nothing pending"
        }
    }
}
