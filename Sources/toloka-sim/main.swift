import ArgumentParsing
import Dispatch
import DurationFormat
import Foundation
import TolokaSimulator

#if canImport(Glibc)
    import Glibc
#endif

// toloka-sim: the Toloka API simulator as a standalone server, for rehearsing pipelines.

let spec = CommandSpec(
    name: "toloka-sim",
    abstract: "Serve a simulated Toloka API (pools, clone operations, rate limits) on loopback.",
    usage: "toloka-sim [options]",
    options: [
        OptionSpec("port", .value(valueName: "N"), help: "port to listen on (default 8080; 0 picks a free one)"),
        OptionSpec(
            "limit",
            .repeatable(valueName: "N/DURATION"),
            help: "clone limit enforced (default 20/1m and 100/1d)"
        ),
        OptionSpec(
            "latency",
            .value(valueName: "MIN-MAX"),
            help: "clone operation duration range, e.g. 500ms-2s (default)"
        ),
        OptionSpec("missing", .value(valueName: "IDS"), help: "comma-separated pool IDs that do not exist"),
        OptionSpec("forbidden", .value(valueName: "IDS"), help: "comma-separated pool IDs answered 403"),
        OptionSpec(
            "locked",
            .value(valueName: "ID:N,..."),
            help: "pools answering 409 POOL_LOCKED_BY_ANOTHER_OPERATION N times"
        ),
        OptionSpec(
            "conflict",
            .value(valueName: "IDS"),
            help: "pools whose clone is answered 409 INAPPROPRIATE_STATUS"
        ),
        OptionSpec("html-refusal", .value(valueName: "IDS"), help: "pools whose clone is answered by an HTML 403 page"),
        OptionSpec(
            "redirect-check",
            .value(valueName: "IDS"),
            help: "pools whose GET is answered 302 (see --redirect-to)"
        ),
        OptionSpec("redirect-clone", .value(valueName: "IDS"), help: "pools whose clone POST is answered 307"),
        OptionSpec(
            "redirect-to",
            .value(valueName: "URL"),
            help: "Location of the redirects (default http://127.0.0.1:9/)"
        ),
        OptionSpec("trickle", .value(valueName: "IDS"), help: "pools whose GET body trickles one byte a second"),
        OptionSpec("huge-body", .value(valueName: "IDS"), help: "pools whose GET body is 64 MB"),
        OptionSpec(
            "unframed-body",
            .value(valueName: "IDS"),
            help: "pools whose GET body is 300 MB without Content-Length"
        ),
        OptionSpec("token", .value(valueName: "TOKEN"), help: "accept only this token (default: any)"),
        OptionSpec("get-failure-rate", .value(valueName: "P"), help: "share of GETs answered with a fault (0-1)"),
        OptionSpec("post-fail-rate", .value(valueName: "P"), help: "share of clone POSTs committed, then answered 500"),
        OptionSpec("post-drop-rate", .value(valueName: "P"), help: "share of clone POSTs committed, then dropped"),
        OptionSpec(
            "late-commit-rate",
            .value(valueName: "P"),
            help: "share of clone POSTs answered 500 or dropped, committed later"
        ),
        OptionSpec(
            "late-commit-delay",
            .value(valueName: "DURATION"),
            help: "how much later those clones commit (default 4s)"
        ),
        OptionSpec(
            "clone-500",
            .value(valueName: "IDS"),
            help: "pools whose clone POST always answers 500, cloning nothing"
        ),
        OptionSpec(
            "no-new-pool-id",
            .value(valueName: "IDS"),
            help: "pools whose clone SUCCEEDs without details.pool_id"
        ),
        OptionSpec(
            "invisible",
            .value(valueName: "IDS"),
            help: "pools whose clone operation is 404 for a while after commit"
        ),
        OptionSpec(
            "invisible-for",
            .value(valueName: "DURATION"),
            help: "how long those operations are 404 (default 10s)"
        ),
        OptionSpec("operation-fail-rate", .value(valueName: "P"), help: "share of clone operations that FAIL"),
        OptionSpec("foreign-clones", .value(valueName: "N"), help: "clones by someone else already in the windows"),
        OptionSpec(
            "history",
            .value(valueName: "N/SPAN"),
            help: "N clones by another client spread over the last SPAN before start, in the windows and listed"
        ),
        OptionSpec("refuse-type-filter", .flag, help: "answer GET /operations?type=... with 400 VALIDATION_ERROR"),
        OptionSpec(
            "clock-offset",
            .value(valueName: "[-]DURATION"),
            help: "the server's clock ahead of (or behind, with -) the real one: in submitted times and Date"
        ),
        OptionSpec("no-retry-after", .flag, help: "429 answers without a Retry-After header"),
        OptionSpec(
            "response-delay",
            .value(valueName: "DURATION"),
            help: "delay before every answer, like a real network"
        ),
        OptionSpec("seed", .value(valueName: "N"), help: "random seed (default 1)"),
    ],
    examples: [
        "toloka-sim --port 8080 --limit 20/3s --limit 100/15s",
        "toloka-sim --get-failure-rate 0.2 --operation-fail-rate 0.05",
    ],
    discussion: "Counters: GET /_sim/stats. Stop with Ctrl-C."
)

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("toloka-sim: error: \(message)\n".utf8))
    exit(64)
}

let parser = ArgumentParser(spec)
let arguments: ParsedArguments
do {
    arguments = try parser.parse(Array(CommandLine.arguments.dropFirst()))
} catch {
    fail(error.description)
}
if arguments.helpRequested {
    print(parser.helpText(), terminator: "")
    exit(0)
}
if !arguments.positionals.isEmpty { fail(ArgumentError.tooManyArguments(arguments.positionals).description) }

