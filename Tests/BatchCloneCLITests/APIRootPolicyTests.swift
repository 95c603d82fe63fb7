import ArgumentParsing
import Foundation
import Testing

@testable import BatchCloneCLI

@Suite struct APIRootPolicyTests {
    private func check(_ text: String, allowHTTP: Bool = false) throws(ArgumentError) -> String? {
        try APIRootPolicy.check(URL(string: text)!, allowHTTP: allowHTTP)
    }

    @Test(arguments: [
        "https://toloka.dev/api/v1", "https://10.0.0.5:8443/api/v1", "http://127.0.0.1:8080/api/v1",
        "http://127.1.2.3/api/v1",
        "http://localhost:9/api/v1", "http://LOCALHOST/api/v1", "http://[::1]:8080/api/v1",
    ])
    func httpsAnywhereAndHTTPOnLoopbackPassSilently(root: String) throws {
        #expect(try check(root) == nil)
    }

    @Test(arguments: [
        "http://toloka.dev/api/v1", "http://10.0.0.5/api/v1", "http://128.0.0.1/api/v1",
        "http://127.0.0.1.evil.example/api/v1",
        "http://localhost.evil.example/api/v1", "http://[::2]/api/v1", "http://0.0.0.0/api/v1",
    ])
    func plainHTTPOffLoopbackIsAUsageError(root: String) {
        #expect {
            try check(root)
        } throws: { error in
            guard case ArgumentError.invalidValue("base-url", root, let reason) = error else { return false }
            return reason.contains("--allow-http") && reason.contains("unencrypted")
        }
    }

    @Test func allowHTTPLetsItThroughWithAWarning() throws {
        let warning = try #require(try check("http://proxy.corp:3128/api/v1", allowHTTP: true))
        #expect(warning.contains("unencrypted to proxy.corp"))
        #expect(try check("https://toloka.dev/api/v1", allowHTTP: true) == nil)
    }

    @Test func runOptionsApplyThePolicyToTheFlagAndTheEnvironment() throws {
        let parser = ArgumentParser(RunOptions.spec)
        #expect(throws: ArgumentError.self) {
            try RunOptions(
                parser.parse(["p.csv", "--base-url", "http://toloka.dev/api/v1", "--dry-run"]),
                environment: [:]
            )
        }
        #expect(throws: ArgumentError.self) {
            try RunOptions(parser.parse(["p.csv"]), environment: ["TOLOKA_API_URL": "http://toloka.dev/api/v1"])
        }
        let allowed = try RunOptions(
            parser.parse(["p.csv", "--base-url", "http://toloka.dev/api/v1", "--allow-http"]),
            environment: [:]
        )
        #expect(allowed.ledger.apiRootWarning != nil)
        #expect(try RunOptions(parser.parse(["p.csv"]), environment: [:]).ledger.apiRootWarning == nil)
    }
}
