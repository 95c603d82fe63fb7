import ArgumentParsing
import DurationFormat
import Foundation
import TolokaSimulator

/// The options of `toloka-sim`, each declared once with its type, default and parser; `--limit`,
/// `--latency` and `--seed` are the shared declarations the bench and `batch-clone` use too.
enum SimulatorCommandLine {
    private static let defaults = SimulatorConfiguration()

    static let port = Option<Int>.integer(
        "port",
        default: 8080,
        minimum: 0,
        maximum: 65535,
        help: "port to listen on; 0 picks a free one"
    )
    static let limit = SharedOptions.limit(
        defaults: defaults.limits.map { LimitSpec(count: $0.count, window: $0.window) },
        help: "clone limit enforced"
    )
    static let trainingLimit = Option<[LimitSpec]>.limits(
        "training-limit",
        defaults: defaults.trainingLimits.map { LimitSpec(count: $0.count, window: $0.window) },
        help: "training clone limit enforced, counted apart from pool clones"
    )
    static let overlapLimit = Option<[LimitSpec]>.limits(
        "overlap-limit",
        defaults: defaults.overlapLimits.map { LimitSpec(count: $0.count, window: $0.window) },
        help: "limit on edits (PUT) that change an overlap value"
    )
    static let overlapPerPool = Option<Bool>.flag(
        "overlap-per-pool",
        help: "count --overlap-limit per pool instead of per account"
    )
    static let busyTemplates = Option<Bool>.flag(
        "busy-templates",
        help: "a template is busy while its clone runs: another clone of it gets 409 POOL_LOCKED_BY_ANOTHER_OPERATION"
    )
    static let expiredTemplates = Option<ExpiredTemplates?>.parsed(
        "expired-templates",
        valueName: "all|IDS",
        help: "seed pools whose will_expire is past, so their clones cannot open unchanged",
        expected: "expected all or comma-separated pool IDs"
    ) { text in
        text == "all" ? .all : splitIDs(text).isEmpty ? nil : .only(Set(splitIDs(text)))
    }.map { $0 ?? ExpiredTemplates.none }
    static let latency = SharedOptions.latency(
        help: "clone operation duration range",
        defaultValue: "\(milliseconds(defaults.operationLatency.lowerBound))-"
            + milliseconds(defaults.operationLatency.upperBound)
    )
    static let missing = ids("missing", help: "comma-separated pool (or training) IDs that do not exist")
    static let forbidden = ids("forbidden", help: "comma-separated pool (or training) IDs answered 403")
    static let locked = Option<[String: Int]?>.parsed(
        "locked",
        valueName: "ID:N,...",
        help: "pools answering 409 POOL_LOCKED_BY_ANOTHER_OPERATION N times",
        expected: "expected ID:N,... such as 7:2,9:1"
    ) { text in
        var counts: [String: Int] = [:]
        for item in splitIDs(text) {
            let parts = item.split(separator: ":")
            guard parts.count == 2, let count = Int(parts[1]), count >= 0 else { return nil }
            counts[String(parts[0])] = count
        }
        return counts
    }
    static let conflict = ids("conflict", help: "pools whose clone is answered 409 INAPPROPRIATE_STATUS")
    static let htmlRefusal = ids("html-refusal", help: "pools whose clone is answered by an HTML 403 page")
    static let redirectCheck = ids("redirect-check", help: "pools whose GET is answered 302 (see --redirect-to)")
    static let redirectClone = ids("redirect-clone", help: "pools whose clone POST is answered 307")
    static let redirectTo = Option<String>.text(
        "redirect-to",
        valueName: "URL",
        default: "http://127.0.0.1:9/",
        help: "Location of the redirects"
    )
    static let trickle = ids("trickle", help: "pools whose GET body trickles one byte a second")
    static let hugeBody = ids("huge-body", help: "pools whose GET body is 64 MB")
    static let unframedBody = ids("unframed-body", help: "pools whose GET body is 300 MB without Content-Length")
    static let token = Option<String?>.text(
        "token",
        valueName: "TOKEN",
        help: "accept only this token",
        defaultValue: "any"
    )
    static let getFailureRate = rate("get-failure-rate", help: "share of GETs answered with a fault (0-1)")
    static let postFailRate = rate("post-fail-rate", help: "share of clone POSTs committed, then answered 500")
    static let postDropRate = rate("post-drop-rate", help: "share of clone POSTs committed, then dropped")
    static let lateCommitRate = rate(
        "late-commit-rate",
        help: "share of clone POSTs answered 500 or dropped, committed later"
    )
    static let lateCommitDelay = Option<Duration>.duration(
        "late-commit-delay",
        default: defaults.faults.lateCommitDelay,
        allowZero: true,
        help: "how much later those clones commit"
    )
    static let clone500 = ids("clone-500", help: "pools whose clone POST always answers 500, cloning nothing")
    static let noNewPoolID = ids("no-new-pool-id", help: "pools whose clone SUCCEEDs without details.pool_id")
    static let invisible = ids("invisible", help: "pools whose clone operation is 404 for a while after commit")
    static let invisibleFor = Option<Duration>.duration(
        "invisible-for",
        default: .seconds(10),
        allowZero: true,
        help: "how long those operations are 404"
    )
    static let operationFailRate = rate("operation-fail-rate", help: "share of clone operations that FAIL")
    static let foreignClones = Option<Int>.integer(
        "foreign-clones",
        default: defaults.faults.foreignClones,
        minimum: 0,
        help: "clones by someone else already in the windows"
    )
    static let history = Option<LimitSpec?>.parsed(
        "history",
        valueName: "N/SPAN",
        help: "N clones by another client spread over the last SPAN before start, in the windows and listed",
        expected: "expected N/SPAN, e.g. 70/25s",
    ) { LimitSpec.parse($0) }
    static let hiddenClones = Option<[HiddenClones]?>.parsed(
        "hidden-clones",
        valueName: "N@T,...",
        help: "N clones made elsewhere T after start (e.g. 40@6s): counted in the windows, never listed",
        expected: "expected N@T,... such as 40@6s"
    ) { text in
        let parts = splitIDs(text).map { HiddenClones.parse($0) { DurationParser.parse($0) } }
        return parts.contains(nil) ? nil : parts.compactMap { $0 }
    }.map { $0 ?? [] }
    static let refuseTypeFilter = Option<Bool>.flag(
        "refuse-type-filter",
        help: "answer GET /operations?type=... with 400 VALIDATION_ERROR"
    )
    static let clockOffset = Option<Duration?>.parsed(
        "clock-offset",
        valueName: "[-]DURATION",
        help: "the server's clock ahead of (or behind, with -) the real one: in submitted times and Date",
        expected: "expected a duration such as 2s or -1500ms"
    ) { text in
        let behind = text.hasPrefix("-")
        guard let offset = DurationParser.parse(behind ? String(text.dropFirst()) : text) else { return nil }
        return behind ? .zero - offset : offset
    }
    static let noRetryAfter = Option<Bool>.flag("no-retry-after", help: "429 answers without a Retry-After header")
    static let responseDelay = Option<Duration>.duration(
        "response-delay",
        default: defaults.faults.responseDelay,
        allowZero: true,
        help: "delay before every answer, like a real network"
    )
    static let responseDelayJitter = Option<Duration>.duration(
        "response-delay-jitter",
        default: defaults.faults.responseDelayJitter,
        allowZero: true,
        help: "up to this much more delay, drawn for every answer"
    )
    static let seed = SharedOptions.seed(help: "random seed")

