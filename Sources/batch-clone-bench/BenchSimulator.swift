import BatchCloneKit
import Foundation
import TolokaSimulator

/// A fresh in-process simulator with the benchmark's scaled limits.
struct BenchSimulator {
    let simulator: TolokaSimulator
    /// `payload.interval` name to the scaled window it stands for, for clients that sleep "the window".
    let windows: [String: Duration]

    /// `responseDelay` delays every answer by a time drawn from the range (a loaded or distant server);
    /// `busyTemplates` answers 409 to a clone of a template whose earlier clone still runs.
    init(
        limits: [RateLimit],
        latency: ClosedRange<Double>,
        seed: UInt64,
        responseDelay: ClosedRange<Duration>? = nil,
        busyTemplates: Bool = false
    ) throws {
        let names = Self.intervalNames(limits)
        var configuration = SimulatorConfiguration()
        configuration.limits = zip(limits, names).map { limit, name in
            SimulatedLimit(count: limit.count, window: limit.window, interval: name)
        }
        configuration.operationLatency = latency
        configuration.seed = seed
        configuration.busyTemplates = busyTemplates
        if let responseDelay {
            configuration.faults.responseDelay = responseDelay.lowerBound
            configuration.faults.responseDelayJitter = responseDelay.upperBound - responseDelay.lowerBound
        }
        simulator = TolokaSimulator(configuration: configuration)
        var windows: [String: Duration] = [:]
        for (limit, name) in zip(limits, names) {
            windows[name] = max(windows[name] ?? .zero, limit.window)
        }
        self.windows = windows
        try simulator.start()
    }

    var baseURL: URL { simulator.baseURL }

    func stop() { simulator.stop() }

    /// Scaled limits keep Toloka's names: with two limits the short one is the minute quota and the
    /// long one the daily quota, as for the real clone limits; the simulator would otherwise call
    /// every window under a minute `MIN`, and a client could not tell them apart.
    static func intervalNames(_ limits: [RateLimit]) -> [String] {
        let ranked: [String]
        switch limits.count {
        case 1: ranked = ["MIN"]
        case 2: ranked = ["MIN", "DAY"]
        case 3: ranked = ["MIN", "HOUR", "DAY"]
        default: return limits.map { SimulatedLimit(count: $0.count, window: $0.window).interval }
        }
        let order = limits.indices.sorted { limits[$0].window < limits[$1].window }
        var names = [String](repeating: "", count: limits.count)
        for (rank, index) in order.enumerated() { names[index] = ranked[rank] }
        return names
    }
}
