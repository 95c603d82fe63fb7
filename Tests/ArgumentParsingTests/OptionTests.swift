import Testing

@testable import ArgumentParsing

@Suite struct OptionTests {
    enum Mode: String, CaseIterable, Sendable {
        case fast, slow, off
    }

    static let wait = Option<Duration>.duration("wait", default: .seconds(600), allowZero: true, help: "how long")
    static let margin = Option<Duration?>.duration("margin", help: "spacing", defaultValue: "2% of the window")
    static let count = Option<Int>.integer("count", default: 3, minimum: 1, maximum: 10, help: "how many")
    static let limit = SharedOptions.limit(defaults: SharedOptions.tolokaCloneLimits, help: "a limit")
    static let mode = Option<Mode>.choice("mode", default: .fast, valueName: "MODE", help: "how")
    static let quiet = Option<Bool>.flag("quiet", help: "say less")
    static let path = Option<String?>.text("path", valueName: "PATH", help: "where")
    static let seed = SharedOptions.seed(help: "seed")
    static let port = Option<Int?>.parsed("port", valueName: "N", help: "port", expected: "expected 0-65535") {
        Int($0).flatMap { (0...65535).contains($0) ? $0 : nil }
    }
    static let latency = SharedOptions.latency(help: "latency", defaultValue: "500ms-2s")
    static let twice = count.map { $0 * 2 }

    static let spec = CommandSpec(
        name: "t",
        abstract: "",
        usage: "t",
        options: [
            wait.spec, margin.spec, count.spec, limit.spec, mode.spec, quiet.spec, path.spec, seed.spec, port.spec,
            latency.spec,
        ]
    )

    func parse(_ arguments: String...) throws -> ParsedArguments {
        try ArgumentParser(Self.spec).parse(arguments)
    }

    @Test func absentOptionsReadAsTheirDeclaredDefaults() throws {
        let parsed = try parse()
        #expect(try parsed.value(Self.wait) == .seconds(600))
        #expect(try parsed.value(Self.margin) == nil)
        #expect(try parsed.value(Self.count) == 3)
        #expect(try parsed.value(Self.limit) == SharedOptions.tolokaCloneLimits)
        #expect(try parsed.value(Self.mode) == .fast)
        #expect(try parsed.value(Self.quiet) == false)
        #expect(try parsed.value(Self.path) == nil)
        #expect(try parsed.value(Self.seed) == 1)
        #expect(try parsed.value(Self.port) == nil)
        #expect(try parsed.value(Self.latency) == nil)
        #expect(!parsed.contains(Self.wait) && !parsed.contains(Self.quiet))
    }

    @Test func givenOptionsReadAsTheirTypes() throws {
        let parsed = try parse(
            "--wait",
            "0s",
            "--margin",
            "250ms",
            "--count",
            "4",
            "--limit",
            "5/1s",
            "--limit",
            "9/1h",
            "--mode",
            "off",
            "--quiet",
            "--path",
            "a/b",
            "--seed",
            "42",
            "--port",
            "0",
            "--latency",
            "1s-2s"
        )
        #expect(try parsed.value(Self.wait) == .zero)
        #expect(try parsed.value(Self.margin) == .milliseconds(250))
        #expect(try parsed.value(Self.count) == 4)
        #expect(try parsed.value(Self.twice) == 8)
        #expect(
            try parsed.value(Self.limit) == [
                LimitSpec(count: 5, window: .seconds(1)), LimitSpec(count: 9, window: .seconds(3600)),
            ]
        )
        #expect(try parsed.value(Self.mode) == .off)
        #expect(try parsed.value(Self.quiet))
        #expect(try parsed.value(Self.path) == "a/b")
        #expect(try parsed.value(Self.seed) == 42)
        #expect(try parsed.value(Self.port) == 0)
        #expect(try parsed.value(Self.latency) == .seconds(1) ... .seconds(2))
        #expect(parsed.contains(Self.wait) && parsed.contains(Self.quiet))
    }

    @Test func badValuesNameTheOptionAndWhatItExpects() throws {
        func error(_ option: some Sendable, _ arguments: String...) -> ArgumentError? {
            do {
                let parsed = try ArgumentParser(Self.spec).parse(arguments)
                switch option {
                case let option as Option<Int>: _ = try parsed.value(option)
                case let option as Option<Mode>: _ = try parsed.value(option)
                case let option as Option<Int?>: _ = try parsed.value(option)
                case let option as Option<Duration>: _ = try parsed.value(option)
                default: Issue.record("no case for \(type(of: option))")
                }
                return nil
            } catch {
                return error
            }
        }
        #expect(
            error(Self.count, "--count", "11")
                == .invalidValue(option: "count", value: "11", reason: "too large; at most 10")
        )
        #expect(
            error(Self.mode, "--mode", "warp")
                == .invalidValue(option: "mode", value: "warp", reason: "expected fast, slow or off")
        )
        #expect(
            error(Self.port, "--port", "70000")
                == .invalidValue(option: "port", value: "70000", reason: "expected 0-65535")
        )
        #expect(error(Self.wait, "--wait", "soon")?.description.contains("'soon'") == true)
    }

    @Test func theDefaultIsShownInHelpAndKeptApartFromTheHelpText() {
        #expect(Self.wait.spec.defaultValue == "10m")
        #expect(Self.wait.spec.helpWithDefault == "how long (default 10m)")
        #expect(Self.limit.spec.defaultValue == "20/1m and 100/1d")
        #expect(Self.mode.spec.helpWithDefault == "how (default fast)")
        #expect(Self.margin.spec.helpWithDefault == "spacing (default 2% of the window)")
        #expect(Self.quiet.spec.defaultValue == nil && Self.quiet.spec.helpWithDefault == "say less")
        let help = ArgumentParser(Self.spec).helpText()
        #expect(help.contains("how many (default 3)"))
        #expect(help.contains("(default 20/1m and 100/1d) (repeatable)"))
    }
}
