import Foundation

/// Where files go when their option is not given.
enum DefaultPaths {
    /// The shared ledger: one file per API host (and shared account acted under), so every run on
    /// the same account and machine shares it.
    static func state(for baseURL: URL, account: String? = nil, environment: [String: String]) -> String {
        let root: String
        // The XDG spec: a relative path is invalid and must be ignored (it would follow the current folder).
        if let xdg = environment["XDG_STATE_HOME"], xdg.hasPrefix("/") {
            root = xdg
        } else {
            root = (environment["HOME"] ?? NSHomeDirectory()) + "/.local/state"
        }
        var host = baseURL.host ?? "api"
        if let port = baseURL.port { host += "-\(port)" }
        if let account { host += "-account-\(account)" }
        return root + "/batch-clone/" + host + ".json"
    }

    /// `pools.csv` -> `pools.journal` beside it.
    static func journal(forCSV path: String) -> String {
        stem(path) + ".journal"
    }

    /// `pools.csv` -> `pools.results.csv` beside it.
    static func results(forCSV path: String) -> String {
        stem(path) + ".results.csv"
    }

    private static func stem(_ path: String) -> String {
        let name = (path as NSString).lastPathComponent
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return path }
        return String(path.dropLast(name.distance(from: dot, to: name.endIndex)))
    }
}