    static let spec = CommandSpec(
        name: "toloka-sim",
        abstract:
            "Serve a simulated Toloka API (pools, trainings, clone and open operations, rate limits) on loopback.",
        usage: "toloka-sim [options]",
        options: [
            port.spec, limit.spec, trainingLimit.spec, overlapLimit.spec, overlapPerPool.spec, busyTemplates.spec,
            expiredTemplates.spec, latency.spec, missing.spec, forbidden.spec, locked.spec, conflict.spec,
            htmlRefusal.spec, redirectCheck.spec, redirectClone.spec, redirectTo.spec, trickle.spec, hugeBody.spec,
            unframedBody.spec,
            token.spec, getFailureRate.spec, postFailRate.spec, postDropRate.spec, lateCommitRate.spec,
            lateCommitDelay.spec, clone500.spec, noNewPoolID.spec, invisible.spec, invisibleFor.spec,
            operationFailRate.spec, foreignClones.spec, history.spec, hiddenClones.spec, refuseTypeFilter.spec,
            clockOffset.spec,
            noRetryAfter.spec, responseDelay.spec, responseDelayJitter.spec, seed.spec,
        ],
        examples: [
            "toloka-sim --port 8080 --limit 20/3s --limit 100/15s",
            "toloka-sim --get-failure-rate 0.2 --operation-fail-rate 0.05",
            "toloka-sim --training-limit 20/3s --training-limit 100/15s --busy-templates --expired-templates all",
        ],
        discussion: "Counters: GET /_sim/stats. Stop with Ctrl-C."
    )

