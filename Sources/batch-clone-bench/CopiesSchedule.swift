import BatchCloneKit
import Foundation

/// How serialised copies change the optimum schedule (issue 21): batch-clone on CSVs with a
/// `copies` column, against a simulator whose templates are busy while a clone of them runs and
/// whose every clone operation takes the same time, so the chain of copies has a known length.
struct CopiesSchedule: Sendable {
    let options: BenchOptions
    let workspace: Workspace

    /// Every clone operation takes exactly this long: a source with c copies needs (c-1) of them
    /// between its first and last send.
    static let operationSeconds = 0.5
    /// batch-clone's poll interval here: short against the operation, so each link of a chain
    /// is the operation plus at most one poll interval and a request.
    static let pollInterval = Duration.milliseconds(100)

    /// One CSV: its rows, in order, each a source and its copies.
    struct Scenario: Sendable {
        var name: String
        var rows: [(pool: String, copies: Int)]

        var clones: Int { rows.reduce(0) { $0 + $1.copies } }
        /// The source with the most copies (the first of them on a tie).
        var longest: (pool: String, copies: Int) {
            rows.max { $0.copies < $1.copies } ?? ("", 0)
        }
    }

    /// One scenario's bounds and what batch-clone achieved, read from the simulator and the journal.
    struct Figure {
        var scenario: Scenario
        /// The rate-limit optimum for this many clones, without margin.
        var rateOptimum: Double
        /// The longest source's chain: (copies - 1) operations.
        var chainBound: Double
        /// First to last accepted clone arrival.
        var lastSend: Double
        /// The longest source's first and last clone submissions, from the run's first submission.
        var chainStart: Double?
        var chainEnd: Double?
        var tooManyRequests: Int
        /// Clone POSTs refused (429 and 409 busy template).
        var refused: Int
        /// Clones beyond the copies asked of each source.
        var duplicates: Int
        /// Clones the CSV asks for and the simulator accepted, up to the copies asked of each source.
        var cloned: Int
        var outcome: ChildProcess.Outcome
        var command: String

        var optimum: Double { max(rateOptimum, chainBound) }
        var complete: Bool { outcome.succeeded && cloned == scenario.clones && duplicates == 0 }
    }

    /// (a) rate limits dominate, (b) the chain dominates, (c) one long chain among single copies,
    /// last in the CSV and first, to show whether its place matters.
    static func scenarios() -> [Scenario] {
        let pools = Workspace.poolIDs(200, from: 40_000_000)
        let single = pools[100..<148].map { ($0, 1) }
        let long = (pools[199], 16)
        return [
            Scenario(name: "a: 30 sources x 2 copies", rows: pools[0..<30].map { ($0, 2) }),
            Scenario(name: "b: 2 sources x 15 copies", rows: pools[50..<52].map { ($0, 15) }),
            Scenario(name: "c: 48 x 1 copy, then 1 x 16", rows: single + [long]),
            Scenario(name: "c: 1 x 16, then 48 x 1 copy", rows: [long] + single),
        ]
    }

    func measure(progress: (String) -> Void) async throws -> [Figure] {
        var figures: [Figure] = []
        let scenarios = Self.scenarios()
        for (index, scenario) in scenarios.enumerated() {
            progress("copies \(index + 1)/\(scenarios.count): \(scenario.name), \(scenario.clones) clones")
            figures.append(try await run(scenario, name: "copies-\(index + 1)"))
        }
        return figures
    }

    private func run(_ scenario: Scenario, name: String) async throws -> Figure {
        let simulator = try BenchSimulator(
            limits: options.limits,
            latency: Self.operationSeconds...Self.operationSeconds,
            seed: options.seed,
            busyTemplates: true
        )
        defer { simulator.stop() }
        let folder = try workspace.folder(name)
        let csv = try workspace.writeCopiesCSV(name + ".csv", rows: scenario.rows)
        let child = BatchCloneInvocation(binary: options.binary, folder: folder)
            .run(
                csv: csv,
                baseURL: simulator.baseURL,
                limits: options.limits,
                pollInterval: Self.pollInterval,
                label: "batch-clone"
            )
        let outcome = try await child.run()
        let stats = simulator.simulator.stats
        let result = StrategyResult(name: "batch-clone", pools: [], stats: stats)
        var duplicates = 0
        var cloned = 0
        for row in scenario.rows {
            let accepted = stats.clonesPerPool[row.pool] ?? 0
            duplicates += max(0, accepted - row.copies)
            cloned += min(accepted, row.copies)
        }
        let longest = scenario.longest
        let chain = Self.chain(of: longest.pool, journal: folder + "/run.journal")
        return Figure(
            scenario: scenario,
            rateOptimum: Optimum(limits: options.limits, sends: scenario.clones).lastSend,
            chainBound: Double(longest.copies - 1) * Self.operationSeconds,
            lastSend: result.lastSend,
            chainStart: chain?.start,
            chainEnd: chain?.end,
            tooManyRequests: stats.tooManyRequests,
            refused: stats.clonePostsPerPool.values.reduce(0, +) - stats.acceptedClones,
            duplicates: duplicates,
            cloned: cloned,
            outcome: outcome,
            command: child.commandLine
        )
    }

    /// When `source`'s first and last clones were submitted, in seconds after the run's first
    /// submission, from the journal's `submitted` lines (the server's own time of each).
    static func chain(of source: String, journal path: String) -> (start: Double, end: Double)? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        var first: Int64?
        var times: [Int64] = []
        for line in text.split(separator: "\n") {
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                object["event"] as? String == "submitted", let pool = object["pool"] as? String,
                let at = (object["at"] as? String).flatMap(UTCTimestamp.parse)
            else { continue }
            first = min(first ?? at, at)
            if WorkItem(journalKey: pool)?.source == source { times.append(at) }
        }
        guard let first, let start = times.min(), let end = times.max() else { return nil }
        return (Double(start - first) / 1000, Double(end - first) / 1000)
    }

    static func table(_ figures: [Figure]) -> TextTable {
        var table = TextTable([
            ("scenario", .left), ("clones", .right), ("rate optimum", .right), ("chain bound", .right),
            ("optimum", .right), ("last send", .right), ("ratio", .right), ("longest chain sent", .right),
            ("429s", .right), ("refused", .right), ("duplicates", .right),
        ])
        for figure in figures {
            var chain = "-"
            if let start = figure.chainStart, let end = figure.chainEnd {
                chain = Format.seconds(start) + " to " + Format.seconds(end)
            }
            table.add([
                figure.scenario.name,
                figure.cloned == figure.scenario.clones
                    ? "\(figure.cloned)" : "\(figure.cloned)/\(figure.scenario.clones)",
                Format.seconds(figure.rateOptimum), Format.seconds(figure.chainBound), Format.seconds(figure.optimum),
                Format.seconds(figure.lastSend),
                figure.optimum > 0 ? Format.ratio(figure.lastSend / figure.optimum) : "-",
                chain, "\(figure.tooManyRequests)", "\(figure.refused)", "\(figure.duplicates)",
            ])
        }
        return table
    }
}
