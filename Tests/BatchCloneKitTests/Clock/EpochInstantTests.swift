import Foundation
import Testing

@testable import BatchCloneKit

@Suite struct EpochInstantTests {
    static let t0 = LocalInstant(epochMilliseconds: 1_780_000_000_000)

    @Test func arithmeticStaysOnOneClock() {
        let later = Self.t0 + .milliseconds(1500)
        #expect(later.epochMilliseconds == 1_780_000_001_500)
        #expect(later - Self.t0 == .milliseconds(1500))
        #expect(later.milliseconds(since: Self.t0) == 1500)
        #expect(later - .seconds(1) == Self.t0.advanced(byMilliseconds: 500))
        #expect(Self.t0 < later)
    }

    @Test func subMillisecondDurationsRoundAwayFromTheWindow() {
        // Later by a fraction lands on the next millisecond; earlier by one looks back a whole one more.
        #expect((Self.t0 + .microseconds(1)).milliseconds(since: Self.t0) == 1)
        #expect((Self.t0 - .microseconds(1)).milliseconds(since: Self.t0) == -1)
    }

    @Test func serverTimeOnOurClockErrsLater() {
        // The server is really 2 s ahead; a Date header (whole seconds, floored) read 300 ms after it was
        // written tells a lead of at most that.
        let trueLead: Int64 = 2000
        let written = LocalInstant(epochMilliseconds: Self.t0.epochMilliseconds + 700)
        let header = ServerInstant(epochMilliseconds: (written.epochMilliseconds + trueLead) / 1000 * 1000)
        let received = written + .milliseconds(300)
        let offset = ServerOffset(remote: header, readBy: received)
        #expect(offset.milliseconds <= trueLead)
        #expect(offset.milliseconds == 1000)
        // A clone the server stamped at s arrived here at s - trueLead; converted, it lands no earlier.
        let stamped = ServerInstant(epochMilliseconds: Self.t0.epochMilliseconds + 10_000)
        let arrived = LocalInstant(epochMilliseconds: stamped.epochMilliseconds - trueLead)
        #expect(offset.local(stamped) >= arrived)
        #expect(offset.local(stamped) == arrived + .seconds(1))
        // Our instant on the server's clock lands no later: a listing from there misses nothing.
        #expect(offset.remote(arrived) <= stamped)
        #expect(offset.local(offset.remote(arrived)) == arrived)
    }

    @Test func unknownOffsetAssumesTheRemoteBehindBySkew() {
        let offset = ServerOffset(remoteBehindBy: 5000)
        #expect(offset.milliseconds == -5000)
        let stamped = ServerInstant(epochMilliseconds: Self.t0.epochMilliseconds)
        #expect(offset.local(stamped) == Self.t0 + .seconds(5))
        #expect(offset.remote(Self.t0).epochMilliseconds == Self.t0.epochMilliseconds - 5000)
        #expect(max(offset, ServerOffset(milliseconds: 40)).milliseconds == 40)
    }

    @Test func ledgerOffsetConvertsTheLedgersClock() {
        let ledgerNow = LedgerInstant(epochMilliseconds: Self.t0.epochMilliseconds + 5000)
        let offset = LedgerOffset(remote: ledgerNow, readBy: Self.t0)
        let free = ledgerNow + .seconds(3)
        #expect(offset.local(free) == Self.t0 + .seconds(3))
        #expect(offset.remote(Self.t0) == ledgerNow)
    }

    @Test func formatsAndParsesTypedInstants() {
        let text = "2026-05-28T20:26:40.123Z"
        let server = UTCTimestamp.parse(text, as: ServerScale.self)
        #expect(server?.epochMilliseconds == 1_780_000_000_123)
        #expect(server.map { UTCTimestamp.format($0, zone: false) } == String(text.dropLast()))
        #expect(UTCTimestamp.parse("not a time", as: LocalScale.self) == nil)
        #expect(LocalInstant(Date(timeIntervalSince1970: 1.0005)).epochMilliseconds == 1001)
        #expect(server?.description == "server \(text)")
    }
}
