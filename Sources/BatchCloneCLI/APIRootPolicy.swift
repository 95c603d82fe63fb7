import ArgumentParsing
import Foundation

/// Where the token may go: an `https` API root anywhere, a plain `http` one only on loopback,
/// unless `--allow-http` says a proxy needs it (then with a warning).
enum APIRootPolicy {
    /// Validates `url` (given as `--base-url` or `$TOLOKA_API_URL`); returns a warning to show, if any.
    static func check(_ url: URL, allowHTTP: Bool) throws(ArgumentError) -> String? {
        guard url.scheme?.lowercased() == "http", let host = url.host else { return nil }
        if isLoopback(host) { return nil }
        guard allowHTTP else {
            throw .invalidValue(
                option: "base-url",
                value: url.absoluteString,
                reason: "plain http would send the token unencrypted to \(host); use https, "
                    + "or --allow-http if a proxy on a trusted network needs it"
            )
        }
        return "--allow-http: the token goes unencrypted to \(host); anyone on the network path can read it"
    }

    /// 127.0.0.0/8, `::1` and `localhost`: traffic that never leaves the machine.
    static func isLoopback(_ host: String) -> Bool {
        let bare = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        if bare.lowercased() == "localhost" || bare == "::1" || bare == "0:0:0:0:0:0:0:1" { return true }
        let octets = bare.split(separator: ".", omittingEmptySubsequences: false)
        guard octets.count == 4 else { return false }
        let values = octets.compactMap { $0.count <= 3 && $0.allSatisfy(\.isASCII) ? UInt8($0) : nil }
        return values.count == 4 && values[0] == 127
    }
}
