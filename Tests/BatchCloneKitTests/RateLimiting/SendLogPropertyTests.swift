import Foundation
import Testing

@testable import BatchCloneKit

/// Issue 20 item 2: random interleavings of own sends, answers, lost answers, late commits,
/// listings with own and foreign clones, process deaths, compaction and several processes on one
/// log. After every step the count must not fall below what the server accepted that the ledger
/// could know of, in any window; once everything settles it must equal it (no drift).
@Suite struct SendLogPropertyTests {
    static let seeds: Range<UInt64> = 0..<2000
    static let steps = 60

    @Test func theCountErrsOnlyUpwardAndSettlesToTheServersCount() throws {
        var failures = 0
        var steps = 0
        var firstFailure: String?
        for seed in Self.seeds {
            var model = LedgerModel(rules: SendLogRules(), seed: seed, throughFile: seed % 10 == 0)
            if let failure = model.run(steps: Self.steps) {
                failures += 1
                if firstFailure == nil { firstFailure = "seed \(seed): \(failure)" }
            }
            steps += model.stepsRun
        }
        print("fixed rules: \(failures) of \(Self.seeds.count) seeds failed, \(steps) steps checked")
        #expect(failures == 0, "\(failures) of \(Self.seeds.count) seeds failed; first: \(firstFailure ?? "")")
    }

    /// The same scenarios against the rules before the fix: the test finds the lost count.
    @Test func theRulesBeforeTheFixFailTheSameProperty() {
        var failures = 0
        var duringSteps = 0
        let seeds = Self.seeds.prefix(500)
        for seed in seeds {
            var model = LedgerModel(rules: LegacyRules(), seed: seed, throughFile: false)
            guard let failure = model.run(steps: Self.steps) else { continue }
            failures += 1
            if failure.hasPrefix("step") { duringSteps += 1 }
        }
        print(
            "rules before the fix: \(failures) of \(seeds.count) seeds failed, "
                + "\(duringSteps) with a window counting fewer clones than the server accepted"
        )
        #expect(duringSteps > 0)
    }
}

/// The ledger operations the model drives, so that the rules before the fix can be driven too.
protocol LedgerRules {
    var sends: [Int64] { get }
    mutating func send(_ send: OwnSend)
    mutating func attach(operationID: String, send: OwnSend, arrival: Int64)
    mutating func merge(_ clones: [AccountClone])
    /// Rewrites the whole state as a compaction does (and, through the file, as lines do).
    mutating func compact(throughFile: Bool) throws
    /// Starts recording the step's mutations, as a store's update does.
    mutating func beginStep()
    /// The step's recorded change checked against the diff of the logs; through the file (one
    /// appended line applied to the log before it, as another process sees it) when `throughFile`.
    mutating func roundTripChange(from old: Self, throughFile: Bool) throws
}

struct SendLogRules: LedgerRules {
    var log = SendLog()
    var sends: [Int64] { log.sends }
    mutating func send(_ send: OwnSend) { log.append(send) }
    mutating func attach(operationID: String, send: OwnSend, arrival: Int64) {
        log.attach(operationID: operationID, send: send, arrival: arrival)
    }
    mutating func merge(_ clones: [AccountClone]) { log.merge(clones) }
    mutating func compact(throughFile: Bool) throws {
        guard throughFile else { return }
        log = try FileLedgerStore.decode(FileLedgerStore.encode(log), path: "state.json")
    }
    mutating func beginStep() { log.startRecording() }
    mutating func roundTripChange(from old: SendLogRules, throughFile: Bool) throws {
        let recorded = log.takeRecordedChange()
        let oracle = LedgerChange(diffing: old.log, to: log)
        guard recorded == oracle else {
            throw StorageError.corrupt(
                path: "state.json",
                reason: "recorded \(recorded.line()) != diff \(oracle.line())"
            )
        }
        guard throughFile else { return }
        let line = Array(recorded.line().utf8)
        var replayed = old.log
        let change = try LedgerFile.decodeChange(line.dropLast(), line: 2, path: "state.json")
        if let reason = change.apply(to: &replayed) { throw StorageError.corrupt(path: "state.json", reason: reason) }
        log = replayed
    }
}

