import Foundation
import Testing

@testable import TolokaSimulator

struct SimulatedAccountTests {
    let start = RouteHarness.start

    func account(_ configure: (inout SimulatorConfiguration) -> Void = { _ in }) -> SimulatedAccount {
        var configuration = SimulatorConfiguration()
        configuration.operationLatency = 1...1
        configure(&configuration)
        return SimulatedAccount(configuration: configuration, now: start)
    }

    func at(_ seconds: Double) -> Date {
        start.addingTimeInterval(seconds)
    }

    @Test func minuteLimitRejectsTheTwentyFirstAndReportsRetryAfter() throws {
        var model = account()
        for index in 0..<20 {
            _ = try model.clonePool(id: "5", now: at(Double(index)))
        }
        #expect(throws: SimulatedError.self) { try model.clonePool(id: "5", now: at(30)) }
        do {
            _ = try model.clonePool(id: "5", now: at(30.5))
        } catch {
            #expect(error.status == 429)
            #expect(error.payload == .object([("interval", .string("MIN"))]))
            // The oldest arrival (t=0) leaves the window at t=60: 29.5 s, rounded up.
            #expect(error.retryAfter == 30)
        }
        #expect(model.stats.acceptedClones == 20)
        #expect(model.stats.tooManyRequests == 2)
        #expect(model.stats.clonesPerPool == ["5": 20])
    }

    @Test func rejectedRequestsKeepTheWindowFullUnderTheStrictReading() throws {
        var strict = account()
        var lenient = account { $0.rejectedRequestsCount = false }
        for index in 0..<20 {
            _ = try strict.clonePool(id: "5", now: at(Double(index)))
            _ = try lenient.clonePool(id: "5", now: at(Double(index)))
        }
        _ = try? strict.clonePool(id: "5", now: at(50))
        _ = try? lenient.clonePool(id: "5", now: at(50))
        // At t=60.5 the t=0 arrival left; the strict window still holds 19 accepted + 1 rejected.
        #expect(throws: SimulatedError.self) { try strict.clonePool(id: "5", now: at(60.5)) }
        _ = try lenient.clonePool(id: "5", now: at(60.5))
        #expect(lenient.stats.acceptedClones == 21)
    }

    @Test func dayLimitReportsDayInterval() throws {
        var model = account {
            $0.limits = [
                SimulatedLimit(count: 2, window: .seconds(60)), SimulatedLimit(count: 3, window: .seconds(86_400)),
            ]
        }
        for seconds in [0.0, 100, 200] {
            _ = try model.clonePool(id: "1", now: at(seconds))
        }
        do {
            _ = try model.clonePool(id: "1", now: at(300))
            Issue.record("expected 429")
        } catch {
            #expect(error.payload == .object([("interval", .string("DAY"))]))
            #expect(error.retryAfter == 86_400 - 300)
        }
    }

    @Test func derivedIntervals() {
        #expect(SimulatedLimit(count: 1, window: .seconds(60)).interval == "MIN")
        #expect(SimulatedLimit(count: 1, window: .seconds(3600)).interval == "HOUR")
        #expect(SimulatedLimit(count: 1, window: .seconds(3601)).interval == "DAY")
        #expect(SimulatedLimit(count: 1, window: .seconds(5), interval: "X").interval == "X")
    }

