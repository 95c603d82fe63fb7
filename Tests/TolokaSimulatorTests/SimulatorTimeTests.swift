import Foundation
import Testing

@testable import TolokaSimulator

struct SimulatorTimeTests {
    @Test func formatsUTCWithMillisecondsAndNoZone() {
        let date = Date(timeIntervalSince1970: 1_460_045_175.902)
        #expect(SimulatorTime.format(date) == "2016-04-07T16:06:15.902")
    }

    @Test func parsesWithAndWithoutFractionAndZ() throws {
        let expected = Date(timeIntervalSince1970: 1_460_045_175)
        #expect(SimulatorTime.parse("2016-04-07T16:06:15") == expected)
        #expect(SimulatorTime.parse("2016-04-07T16:06:15Z") == expected)
        let fractional = try #require(SimulatorTime.parse("2016-04-07T16:06:15.902"))
        #expect(abs(fractional.timeIntervalSince1970 - 1_460_045_175.902) < 0.0005)
        #expect(SimulatorTime.format(fractional) == "2016-04-07T16:06:15.902")
    }

    @Test(arguments: [
        "", "2016-04-07", "2016-13-07T16:06:15", "2016-02-30T00:00:00", "2016-04-07 16:06:15", "2016-04-07T16:06:15.",
        "2016-04-07T16:06:15+03:00",
    ])
    func rejectsMalformed(_ text: String) {
        #expect(SimulatorTime.parse(text) == nil)
    }
}