struct LegacyRules: LedgerRules {
    var rules = LegacySendLogRules()
    var sends: [Int64] { rules.sends }
    mutating func send(_ send: OwnSend) { rules.insert(send.intentMilliseconds) }
    mutating func attach(operationID: String, send: OwnSend, arrival: Int64) {
        rules.attach(operationID: operationID, intent: send.intentMilliseconds, arrival: arrival)
    }
    mutating func merge(_ clones: [AccountClone]) { rules.merge(clones, claimBefore: 300_000, claimAfter: 1000) }
    mutating func compact(throughFile: Bool) throws {}
    mutating func beginStep() {}
    mutating func roundTripChange(from old: LegacyRules, throughFile: Bool) throws {}
}

/// The server, the processes sharing one ledger, and a reference of what the ledger could know.
struct LedgerModel<Rules: LedgerRules> {
    struct Clone {
        var id: String
        var source: String
        /// When the server counted it, and when its operation first shows in a listing (late commits).
        var arrival: Int64
        var visibleAt: Int64
        /// The own send behind it, if any.
        var own: OwnSend?
        /// Whether the reference counts it, and where: the latest time the ledger was told.
        var known = false
        var reference: Int64 = 0
        /// Whether the ledger has learned its operation ID (answer, reconciliation or listing).
        var operationKnown = false
    }

    struct InFlight {
        var process: Int
        var send: OwnSend
        /// Index into `clones`; nil when the POST never reached the server.
        var clone: Int?
        /// The answer will come (false: lost, or the process died).
        var answered: Bool
    }

    var rules: Rules
    var random: SplitMix64
    let throughFile: Bool
    var now: Int64 = 1_800_000_000_000
    var clones: [Clone] = []
    var inFlight: [InFlight] = []
    /// Own sends the server never received: the ledger may keep counting them (the safe side).
    var neverReceived: [Int64] = []
    var nextID = 0
    var stepsRun = 0
    let sources = ["1", "2", "3"]
    let spans: [Int64] = [2_040, 12_240]

    init(rules: Rules, seed: UInt64, throughFile: Bool) {
        self.rules = rules
        self.random = SplitMix64(seed: seed)
        self.throughFile = throughFile
    }

    /// Runs `steps` random steps then settles; the first broken promise, if any.
    mutating func run(steps: Int) -> String? {
        do {
            for step in 0..<steps {
                let before = rules
                rules.beginStep()
                let action = try randomStep()
                try rules.roundTripChange(from: before, throughFile: throughFile)
                stepsRun += 1
                if let failure = check() { return "step \(step) (\(action)): \(failure)" }
            }
            try settle()
            if let failure = check() { return "settling: \(failure)" }
            let expected = (clones.filter(\.known).map(\.reference) + neverReceived).sorted()
            if rules.sends != expected { return "settled count \(rules.sends) != reference \(expected)" }
        } catch {
            return "error \(error)"
        }
        return nil
    }

    mutating func newID() -> String {
        nextID += 1
        return "op-\(nextID)"
    }

    var newest: Int64 { rules.sends.last ?? now }

