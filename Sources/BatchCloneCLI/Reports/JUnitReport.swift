import BatchCloneKit

/// The run as a JUnit XML report, the format GitLab (`artifacts:reports:junit`), Jenkins and
/// GitHub test-report actions display: one test case per pool of the CSV.
///
/// Cloned pools pass (the new pool ID in `system-out`), failed ones (and clones whose step after
/// the clone failed) carry a `failure` with the reason, and pools not settled yet are `skipped` with why, so a resumable stop is not red.
struct JUnitReport {
    var summary: RunSummary
    /// The suite's name, e.g. the CSV path.
    var name: String

    func render() -> String {
        var cases: [String] = []
        var failures = 0
        var skipped = 0
        for item in summary.items {
            let head = "    <testcase classname=\"batch-clone\" name=\"\(Self.escape("\(item)"))\""
            // A clone whose step after the clone failed is red: the pool is not what was asked.
            if let failure = summary.record(of: item)?.stepFailure,
                case .done(let newPool?, _) = summary.record(of: item)?.phase
            {
                failures += 1
                let reason = Self.escape("cloned to pool \(newPool), then \(failure.step): \(failure.reason)")
                cases.append(
                    head
                        + ">\n      <failure message=\"\(reason)\" type=\"step failed\">\(reason)</failure>\n    </testcase>"
                )
                continue
            }
            switch summary.record(of: item)?.phase ?? .pending {
            case .done(let newPool, let operation):
                let out = Self.escape("cloned to pool \(newPool ?? "(id unknown)") (operation \(operation))")
                cases.append(head + ">\n      <system-out>\(out)</system-out>\n    </testcase>")
            case .failed(let reason, _):
                failures += 1
                let reason = Self.escape("\(reason)")
                cases.append(
                    head
                        + ">\n      <failure message=\"\(reason)\" type=\"failed\">\(reason)</failure>\n    </testcase>"
                )
            case let phase:
                skipped += 1
                cases.append(
                    head
                        + ">\n      <skipped message=\"\(Self.escape(Self.skipReason(phase, stop: summary.stop)))\"/>\n    </testcase>"
                )
            }
        }
        let counts = "tests=\"\(summary.items.count)\" failures=\"\(failures)\" errors=\"0\" skipped=\"\(skipped)\""
        return """
            <?xml version="1.0" encoding="UTF-8"?>
            <testsuites name="batch-clone" \(counts)>
              <testsuite name="\(Self.escape(name))" \(counts)>
            \(cases.joined(separator: "\n"))
              </testsuite>
            </testsuites>

            """
    }

    /// Why a pool is not settled, and what the next run does about it.
    static func skipReason(_ phase: PoolPhase, stop: RunSummary.Stop?) -> String {
        switch phase {
        case .sending:
            return
                "unconfirmed: the answer to its clone request was lost; the next run looks the clone up on the server"
        case .submitted(let operation, _):
            return "running: clone operation \(operation) had not finished; the next run follows it"
        default:
            switch stop {
            case .limit(let resumeAt):
                return
                    "pending: the clone quota is used up until \(ProgressReporter.time(resumeAt)); re-run the same command then"
            case .interrupted:
                return "pending: the run was interrupted before this pool; re-run the same command"
            case .unfinishedOperations, nil:
                return "pending: not sent by this run; re-run the same command"
            }
        }
    }

    /// Text safe in XML 1.0 content and attributes: markup escaped, characters XML 1.0 forbids
    /// (most control characters, lone surrogates, U+FFFE/U+FFFF) removed.
    static func escape(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\n": out += "&#10;"
            case "\r": out += "&#13;"
            case "\t": out += "&#9;"
            default:
                let value = scalar.value
                let allowed = (0x20...0xD7FF).contains(value) || (0xE000...0xFFFD).contains(value) || value >= 0x10000
                if allowed { out.unicodeScalars.append(scalar) }
            }
        }
        return out
    }
}