    /// The simulator the command line describes.
    static func configuration(_ arguments: ParsedArguments) throws(ArgumentError) -> SimulatorConfiguration {
        if !arguments.positionals.isEmpty { throw .tooManyArguments(arguments.positionals) }
        var configuration = SimulatorConfiguration()
        configuration.port = try arguments.value(port)
        // The simulator's own defaults name their windows (MIN, DAY) as Toloka does; keep them unless given.
        // Given ones are named by rank (shortest MIN, longest DAY), the rule batch-clone maps names back by.
        if arguments.contains(limit) {
            configuration.limits = SimulatedLimit.ranked(
                try arguments.value(limit).map { SimulatedLimit(count: $0.count, window: $0.window) }
            )
        }
        if arguments.contains(trainingLimit) {
            configuration.trainingLimits = SimulatedLimit.ranked(
                try arguments.value(trainingLimit).map { SimulatedLimit(count: $0.count, window: $0.window) }
            )
        }
        if arguments.contains(overlapLimit) {
            configuration.overlapLimits = SimulatedLimit.ranked(
                try arguments.value(overlapLimit).map { SimulatedLimit(count: $0.count, window: $0.window) }
            )
        }
        configuration.overlapLimitPerPool = try arguments.value(overlapPerPool)
        configuration.busyTemplates = try arguments.value(busyTemplates)
        configuration.expiredTemplates = try arguments.value(expiredTemplates)
        if let latency = try arguments.value(latency) {
            configuration.operationLatency = latency.lowerBound.seconds...latency.upperBound.seconds
        }
        configuration.missingPools = try arguments.value(missing)
        configuration.faults.forbiddenPools = try arguments.value(forbidden)
        configuration.token = try arguments.value(token)
        configuration.faults.lockedPools = try arguments.value(locked) ?? [:]
        let redirectTo = try arguments.value(redirectTo)
        let poolFaults: [(Option<Set<String>>, Bool, PoolFault)] = [
            (conflict, true, .conflict(code: "INAPPROPRIATE_STATUS")), (htmlRefusal, true, .htmlRefusal(status: 403)),
            (redirectCheck, false, .redirect(status: 302, location: redirectTo)),
            (redirectClone, true, .redirect(status: 307, location: redirectTo)),
            (trickle, false, .trickle(bytes: 4096, every: .seconds(1))), (hugeBody, false, .hugeBody(bytes: 64 << 20)),
            (unframedBody, false, .unframedBody(bytes: 300 << 20)),
            (clone500, true, .internalError),
        ]
        for (option, onClone, fault) in poolFaults {
            for id in try arguments.value(option) {
                if onClone {
                    configuration.faults.cloneFaults[id] = fault
                } else {
                    configuration.faults.checkFaults[id] = fault
                }
            }
        }
        configuration.faults.getFailureRate = try arguments.value(getFailureRate)
        configuration.faults.postCommitThenFailRate = try arguments.value(postFailRate)
        configuration.faults.postCommitThenDropRate = try arguments.value(postDropRate)
        configuration.faults.operationFailRate = try arguments.value(operationFailRate)
        configuration.faults.lateCommitRate = try arguments.value(lateCommitRate)
        configuration.faults.lateCommitDelay = try arguments.value(lateCommitDelay)
        configuration.faults.successWithoutPoolID = try arguments.value(noNewPoolID)
        let invisibleFor = try arguments.value(invisibleFor)
        for id in try arguments.value(invisible) {
            configuration.faults.invisibleOperations[id] = invisibleFor
        }
        configuration.faults.retryAfter = !(try arguments.value(noRetryAfter))
        configuration.faults.foreignClones = try arguments.value(foreignClones)
        if let history = try arguments.value(history) {
            configuration.history = SimulatedHistory(count: history.count, span: history.window)
        }
        configuration.hiddenClones = try arguments.value(hiddenClones)
        configuration.refuseTypeFilter = try arguments.value(refuseTypeFilter)
        if let offset = try arguments.value(clockOffset) {
            configuration.clockOffset = offset
        }
        configuration.faults.responseDelay = try arguments.value(responseDelay)
        configuration.faults.responseDelayJitter = try arguments.value(responseDelayJitter)
        configuration.seed = try arguments.value(seed)
        return configuration
    }

    /// Comma-separated pool IDs, blanks dropped; none when absent.
    private static func ids(_ name: String, help: String) -> Option<Set<String>> {
        Option<String?>.text(name, valueName: "IDS", help: help).map { Set(splitIDs($0 ?? "")) }
    }

    private static func splitIDs(_ text: String) -> [String] {
        text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// A share from 0 to 1; 0 when absent.
    private static func rate(_ name: String, help: String) -> Option<Double> {
        Option<Double?>.parsed(name, valueName: "P", help: help, expected: "expected a number from 0 to 1") {
            Double($0).flatMap { (0...1).contains($0) ? $0 : nil }
        }.map { $0 ?? 0 }
    }

    private static func milliseconds(_ seconds: Double) -> String {
        DurationFormatter.string(.milliseconds(Int64((seconds * 1000).rounded())), .argument)
    }
}

extension Duration {
    fileprivate var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
