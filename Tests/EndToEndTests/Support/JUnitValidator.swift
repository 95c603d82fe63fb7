import Foundation

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// Checks a JUnit XML report against the structure of the common JUnit schema that GitLab,
/// Jenkins and GitHub test-report actions read (Jenkins' `junit.xsd`): `testsuites` holding
/// `testsuite`s with `name` and `tests`, `testcase`s with `name` and `classname`, at most one of
/// `skipped`/`failure`/`error` before `system-out`, and counts that match the cases.
final class JUnitValidator: NSObject, XMLParserDelegate {
    struct TestCase: Equatable {
        var name: String
        /// "passed", "failure" or "skipped".
        var outcome = "passed"
        var message: String?
        var systemOut = ""
    }

    private(set) var problems: [String] = []
    private(set) var cases: [TestCase] = []
    private var stack: [String] = []
    private var suiteCounts: [String: Int] = [:]
    private var text = ""

    /// Parses `data`; `problems` is empty when the report is well-formed and valid.
    static func validate(_ data: Data) -> JUnitValidator {
        let validator = JUnitValidator()
        let parser = XMLParser(data: data)
        parser.delegate = validator
        if !parser.parse() {
            validator.problems.append("not well-formed XML: \(parser.parserError.map { "\($0)" } ?? "unknown error")")
        }
        validator.checkCounts()
        return validator
    }

    private static let children: [String: Set<String>] = [
        "": ["testsuites"],
        "testsuites": ["testsuite"],
        "testsuite": ["testcase", "properties", "system-out", "system-err"],
        "testcase": ["skipped", "failure", "error", "system-out", "system-err"],
        "skipped": [], "failure": [], "error": [], "system-out": [], "system-err": [],
    ]

    func parser(
        _ parser: XMLParser,
        didStartElement element: String,
        namespaceURI: String?,
        qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        let parent = stack.last ?? ""
        if !(Self.children[parent]?.contains(element) ?? false) {
            problems.append("<\(element)> is not allowed inside <\(parent)>")
        }
        switch element {
        case "testsuites", "testsuite":
            for required in element == "testsuite" ? ["name", "tests"] : [] where attributes[required] == nil {
                problems.append("<\(element)> lacks \(required)")
            }
            for count in ["tests", "failures", "errors", "skipped"] {
                guard let value = attributes[count] else { continue }
                guard let number = Int(value), number >= 0 else {
                    problems.append("<\(element)> \(count)=\"\(value)\" is not a count")
                    continue
                }
                if element == "testsuite" { suiteCounts[count, default: 0] += number }
            }
        case "testcase":
            if attributes["name"] == nil || attributes["classname"] == nil {
                problems.append("<testcase> needs name and classname: \(attributes)")
            }
            cases.append(TestCase(name: attributes["name"] ?? ""))
        case "skipped", "failure", "error":
            if cases.last?.outcome != "passed" { problems.append("a test case has more than one outcome") }
            if cases.last?.systemOut.isEmpty == false { problems.append("<\(element)> after <system-out>") }
            cases[cases.count - 1].outcome = element
            cases[cases.count - 1].message = attributes["message"]
        default: break
        }
        stack.append(element)
        text = ""
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        text += string
    }

    func parser(_ parser: XMLParser, didEndElement element: String, namespaceURI: String?, qualifiedName: String?) {
        if element == "system-out", stack.dropLast().last == "testcase" {
            cases[cases.count - 1].systemOut = text
        }
        stack.removeLast()
    }

    private func checkCounts() {
        let actual = [
            "tests": cases.count, "failures": cases.count { $0.outcome == "failure" },
            "errors": cases.count { $0.outcome == "error" }, "skipped": cases.count { $0.outcome == "skipped" },
        ]
        for (key, value) in suiteCounts where actual[key] != value {
            problems.append("the suites count \(value) \(key), the cases \(actual[key] ?? 0)")
        }
    }
}
