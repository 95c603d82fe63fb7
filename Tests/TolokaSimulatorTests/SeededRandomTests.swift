import Testing

@testable import TolokaSimulator

struct SeededRandomTests {
    @Test func sameSeedGivesSameSequence() {
        var first = SeededRandom(seed: 42)
        var second = SeededRandom(seed: 42)
        var other = SeededRandom(seed: 43)
        let a = (0..<5).map { _ in first.next() }
        let b = (0..<5).map { _ in second.next() }
        let c = (0..<5).map { _ in other.next() }
        #expect(a == b)
        #expect(a != c)
    }

    @Test func uuidIsLowercaseVersion4() {
        var random = SeededRandom(seed: 7)
        let uuid = random.uuid()
        #expect(uuid.count == 36)
        #expect(uuid == uuid.lowercased())
        let groups = uuid.split(separator: "-")
        #expect(groups.map(\.count) == [8, 4, 4, 4, 12])
        #expect(groups[2].first == "4")
        #expect("89ab".contains(groups[3].first!))
    }

    @Test func chanceMatchesRateRoughly() {
        var random = SeededRandom(seed: 1)
        let hits = (0..<10_000).filter { _ in random.chance(0.25) }.count
        #expect((2_200...2_800).contains(hits))
        let never = random.chance(0)
        #expect(!never)
    }
}
