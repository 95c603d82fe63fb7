import Testing

@testable import ArgumentParsing

@Suite struct ParsedArgumentsValuesTests {
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

    func parse(_ arguments: [String]) throws -> ParsedArguments { try parser.parse(arguments) }

    @Test func absentOptionsAreNil() throws {
        let arguments = try parse([])
        #expect(try arguments.duration("wait") == nil)
        #expect(try arguments.integer("count", minimum: 0) == nil)
        #expect(try arguments.limits("limit") == [])
        #expect(try arguments.durationRange("latency") == nil)
    }

    @Test func valuesAreTyped() throws {
        let arguments = try parse([
            "--wait", "1.5m", "--count", "7", "--limit", "20/3s", "--limit", "100/1d", "--latency", "250ms-2s",
        ])
        #expect(try arguments.duration("wait") == .seconds(90))
        #expect(try arguments.integer("count", minimum: 1) == 7)
        #expect(
            try arguments.limits("limit") == [
                LimitSpec(count: 20, window: .seconds(3)), LimitSpec(count: 100, window: .seconds(86_400)),
            ]
        )
        #expect(try arguments.durationRange("latency") == .milliseconds(250)...(.seconds(2)))
    }

    @Test func badValuesNameTheOptionAndTheValue() throws {
        #expect(
            throws: ArgumentError.invalidValue(
                option: "wait",
                value: "soon",
                reason: "expected a duration such as 500ms, 3s, 10m, 24h or 1d"
            )
        ) {
            try parse(["--wait", "soon"]).duration("wait")
        }
        #expect(
            throws: ArgumentError.invalidValue(
                option: "wait",
                value: "0s",
                reason: "expected a duration such as 500ms, 3s, 10m, 24h or 1d"
            )
        ) {
            try parse(["--wait", "0s"]).duration("wait")
        }
        #expect(try parse(["--wait", "0s"]).duration("wait", allowZero: true) == .zero)
        #expect(
            throws: ArgumentError.invalidValue(
                option: "count",
                value: "0",
                reason: "expected a whole number of at least 1"
            )
        ) {
            try parse(["--count", "0"]).integer("count", minimum: 1)
        }
        #expect(
            throws: ArgumentError.invalidValue(
                option: "limit",
                value: "20/3x",
                reason: "expected N/DURATION such as 20/1m or 100/24h"
            )
        ) {
            try parse(["--limit", "20/1m", "--limit", "20/3x"]).limits("limit")
        }
        for bad in ["2s-1s", "1s", "1s-", "-1s", "a-b"] {
            #expect(throws: ArgumentError.self, "\(bad)") { try parse(["--latency", bad]).durationRange("latency") }
        }
    }
}
