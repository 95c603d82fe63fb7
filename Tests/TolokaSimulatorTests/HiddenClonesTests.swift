import Foundation
import Testing

@testable import TolokaSimulator

/// Clones made elsewhere during a run that no listing shows, and the names of scaled windows.
struct HiddenClonesTests {
    let start = RouteHarness.start

    func account(_ configure: (inout SimulatorConfiguration) -> Void) -> SimulatedAccount {
        var configuration = SimulatorConfiguration()
        configuration.operationLatency = 1...1
        configure(&configuration)
        return SimulatedAccount(configuration: configuration, now: start)
    }

    func at(_ seconds: Double) -> Date { start.addingTimeInterval(seconds) }

    @Test func scaledWindowsAreNamedByRank() {
        let limits = SimulatedLimit.ranked([
            SimulatedLimit(count: 50, window: .seconds(12)), SimulatedLimit(count: 10, window: .seconds(2)),
            SimulatedLimit(count: 30, window: .seconds(6)),
        ])
        #expect(limits.map(\.interval) == ["DAY", "MIN", "HOUR"])
        // Real limits keep their meaning; a lone window keeps the name of its length.
        let real = SimulatedLimit.ranked([
            SimulatedLimit(count: 20, window: .seconds(60)), SimulatedLimit(count: 100, window: .seconds(86_400)),
        ])
        #expect(real.map(\.interval) == ["MIN", "DAY"])
        #expect(SimulatedLimit.ranked([SimulatedLimit(count: 5, window: .seconds(2))]).map(\.interval) == ["MIN"])
        #expect(SimulatedLimit.ranked([SimulatedLimit(count: 5, window: .seconds(7200))]).map(\.interval) == ["DAY"])
    }

    @Test func aScaledLongWindowIsRefusedAsDay() throws {
        // Under the old rule every window of a minute or less was MIN.
        var model = account {
            $0.limits = SimulatedLimit.ranked([
                SimulatedLimit(count: 10, window: .seconds(2)), SimulatedLimit(count: 3, window: .seconds(12)),
            ])
        }
        for seconds in [0.0, 3, 6] { _ = try model.clonePool(id: "1", now: at(seconds)) }
        do {
            _ = try model.clonePool(id: "1", now: at(9))
            Issue.record("expected 429")
        } catch {
            #expect(error.status == 429 && error.payload == .object([("interval", .string("DAY"))]))
        }
    }

    @Test func hiddenClonesCountInTheWindowsFromTheirTimeAndAreNeverListed() throws {
        var model = account {
            $0.limits = [SimulatedLimit(count: 5, window: .seconds(10))]
            $0.hiddenClones = [HiddenClones(count: 3, after: .seconds(2))]
            $0.faults.retryAfter = true
        }
        _ = try model.clonePool(id: "1", now: at(0))
        _ = try model.clonePool(id: "2", now: at(1))
        // At 2 s the three hidden clones fill the window: 1 + 1 + 3.
        do {
            _ = try model.clonePool(id: "3", now: at(3))
            Issue.record("expected 429")
        } catch {
            #expect(error.status == 429)
            // The own clone at 0 leaves the window at 10 s.
            #expect(error.retryAfter == 7)
        }
        #expect(model.stats.hiddenClones == 3)
        #expect(model.stats.acceptedClones == 2)
        // The listing shows the two own clones only.
        let listed = model.listOperations(OperationQuery(), now: at(3)).items.filter { $0.type == "POOL.CLONE" }
        #expect(listed.count == 2)
        // At 10.5 s the window still holds the own clone of 1 s, the hidden three and the refused request;
        // once the hidden ones left it too (12 s) there is room.
        #expect(throws: SimulatedError.self) { try model.clonePool(id: "3", now: at(10.5)) }
        _ = try model.clonePool(id: "3", now: at(12.5))
        #expect(model.stats.acceptedClones == 3 && model.stats.hiddenClones == 3)
    }

    @Test func theCommandLineFormParses() {
        let parse = { (text: String) in
            HiddenClones.parse(text) { $0 == "6s" ? .seconds(6) : nil }
        }
        #expect(parse("40@6s") == HiddenClones(count: 40, after: .seconds(6)))
        #expect(parse("3@1.5") == HiddenClones(count: 3, after: .milliseconds(1500)))
        #expect(parse("0@6s") == nil)
        #expect(parse("40") == nil)
        #expect(parse("x@6s") == nil)
        #expect(parse("4@later") == nil)
    }
}
