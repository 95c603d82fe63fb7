import Testing

@testable import BatchCloneKit

/// The time index beside the operations' dictionary: it answers as a pass over the dictionary would,
/// and pruning through it leaves the log a pass over everything would.
@Suite struct OperationTimesTests {
    @Test func randomSetsAndRemovalsAnswerAsTheDictionaryDoes() {
        var random = SplitMix64(seed: 22)
        for _ in 0..<200 {
            var times = OperationTimes()
            var oracle: [String: Int64] = [:]
            for _ in 0..<random.int(1...60) {
                let id = "op-\(random.int(0...20))"
                switch random.int(0...9) {
                case 0...1:
                    times[id] = nil
                    oracle[id] = nil
                case 2:
                    let cutoff = random.int64(0...30)
                    let removed = times.removeAll(atOrBefore: cutoff)
                    let expected = oracle.filter { $0.value <= cutoff }
                    #expect(Dictionary(uniqueKeysWithValues: removed.map { ($0.id, $0.time) }) == expected)
                    #expect(removed.map(\.time) == removed.map(\.time).sorted())
                    oracle = oracle.filter { $0.value > cutoff }
                default:
                    let time = random.int64(0...30)
                    times[id] = time
                    oracle[id] = time
                }
                #expect(times.byID == oracle)
                let probe = random.int64(-1...31)
                #expect(times.count(at: probe) == oracle.values.count { $0 == probe })
            }
            #expect(times == OperationTimes(oracle))
        }
    }

    @Test func countAtTheExtremesOfTimeNeitherOverflowsNorMisses() {
        let times: OperationTimes = ["a": .min, "b": .max, "c": .max, "d": 0]
        #expect(times.count(at: .min) == 1)
        #expect(times.count(at: .max) == 2)
        #expect(times.count(at: 0) == 1)
        var pruned = times
        #expect(pruned.removeAll(atOrBefore: .max).count == 4)
        #expect(pruned.isEmpty)
    }

    /// `prune` drops operations and their links by the index; the result must be the filters' over all.
    @Test func pruneLeavesWhatFilteringEveryOperationAndLinkLeaves() {
        var random = SplitMix64(seed: 7)
        for _ in 0..<300 {
            var operations: [String: Int64] = [:]
            var links: [String: OwnSend] = [:]
            var sends: [Int64] = []
            for index in 0..<random.int(0...40) {
                let time = random.int64(0...100)
                sends.append(time)
                guard random.chance(0.7) else { continue }
                operations["op-\(index)"] = time
                if random.chance(0.6) {
                    links["op-\(index)"] = OwnSend(intent: time - 1, source: "p\(index)", target: "pool")
                }
            }
            var log = SendLog(sends: sends, operations: operations, links: links)
            log.startRecording()
            let now = random.int64(0...150)
            let retention: Int64 = 50
            log.prune(now: now, retention: retention)
            let cutoff = now - retention
            // The filters apply only when a send was old enough to drop, as before the index.
            let dropped = sends.contains { $0 <= cutoff }
            let keptOperations = dropped ? operations.filter { $0.value > cutoff } : operations
            #expect(log.operations == OperationTimes(keptOperations))
            #expect(log.links == links.filter { keptOperations[$0.key] != nil })
            let change = log.takeRecordedChange()
            #expect(Set(change.operations.keys) == Set(operations.keys).subtracting(keptOperations.keys))
        }
    }
}
