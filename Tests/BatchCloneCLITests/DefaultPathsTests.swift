import Foundation
import Testing

@testable import BatchCloneCLI

@Suite struct DefaultPathsTests {
    @Test func stateIsOneFilePerApiHost() {
        let production = URL(string: "https://toloka.dev/api/v1")!
        #expect(
            DefaultPaths.state(for: production, environment: ["XDG_STATE_HOME": "/x"])
                == "/x/batch-clone/toloka.dev.json"
        )
        #expect(
            DefaultPaths.state(for: production, environment: ["HOME": "/home/u"])
                == "/home/u/.local/state/batch-clone/toloka.dev.json"
        )
        let local = URL(string: "http://127.0.0.1:8080/api/v1")!
        #expect(
            DefaultPaths.state(for: local, environment: ["XDG_STATE_HOME": "/x"])
                == "/x/batch-clone/127.0.0.1-8080.json"
        )
        #expect(
            DefaultPaths.state(for: production, account: "acme", environment: ["XDG_STATE_HOME": "/x"])
                == "/x/batch-clone/toloka.dev-account-acme.json"
        )
    }

    @Test func journalAndResultsSitBesideTheCSV() {
        #expect(DefaultPaths.journal(forCSV: "data/pools.csv") == "data/pools.journal")
        #expect(DefaultPaths.results(forCSV: "data/pools.csv") == "data/pools.results.csv")
        #expect(DefaultPaths.journal(forCSV: "pools") == "pools.journal")
        #expect(DefaultPaths.journal(forCSV: "dir.v2/pools") == "dir.v2/pools.journal")
        #expect(DefaultPaths.results(forCSV: ".hidden") == ".hidden.results.csv")
    }
}
