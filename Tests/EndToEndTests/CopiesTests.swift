import BatchCloneKit
import Foundation
import Testing
import TolokaSimulator

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// A CSV with copies, then the same CSV with more: each source cloned exactly as many times as asked
/// in total, never two clones of one source running at once.
extension EndToEnd {
    @Suite(.serialized)
    struct CopiesTests {
        static func writeCopies(_ copies: [(String, Int)], in workspace: Workspace) throws -> String {
            let text = "pool_id,copies\n" + copies.map { "\($0.0),\($0.1)\n" }.joined()
            try text.write(toFile: workspace.path("pools.csv"), atomically: true, encoding: .utf8)
            return workspace.path("pools.csv")
        }

        /// Every clone operation of the simulator: its source, when it was submitted and finished.
        static func operations(_ simulator: TolokaSimulator) async throws -> [(source: String, from: Int64, to: Int64)]
        {
            var components = URLComponents(
                url: simulator.baseURL.appendingPathComponent("operations"),
                resolvingAgainstBaseURL: false
            )!
            components.queryItems = [
                URLQueryItem(name: "type", value: "POOL.CLONE"), URLQueryItem(name: "limit", value: "100"),
            ]
            var request = URLRequest(url: components.url!)
            request.setValue("OAuth e2e-token", forHTTPHeaderField: "Authorization")
            let (body, _) = try await URLSession.shared.data(for: request)
            let page = try #require(try JSONSerialization.jsonObject(with: body) as? [String: Any])
            #expect(page["has_more"] as? Bool == false)
            let items = try #require(page["items"] as? [[String: Any]])
            return try items.map { item in
                let source = try #require((item["parameters"] as? [String: Any])?["pool_id"] as? String)
                let submitted = try #require(
                    (item["submitted"] as? String).flatMap { UTCTimestamp.parse($0, as: ServerScale.self) }
                )
                let finished = try #require(
                    (item["finished"] as? String).flatMap { UTCTimestamp.parse($0, as: ServerScale.self) }
                )
                return (source, submitted.epochMilliseconds, finished.epochMilliseconds)
            }
        }

        @Test func raisingCopiesClonesOnlyTheMissingOnesOneAtATimePerSource() async throws {
            let workspace = try Workspace()
            defer { workspace.remove() }
            let simulator = try CoreRunTests.simulator()
            defer { simulator.stop() }
            let sources = Workspace.poolIDs(5)
            let first = Array(zip(sources, [3, 1, 2, 1, 2]))
            let csv = try Self.writeCopies(first, in: workspace)
            let arguments = CoreRunTests.arguments(csv, simulator, workspace)

            let run = try await BatchCloneBinary.run(arguments, in: workspace.folder)
            #expect(run.status == 0, "\(run)")
            #expect(run.stderr.contains("9 clones of 5 sources: 0 already cloned, 0 failed earlier, 9 to do"), "\(run)")
            #expect(simulator.stats.clonesPerPool == Dictionary(uniqueKeysWithValues: first))
            var rows = try workspace.results()
            #expect(rows.count == 9 && rows.allSatisfy { $0["status"] == "cloned" && $0["target"] == "pool" })
            #expect(
                rows.map { "\($0["source_pool_id"]!)#\($0["copy"]!)" }.prefix(4) == [
                    "\(sources[0])#1", "\(sources[0])#2", "\(sources[0])#3", "\(sources[1])#1",
                ]
            )

            // More copies of three sources, fewer of one: only the missing ones are cloned, nothing is undone.
            let raised = Array(zip(sources, [4, 2, 2, 1, 1]))
            _ = try Self.writeCopies(raised, in: workspace)
            let rerun = try await BatchCloneBinary.run(arguments, in: workspace.folder)
            #expect(rerun.status == 0, "\(rerun)")
            #expect(
                rerun.stderr.contains("10 clones of 5 sources: 8 already cloned, 0 failed earlier, 2 to do"),
                "\(rerun)"
            )
            let asked = [4, 2, 2, 1, 2]
            #expect(simulator.stats.clonesPerPool == Dictionary(uniqueKeysWithValues: zip(sources, asked)))
            #expect(simulator.stats.tooManyRequests == 0)
            rows = try workspace.results()
            #expect(rows.count == 10 && rows.allSatisfy { $0["status"] == "cloned" })
            #expect(Set(rows.compactMap { $0["new_pool_id"] }).count == 10)

            // The server locks a template while its clone runs: no two clones of one source overlapped.
            let operations = try await Self.operations(simulator)
            #expect(operations.count == 11)
            for source in sources {
                let spans = operations.filter { $0.source == source }.sorted { $0.from < $1.from }
                for (earlier, later) in zip(spans, spans.dropFirst()) {
                    #expect(later.from >= earlier.to, "clones of \(source) overlapped: \(spans)")
                }
            }
        }
    }
}
