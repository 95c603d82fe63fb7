import BatchCloneTestSupport
import Foundation
import Testing

@testable import BatchCloneKit

/// Issue 21: the overlap-edit log sits beside the clone logs in the state file and in Redis, while
/// the clone logs keep the names and keys of earlier versions.
@Suite struct LedgerLogTests {
    private let t0: Int64 = 1_700_000_000_000

    @Test func theCloneLogsKeepTheirRedisKeysAndTheOverlapLogHasItsOwn() throws {
        let url = try RedisURL(parsing: "redis://127.0.0.1:6379")
        let keys = [LedgerLog.clones(of: .pool), .clones(of: .training), .overlapEdits].map {
            RedisLedgerStore(url: url, keyPrefix: "batch-clone:h", log: $0).sendsKey
        }
        #expect(keys == ["batch-clone:h:sends", "batch-clone:h:training:sends", "batch-clone:h:overlap-edit:sends"])
        #expect(
            RedisLedgerStore(url: url, keyPrefix: "batch-clone:h", target: .training).ledgerLog
                == .clones(of: .training)
        )
    }

    @Test func anOverlapEditIsALineOfItsOwnLogThatAFreshReaderKeepsApart() throws {
        try TempFolder.with { folder in
            let path = folder.file("state.json")
            let policy = RateLimitPolicy(limits: [RateLimit(count: 2, window: .seconds(60))])
            let pools = FileLedgerStore(path: path)
            #expect(try pools.takeSlot(policy, source: "1", now: t0) == .granted(at: .init(epochMilliseconds: t0)))
            let overlaps = pools.scoped(to: .overlapEdits)
            #expect(try overlaps.takeSlot(policy, source: "n1", now: t0) == .granted(at: .init(epochMilliseconds: t0)))
            let text = try String(contentsOfFile: path, encoding: .utf8)
            let last = try #require(text.split(separator: "\n").last)
            #expect(last.hasPrefix("{\"target\": \"overlap-edit\", "))
            let fresh = try FileLedgerStore(path: path, log: .overlapEdits).peek()
            #expect(fresh.pending == [OwnSend(intent: t0, source: "n1", target: "overlap-edit")])
            #expect(try FileLedgerStore(path: path).peek().pending == [OwnSend(intent: t0, source: "1")])
        }
    }
}
