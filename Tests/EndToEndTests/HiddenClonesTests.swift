import BatchCloneKit
import Foundation
import Testing
import TolokaSimulator

extension EndToEnd {
    /// Clones made elsewhere that no listing shows fill the long window mid-run: one 429 names `DAY`,
    /// and the run probes until the window frees instead of blocking a (scaled) day or stopping.
    @Suite(.serialized)
    struct HiddenClonesTests {
        static let short = RateLimit(count: 10, window: .seconds(1))
        static let long = RateLimit(count: 30, window: .seconds(10))
        static let hidden = HiddenClones(count: 10, after: .milliseconds(1500))
        /// The longest probe spacing: a quarter of the long window.
        static let longestProbeStep = 2.5

        @Test func hiddenClonesFillingTheLongWindowCostProbesNotADay() async throws {
            let workspace = try Workspace()
            defer { workspace.remove() }
            var configuration = SimulatorConfiguration()
            configuration.limits = SimulatedLimit.ranked([
                SimulatedLimit(count: Self.short.count, window: Self.short.window),
                SimulatedLimit(count: Self.long.count, window: Self.long.window),
            ])
            configuration.operationLatency = 0.2...0.8
            configuration.hiddenClones = [Self.hidden]
            configuration.faults.retryAfter = false
            let simulator = TolokaSimulator(configuration: configuration)
            _ = try simulator.start()
            defer { simulator.stop() }
            let started = Date()
            let pools = Workspace.poolIDs(30)
            let csv = try workspace.writePools(pools)

            let outcome = try await BatchCloneBinary.run(
                [
                    csv, "--base-url", simulator.baseURL.absoluteString, "--state", workspace.path("state.json"),
                    "--poll-interval", "200ms", "--limit", "10/1s", "--limit", "30/10s", "--margin", "100ms",
                    "--max-wait", "30s",
                ],
                in: workspace.folder
            )

            #expect(outcome.status == 0, "\(outcome)")
            #expect(outcome.stderr.contains("the DAY window (limit 30/10s) is full (429)"), "\(outcome.stderr)")
            #expect(!outcome.stderr.contains("used up until"), "\(outcome.stderr)")
            let stats = simulator.stats
            #expect(stats.hiddenClones == Self.hidden.count)
            #expect(stats.tooManyRequests >= 1 && stats.tooManyRequests <= 10, "\(stats.tooManyRequests) x 429")
            let own = stats.clonesPerPool.filter { pools.contains($0.key) }
            #expect(own.count == pools.count && own.values.allSatisfy { $0 == 1 })

            // The schedule the hidden clones allow: the last ten pools fit once both the hidden clones and
            // the second own burst (a short window and its margin after the first) left the long window.
            let arrivals = stats.cloneArrivals
            let first = try #require(arrivals.first).timeIntervalSince(started)
            let last = try #require(arrivals.last).timeIntervalSince(started)
            let hiddenAt =
                Double(Self.hidden.after.components.seconds)
                + Double(Self.hidden.after.components.attoseconds) / 1e18
            let allowed = max(hiddenAt, first + 1.1) + 10
            // One probe step, and a second for a loaded machine.
            #expect(last <= allowed + Self.longestProbeStep + 1, "last clone at \(last) s, allowed at \(allowed) s")
            // Not a blind window from the refusal either: the run did wait for the window to free.
            #expect(last >= hiddenAt + 10 - 1, "last clone at \(last) s")
        }
    }
}