func rate(_ name: String) -> Double {
    guard let text = arguments.value(name) else { return 0 }
    guard let value = Double(text), (0...1).contains(value) else {
        fail("--\(name) '\(text)': expected a number from 0 to 1")
    }
    return value
}

func ids(_ name: String) -> Set<String> {
    Set(
        (arguments.value(name) ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter {
            !$0.isEmpty
        }
    )
}

var configuration = SimulatorConfiguration()
configuration.port = 8080
if let text = arguments.value("port") {
    guard let port = Int(text), (0...65535).contains(port) else { fail("--port '\(text)': expected 0-65535") }
    configuration.port = port
}
func value<T>(_ read: () throws(ArgumentError) -> T) -> T {
    do {
        return try read()
    } catch {
        fail(error.description)
    }
}

let limits = value { () throws(ArgumentError) in try arguments.limits("limit") }
if !limits.isEmpty {
    configuration.limits = limits.map { SimulatedLimit(count: $0.count, window: $0.window) }
}
if let latency = value({ () throws(ArgumentError) in try arguments.durationRange("latency") }) {
    func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
    configuration.operationLatency = seconds(latency.lowerBound)...seconds(latency.upperBound)
}
configuration.missingPools = ids("missing")
configuration.faults.forbiddenPools = ids("forbidden")
configuration.token = arguments.value("token")
for item in ids("locked") {
    let parts = item.split(separator: ":")
    guard parts.count == 2, let count = Int(parts[1]), count >= 0 else { fail("--locked '\(item)': expected ID:N") }
    configuration.faults.lockedPools[String(parts[0])] = count
}
let redirectTo = arguments.value("redirect-to") ?? "http://127.0.0.1:9/"
let poolFaults: [(String, Bool, PoolFault)] = [
    ("conflict", true, .conflict(code: "INAPPROPRIATE_STATUS")), ("html-refusal", true, .htmlRefusal(status: 403)),
    ("redirect-check", false, .redirect(status: 302, location: redirectTo)),
    ("redirect-clone", true, .redirect(status: 307, location: redirectTo)),
    ("trickle", false, .trickle(bytes: 4096, every: .seconds(1))), ("huge-body", false, .hugeBody(bytes: 64 << 20)),
    ("unframed-body", false, .unframedBody(bytes: 300 << 20)),
    ("clone-500", true, .internalError),
]
for (name, onClone, fault) in poolFaults {
    for id in ids(name) {
        if onClone {
            configuration.faults.cloneFaults[id] = fault
        } else {
            configuration.faults.checkFaults[id] = fault
        }
    }
}
configuration.faults.getFailureRate = rate("get-failure-rate")
configuration.faults.postCommitThenFailRate = rate("post-fail-rate")
configuration.faults.postCommitThenDropRate = rate("post-drop-rate")
configuration.faults.operationFailRate = rate("operation-fail-rate")
configuration.faults.lateCommitRate = rate("late-commit-rate")
if let delay = value({ () throws(ArgumentError) in try arguments.duration("late-commit-delay", allowZero: true) }) {
    configuration.faults.lateCommitDelay = delay
}
configuration.faults.successWithoutPoolID = ids("no-new-pool-id")
let invisibleFor =
    value({ () throws(ArgumentError) in try arguments.duration("invisible-for", allowZero: true) }) ?? .seconds(10)
for id in ids("invisible") {
    configuration.faults.invisibleOperations[id] = invisibleFor
}
configuration.faults.retryAfter = !arguments.flag("no-retry-after")
if let text = arguments.value("foreign-clones") {
    guard let count = Int(text), count >= 0 else { fail("--foreign-clones '\(text)': expected a whole number") }
    configuration.faults.foreignClones = count
}
if let text = arguments.value("history") {
    guard let spec = LimitSpec.parse(text) else { fail("--history '\(text)': expected N/SPAN, e.g. 70/25s") }
    configuration.history = SimulatedHistory(count: spec.count, span: spec.window)
}
configuration.refuseTypeFilter = arguments.flag("refuse-type-filter")
if let text = arguments.value("clock-offset") {
    let behind = text.hasPrefix("-")
    guard let offset = DurationParser.parse(behind ? String(text.dropFirst()) : text) else {
        fail("--clock-offset '\(text)': expected a duration such as 2s or -1500ms")
    }
    configuration.clockOffset = behind ? .zero - offset : offset
}
if let delay = value({ () throws(ArgumentError) in try arguments.duration("response-delay", allowZero: true) }) {
    configuration.faults.responseDelay = delay
}
if let text = arguments.value("seed") {
    guard let seed = UInt64(text) else { fail("--seed '\(text)': expected a whole number") }
    configuration.seed = seed
}

let simulator = TolokaSimulator(configuration: configuration)
do {
    try simulator.start()
} catch {
    fail("cannot listen on \(configuration.host):\(configuration.port): \(error)")
}
FileHandle.standardOutput.write(Data("toloka-sim listening on \(simulator.baseURL.absoluteString)\n".utf8))

/// Blocks until SIGINT or SIGTERM; nonisolated so the handlers run off the main actor.
nonisolated func waitForTermination() {
    let stopRequested = DispatchSemaphore(value: 0)
    var sources: [any DispatchSourceSignal] = []
    for signalNumber in [SIGINT, SIGTERM] {
        signal(signalNumber, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
        source.setEventHandler { stopRequested.signal() }
        source.resume()
        sources.append(source)
    }
    stopRequested.wait()
    sources.forEach { $0.cancel() }
}

waitForTermination()
simulator.stop()
let stats = simulator.stats
print(
    "toloka-sim stopped: \(stats.acceptedClones) clones accepted, \(stats.tooManyRequests) answered 429, \(stats.requests) requests"
)