    @Test func missingForbiddenAndLockedPoolsDoNotCount() throws {
        var model = account {
            $0.limits = [SimulatedLimit(count: 1, window: .seconds(60))]
            $0.missingPools = ["7"]
            $0.faults.forbiddenPools = ["8"]
            $0.faults.lockedPools = ["9": 2]
        }
        #expect(throws: SimulatedError.doesNotExist("pool 7 does not exist")) {
            try model.clonePool(id: "7", now: at(0))
        }
        #expect(throws: SimulatedError.self) { try model.clonePool(id: "abc", now: at(0)) }
        do {
            _ = try model.clonePool(id: "8", now: at(0))
        } catch {
            #expect(error.status == 403 && error.code == "ACCESS_DENIED")
        }
        for _ in 0..<2 {
            do {
                _ = try model.clonePool(id: "9", now: at(1))
            } catch {
                #expect(error.status == 409 && error.code == "POOL_LOCKED_BY_ANOTHER_OPERATION")
            }
        }
        _ = try model.clonePool(id: "9", now: at(2))
        #expect(model.stats.acceptedClones == 1)
    }

    @Test func foreignClonesCountAgainstTheLimits() throws {
        var model = account {
            $0.limits = [SimulatedLimit(count: 3, window: .seconds(60))]
            $0.faults.foreignClones = 2
        }
        _ = try model.clonePool(id: "1", now: at(1))
        #expect(throws: SimulatedError.self) { try model.clonePool(id: "1", now: at(2)) }
        #expect(model.stats.acceptedClones == 1)
        _ = try model.clonePool(id: "1", now: at(61))
    }

    @Test func operationMovesFromPendingThroughRunningToSuccess() throws {
        var model = account { $0.operationLatency = 10...10 }
        let (operation, fault) = try model.clonePool(id: "42", now: at(0))
        #expect(fault == nil)
        #expect(operation.status(at: at(2.9)) == .pending)
        #expect(operation.started(at: at(2.9)) == nil)
        #expect(operation.status(at: at(3)) == .running)
        #expect(operation.started(at: at(5)) == at(3))
        #expect(operation.progress(at: at(6.5)) == 50)
        #expect(operation.status(at: at(10)) == .success)
        #expect(operation.finished(at: at(10)) == at(10))
        let pending = operation.json(at: at(1))
        guard case .object(let pendingMembers) = pending else { return }
        #expect(!pendingMembers.contains { $0.0 == "details" || $0.0 == "started" || $0.0 == "finished" })
        guard case .object(let members) = operation.json(at: at(11)) else { return }
        let details = members.first { $0.0 == "details" }?.1
        #expect(details == .object([("pool_id", .string("1000001"))]))
    }

    @Test func failRateOneMakesEveryOperationFail() throws {
        var model = account { $0.faults.operationFailRate = 1 }
        let (operation, _) = try model.clonePool(id: "42", now: at(0))
        #expect(operation.status(at: at(5)) == .fail)
        guard case .object(let members) = operation.json(at: at(5)) else { return }
        #expect(members.first { $0.0 == "details" }?.1 != .object([("pool_id", .string("1000001"))]))
    }

    @Test func newPoolIDsAreAllocatedAtCreationInOrder() throws {
        var model = account()
        let first = try model.clonePool(id: "1", now: at(0)).0
        let second = try model.clonePool(id: "1", now: at(0)).0
        #expect(first.successDetails == .object([("pool_id", .string("1000001"))]))
        #expect(second.successDetails == .object([("pool_id", .string("1000002"))]))
        #expect(try model.pool(id: "1000002").created == second.finishedAt)
    }

    @Test func globalCapCountsEveryRequestInTheLastSecond() throws {
        var model = account { $0.globalRequestsPerSecond = 3 }
        for _ in 0..<3 {
            try model.admitRequest(now: at(0))
        }
        do {
            try model.admitRequest(now: at(0.5))
            Issue.record("expected 429")
        } catch {
            // The real API names no window for its global limit; clients know only MIN, HOUR and DAY.
            #expect(error.payload == nil)
            #expect(error.retryAfter == 1)
        }
        try model.admitRequest(now: at(1.2))
    }

    @Test func sameSeedReproducesFaultsAndIdentifiers() throws {
        func run() throws -> [String] {
            var model = account {
                $0.faults.operationFailRate = 0.5
                $0.faults.postCommitThenFailRate = 0.3
                $0.operationLatency = 0.5...2
            }
            return try (0..<10).map { index in
                let (operation, fault) = try model.clonePool(id: "3", now: at(Double(index)))
                return "\(operation.id) \(operation.latency) \(operation.willFail) \(String(describing: fault))"
            }
        }
        #expect(try run() == run())
    }
}
