import BatchCloneTestSupport
import Foundation
import Testing

@testable import BatchCloneKit

@Suite struct UTCTimestampTests {
    @Test(arguments: [
        (Int64(0), "1970-01-01T00:00:00.000Z"),
        (-1, "1969-12-31T23:59:59.999Z"),
        (-1000, "1969-12-31T23:59:59.000Z"),
        (951_782_400_000, "2000-02-29T00:00:00.000Z"),
        (TestTime.start, "2026-05-28T20:26:40.000Z"),
        (TestTime.start + 7, "2026-05-28T20:26:40.007Z"),
        (TestTime.start + 123, "2026-05-28T20:26:40.123Z"),
        (253_402_300_799_999, "9999-12-31T23:59:59.999Z"),
    ])
    func formatsWithMillisecondsAndZ(milliseconds: Int64, text: String) {
        #expect(UTCTimestamp.format(milliseconds: milliseconds) == text)
        #expect(UTCTimestamp.format(milliseconds: milliseconds, zone: false) == String(text.dropLast()))
        #expect(UTCTimestamp.parse(text) == milliseconds)
    }

    @Test(arguments: [
        ("2026-05-28T20:26:40Z", TestTime.start),
        ("2026-05-28T20:26:40", TestTime.start),
        ("2026-05-28 20:26:40", TestTime.start),
        ("2026-05-28T20:26:40+00:00", TestTime.start),
        ("2026-05-28T20:26:40.000+0000", TestTime.start),
        ("2026-05-28T20:26:40.5", TestTime.start + 500),
        ("2026-05-28T20:26:40.12Z", TestTime.start + 120),
        ("2026-05-28T20:26:40.123000", TestTime.start + 123),
        ("2026-05-28T20:26:40.123001", TestTime.start + 124),
        ("2026-05-28T20:26:40.999999Z", TestTime.start + 1000),
        ("2026-05-28T20:26:40.1230000000001Z", TestTime.start + 124),
        ("2016-04-07T16:06:15.902", 1_460_045_175_902),
    ])
    func parsesTolokaAndFileForms(text: String, milliseconds: Int64) {
        #expect(UTCTimestamp.parse(text) == milliseconds)
    }

    @Test(arguments: [
        "", "2026-05-28", "2026-05-28T20:26", "2026-05-28T20:26:4", "2026/05/28T20:26:40",
        "2026-05-28X20:26:40", "2026-13-01T00:00:00", "2026-00-01T00:00:00", "2026-01-00T00:00:00",
        "2026-01-32T00:00:00", "2026-01-01T24:00:00", "2026-01-01T00:60:00", "2026-01-01T00:00:61",
        "2026-05-28T20:26:40.", "2026-05-28T20:26:40.Z", "2026-05-28T20:26:40+01:00", "2026-05-28T20:26:40z",
        "2026-05-28T20:26:40Z ", " 2026-05-28T20:26:40Z", "2026-05-28T20:26:40.12a", "２026-05-28T20:26:40",
        "-026-05-28T20:26:40",
    ])
    func rejectsAnythingElse(text: String) {
        #expect(UTCTimestamp.parse(text) == nil)
    }

    @Test func impossibleCalendarDatesAreRejected() {
        // timegm() would silently roll these over into the next month.
        #expect(UTCTimestamp.parse("2026-02-30T00:00:00Z") == nil)
        #expect(UTCTimestamp.parse("2026-04-31T00:00:00Z") == nil)
        #expect(UTCTimestamp.parse("2025-02-29T00:00:00Z") == nil)
        #expect(UTCTimestamp.parse("2024-02-29T00:00:00Z") == 1_709_164_800_000)
    }

    @Test func randomInstantsRoundTrip() {
        var rng = SplitMix64(seed: 2026)
        for _ in 0..<2000 {
            let milliseconds = rng.int64(-2_000_000_000_000...4_000_000_000_000)
            let text = UTCTimestamp.format(milliseconds: milliseconds)
            #expect(UTCTimestamp.parse(text) == milliseconds, "\(milliseconds) -> \(text)")
            #expect(UTCTimestamp.parse(String(text.dropLast())) == milliseconds)
        }
    }

    @Test func dateMillisecondsRoundUp() {
        #expect(Date(timeIntervalSince1970: 1.0001).epochMilliseconds == 1001)
        #expect(Date(timeIntervalSince1970: 1.0).epochMilliseconds == 1000)
        #expect(Date(timeIntervalSince1970: -0.0005).epochMilliseconds == 0)
    }

    @Test func dateFromMillisecondsReadsBackTheSameMillisecondInThePresentEra() {
        // The run sleeps until Date(epochMilliseconds: slot) and then reads now.epochMilliseconds:
        // if that read slot + 1, every wait for the ledger would end one millisecond late.
        var rng = SplitMix64(seed: 9)
        var mismatches: [Int64] = []
        for offset in 0..<5000 {
            for milliseconds in [TestTime.start + Int64(offset), rng.int64(1_700_000_000_000...1_900_000_000_000)] {
                if Date(epochMilliseconds: milliseconds).epochMilliseconds != milliseconds {
                    mismatches.append(milliseconds)
                }
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(5))")
    }

    @Test func dateFromMillisecondsReadsBackTheSameMillisecondInAnyEra() {
        var rng = SplitMix64(seed: 10)
        var mismatches: [Int64] = []
        for _ in 0..<10_000 {
            let milliseconds = rng.int64(0...4_000_000_000_000)
            if Date(epochMilliseconds: milliseconds).epochMilliseconds != milliseconds {
                mismatches.append(milliseconds)
            }
        }
        // e.g. 3_681_525_406 (1970-02-12) reads back as 3_681_525_407.
        #expect(mismatches.isEmpty, "\(mismatches.count) of 10000 read back 1 ms late, e.g. \(mismatches.prefix(3))")
        #expect(Date(epochMilliseconds: 3_681_525_406).epochMilliseconds == 3_681_525_406)
    }
}

@Suite struct SystemClockTests {
    // A past deadline must not wait (for a whole day here); the time limit catches a hang without timing it.
    @Test(.timeLimit(.minutes(1))) func nowFollowsTheWallClockAndPastDeadlinesDoNotWait() async throws {
        let clock = SystemClock()
        let before = Date()
        let now = clock.now
        #expect(now >= before.addingTimeInterval(-0.001))
        try await clock.sleep(until: now.addingTimeInterval(-86_400))
        #expect(clock.now >= now)
    }
}