    mutating func randomStep() throws -> String {
        switch random.int(0...99) {
        case 0..<25:
            // An own send: granted no earlier than the newest entry, as takeSlot does.
            let process = random.int(0...2)
            let send = OwnSend(intent: max(now, newest), source: sources[random.int(0...2)])
            rules.send(send)
            if random.chance(0.1) {
                neverReceived.append(send.intentMilliseconds)
                inFlight.append(InFlight(process: process, send: send, clone: nil, answered: false))
                return "send \(send), never received"
            }
            let arrival = send.intentMilliseconds + random.int64(0...400)
            let late = random.chance(0.15) ? Int64(2000) : 0
            clones.append(
                Clone(
                    id: newID(),
                    source: send.source,
                    arrival: arrival,
                    visibleAt: arrival + late,
                    own: send,
                    known: true,
                    reference: send.intentMilliseconds
                )
            )
            inFlight.append(
                InFlight(process: process, send: send, clone: clones.count - 1, answered: !random.chance(0.15))
            )
            return "send \(send)"
        case 25..<40:
            // An answer arrives.
            guard
                let index = inFlight.indices.filter({
                    inFlight[$0].answered && inFlight[$0].clone.map { clones[$0].arrival <= now } == true
                }).randomElement(using: &random)
            else { return "no answer due" }
            let item = inFlight.remove(at: index)
            let arrival = clones[item.clone!].arrival + random.int64(-100...150)
            attach(clone: item.clone!, send: item.send, arrival: arrival)
            return "answer \(clones[item.clone!].id) for \(item.send)"
        case 40..<50:
            // A lost answer or a dead process's send is reconciled once its clone shows.
            guard
                let index = inFlight.indices.filter({
                    !inFlight[$0].answered && inFlight[$0].clone.map { clones[$0].visibleAt <= now } != false
                }).randomElement(using: &random)
            else { return "nothing to reconcile" }
            let item = inFlight.remove(at: index)
            guard let clone = item.clone else { return "reconciliation gave up on \(item.send)" }
            attach(clone: clone, send: item.send, arrival: clones[clone].arrival + random.int64(0...300))
            return "reconciled \(clones[clone].id) for \(item.send)"
        case 50..<60:
            // A clone made elsewhere, possibly of a pool a batch clones too.
            let arrival = now - random.int64(0...200)
            let late = random.chance(0.15) ? Int64(2000) : 0
            clones.append(
                Clone(id: newID(), source: sources[random.int(0...2)], arrival: arrival, visibleAt: arrival + late)
            )
            return "foreign clone"
        case 60..<72:
            list()
            return "listing"
        case 72..<76:
            // A process dies: the answers of its sends never come; its journal still knows them.
            let process = random.int(0...2)
            for index in inFlight.indices where inFlight[index].process == process {
                inFlight[index].answered = false
            }
            return "process \(process) died"
        case 76..<80:
            try rules.compact(throughFile: throughFile)
            return "compaction"
        default:
            now += random.int64(1...1500)
            return "time"
        }
    }

    mutating func attach(clone index: Int, send: OwnSend, arrival: Int64) {
        rules.attach(operationID: clones[index].id, send: send, arrival: arrival)
        clones[index].reference = max(clones[index].reference, send.intentMilliseconds, arrival)
        clones[index].operationKnown = true
    }

    mutating func list() {
        let lead = random.int64(0...300)
        var listed: [AccountClone] = []
        for index in clones.indices where clones[index].visibleAt <= now {
            let time = clones[index].arrival + lead
            listed.append(
                AccountClone(
                    operationID: clones[index].id,
                    time: LocalInstant(epochMilliseconds: time),
                    source: clones[index].source
                )
            )
            if !clones[index].operationKnown {
                clones[index].reference = clones[index].known ? max(clones[index].reference, time) : time
                clones[index].known = true
                clones[index].operationKnown = true
            }
        }
        rules.merge(listed)
    }

    /// Every late clone shows, every answer comes or is reconciled, and a last listing.
    mutating func settle() throws {
        now += 5000
        for item in inFlight {
            if let clone = item.clone {
                attach(clone: clone, send: item.send, arrival: clones[clone].arrival + (item.answered ? 0 : 300))
            }
        }
        inFlight.removeAll()
        list()
    }

    /// The first window in which the ledger counts fewer clones than the reference, if any: only a
    /// window ending at a reference clone or just before a ledger entry leaves can be the worst.
    func check() -> String? {
        let reference = clones.filter(\.known).map(\.reference).sorted()
        let ledger = rules.sends
        for span in spans {
            for end in reference + ledger.map({ $0 + span - 1 }) {
                let counted = Self.count(ledger, after: end - span, upTo: end)
                let accepted = Self.count(reference, after: end - span, upTo: end)
                if counted < accepted {
                    return "window (\(end - span), \(end)] counts \(counted) of \(accepted) clones; "
                        + "ledger \(ledger), reference \(reference)"
                }
            }
        }
        return nil
    }

    /// Entries of the sorted `times` in (`start`, `end`].
    static func count(_ times: [Int64], after start: Int64, upTo end: Int64) -> Int {
        upperBound(times, end) - upperBound(times, start)
    }

    static func upperBound(_ times: [Int64], _ value: Int64) -> Int {
        var low = 0
        var high = times.count
        while low < high {
            let middle = (low + high) / 2
            if times[middle] <= value { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
