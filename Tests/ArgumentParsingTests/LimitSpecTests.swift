import ArgumentParsing
import Testing

@Suite struct LimitSpecTests {
    @Test(arguments: [
        ("20/1m", 20, Duration.seconds(60)), ("20/3s", 20, .seconds(3)), ("100/24h", 100, .seconds(86_400)),
        (" 5 / 250ms ", 5, .milliseconds(250)), ("1/1.5s", 1, .milliseconds(1500)), ("007/1s", 7, .seconds(1)),
    ])
    func parsesLimits(text: String, count: Int, window: Duration) {
        #expect(LimitSpec.parse(text) == LimitSpec(count: count, window: window))
    }

    @Test(arguments: [
        "", "20", "20/", "/1m", "0/1m", "-1/1m", "+1/1m", "1.5/1m", "20/0s", "20/1", "20/m", "20/1m/2",
        "a/1m", "99999999999999999999/1m", "20//1m", "2 0/1m",
    ])
    func rejectsInvalidLimits(text: String) {
        #expect(LimitSpec.parse(text) == nil)
    }

    @Test func descriptionIsCanonicalAndReparses() {
        let cases: [(String, String)] = [
            ("20/1m", "20/1m"), ("20/60s", "20/1m"), ("5/1.5m", "5/90s"), ("3/24h", "3/1d"), (" 1 /250ms", "1/250ms"),
        ]
        for (input, expected) in cases {
            let limit = LimitSpec.parse(input)
            #expect(limit?.description == expected)
            #expect(LimitSpec.parse(expected) == limit)
        }
    }

    @Test func limitsAreHashable() {
        let set: Set = [LimitSpec(count: 1, window: .seconds(60)), LimitSpec.parse("1/1m")!]
        #expect(set.count == 1)
    }
}
