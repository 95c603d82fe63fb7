import Testing

@testable import ArgumentParsing

@Suite struct AbsurdValuesTests {
    let parser = ArgumentParser(
        CommandSpec(
            name: "t",
            abstract: "",
            usage: "t",
            options: [
                OptionSpec("wait", .value(valueName: "DURATION"), help: ""),
                OptionSpec("count", .value(valueName: "N"), help: ""),
                OptionSpec("limit", .repeatable(valueName: "N/DURATION"), help: ""),
                OptionSpec("latency", .value(valueName: "MIN-MAX"), help: ""),
            ]
        )
    )

    func reason(_ arguments: [String], _ read: (ParsedArguments) throws -> Void) -> String? {
        do {
            try read(try parser.parse(arguments))
            return nil
        } catch let ArgumentError.invalidValue(_, _, reason) {
            return reason
        } catch {
            return "\(error)"
        }
    }

    @Test func durationsTooLongToCountAreRefusedAsTooLong() {
        for text in ["99999999999999d", "3651d", "87601h"] {
            #expect(reason(["--wait", text]) { _ = try $0.duration("wait") } == "too long; at most 3650d", "\(text)")
        }
        #expect(reason(["--wait", "3650d"]) { _ = try $0.duration("wait") } == nil)
        #expect(reason(["--latency", "1s-4000d"]) { _ = try $0.durationRange("latency") } == "too long; at most 3650d")
    }

    @Test func aMinimumIsEnforcedAndNamed() {
        #expect(
            reason(["--wait", "9ms"]) { _ = try $0.duration("wait", minimum: .milliseconds(10)) }
                == "too short; at least 10ms"
        )
        #expect(reason(["--wait", "10ms"]) { _ = try $0.duration("wait", minimum: .milliseconds(10)) } == nil)
        #expect(reason(["--wait", "0s"]) { _ = try $0.duration("wait", allowZero: true, minimum: .seconds(1)) } == nil)
    }

    @Test func countsBeyondTheBoundsAreRefused() {
        let bound = "the count must be from 1 to 1000000"
        for text in ["3000000000000000000/1m", "9223372036854775807/1ms", "99999999999999999999999/1m", "1000001/1d"] {
            #expect(reason(["--limit", text]) { _ = try $0.limits("limit") } == bound, "\(text)")
        }
        #expect(
            reason(["--limit", "5/99999999999999d"]) { _ = try $0.limits("limit") }
                == "the window is too long; at most 3650d"
        )
        #expect(
            reason(["--limit", "5/3651d"]) { _ = try $0.limits("limit") } == "the window is too long; at most 3650d"
        )
        #expect(reason(["--limit", "1000000/3650d"]) { _ = try $0.limits("limit") } == nil)
        #expect(
            reason(["--limit", "x/1m"]) { _ = try $0.limits("limit") } == "expected N/DURATION such as 20/1m or 100/24h"
        )
        #expect(
            reason(["--count", "99999999999999999999"]) { _ = try $0.integer("count", minimum: 1) }
                == "too large; at most \(Int.max)"
        )
        #expect(
            reason(["--count", "11"]) { _ = try $0.integer("count", minimum: 1, maximum: 10) }
                == "too large; at most 10"
        )
        #expect(
            reason(["--count", "-1"]) { _ = try $0.integer("count", minimum: 1) }
                == "expected a whole number of at least 1"
        )
    }

    @Test func badValuesAreQuotedInAtMostEightyCharacters() {
        let huge = String(repeating: "7", count: 1_000_000) + "q"
        let error = ArgumentError.invalidValue(option: "wait", value: huge, reason: "r")
        #expect(error.description == "invalid value '\(String(repeating: "7", count: 79))…' for option '--wait': r")
        let hostile = ArgumentError.invalidValue(option: "wait", value: "\u{1B}[2J", reason: "r")
        #expect(hostile.description == "invalid value '\\u{1b}[2J' for option '--wait': r")
        let extra = ArgumentError.tooManyArguments((0..<100).map { "a\($0)" })
        #expect(
            extra.description
                == "unexpected extra arguments 'a0', 'a1', 'a2', 'a3', 'a4' and 95 more; run with --help for usage"
        )
        #expect(
            ArgumentError.unknownOption(String(repeating: "-", count: 500), suggestion: nil).description.count < 150
        )
    }

    @Test func aHugeUnknownOptionGetsNoSuggestionWithoutAQuadraticTable() {
        #expect(closestMatch(to: String(repeating: "l", count: 1_000_000), in: ["limit", "wait"]) == nil)
        #expect(closestMatch(to: "limti", in: ["limit", "wait"]) == "limit")
    }
}
