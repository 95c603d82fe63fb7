import Foundation

/// `redis://` or `rediss://` (TLS) `[[user]:password@]host[:port][/db]`; its description keeps the
/// scheme and never shows the password.
public struct RedisURL: Sendable, Equatable, CustomStringConvertible {
    public var host: String
    public var port: Int
    public var user: String?
    public var password: String?
    public var database: Int
    /// `rediss://`: TLS with certificate and host-name verification.
    public var tls: Bool

    /// Whether `text` names a Redis server rather than a file (`redis://` or `rediss://`).
    public static func isRedis(_ text: String) -> Bool {
        let lower = text.lowercased()
        return lower.hasPrefix("redis://") || lower.hasPrefix("rediss://")
    }

    /// Parses `text`, a `redis://` or `rediss://` URL.
    public init(parsing text: String) throws(RedisError) {
        let lower = text.lowercased()
        if lower.hasPrefix("rediss://") {
            tls = true
        } else if lower.hasPrefix("redis://") {
            tls = false
        } else {
            throw .invalidURL(url: Self.redact(text), reason: "it must start with redis:// or rediss://")
        }
        var rest = Substring(text.dropFirst(tls ? "rediss://".count : "redis://".count))
        var path = Substring("")
        if let slash = rest.firstIndex(of: "/") {
            path = rest[rest.index(after: slash)...]
            rest = rest[..<slash]
        }
        if let at = rest.lastIndex(of: "@") {
            let userInfo = rest[..<at]
            rest = rest[rest.index(after: at)...]
            if let colon = userInfo.firstIndex(of: ":") {
                let name = String(userInfo[..<colon])
                user = name.isEmpty ? nil : (name.removingPercentEncoding ?? name)
                let secret = String(userInfo[userInfo.index(after: colon)...])
                password = secret.removingPercentEncoding ?? secret
            } else {
                // `redis://secret@host`: the old single-password form.
                password = String(userInfo).removingPercentEncoding ?? String(userInfo)
            }
        }
        var portText: Substring?
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]") else {
                throw .invalidURL(url: Self.redact(text), reason: "the IPv6 address has no closing ]")
            }
            host = String(rest[rest.index(after: rest.startIndex)..<close])
            let after = rest[rest.index(after: close)...]
            if after.hasPrefix(":") {
                portText = after.dropFirst()
            } else if !after.isEmpty {
                throw .invalidURL(url: Self.redact(text), reason: "unexpected '\(after)' after the IPv6 address")
            }
        } else if let colon = rest.lastIndex(of: ":") {
            host = String(rest[..<colon])
            portText = rest[rest.index(after: colon)...]
        } else {
            host = String(rest)
        }
        guard !host.isEmpty else { throw .invalidURL(url: Self.redact(text), reason: "the host is missing") }
        port = 6379
        if let portText {
            guard let value = Int(portText), (1...65_535).contains(value) else {
                throw .invalidURL(
                    url: Self.redact(text),
                    reason: "the port '\(portText)' is not a number from 1 to 65535"
                )
            }
            port = value
        }
        database = 0
        let dbText = path.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        if !dbText.isEmpty {
            guard let value = Int(dbText), value >= 0 else {
                throw .invalidURL(url: Self.redact(text), reason: "the database '\(dbText)' is not a number")
            }
            database = value
        }
    }

    /// The URL as it is safe to print: the password replaced by `***`.
    public var description: String {
        var text = tls ? "rediss://" : "redis://"
        if let password {
            text += (user.map { Self.encode($0) } ?? "") + (password.isEmpty ? ":" : ":***") + "@"
        } else if let user {
            text += Self.encode(user) + "@"
        }
        text += host.contains(":") ? "[\(host)]" : host
        text += ":\(port)"
        if database != 0 { text += "/\(database)" }
        return text
    }

    /// Whether the host is this machine (`localhost`, 127.0.0.0/8, `::1`): nothing on the path to read.
    public var isLoopback: Bool {
        let name = host.lowercased()
        return name == "localhost" || name.hasSuffix(".localhost") || name == "::1"
            || (name.hasPrefix("127.") && name.split(separator: ".").count == 4
                && name.allSatisfy { $0.isNumber || $0 == "." })
    }

    /// A warning when a password would cross the network in clear: plain `redis://` to a host off loopback.
    public var cleartextPasswordWarning: String? {
        guard !tls, password != nil, !isLoopback else { return nil }
        return "--state \(self) sends the Redis password in clear over the network; "
            + "use rediss:// with the server's TLS port instead"
    }

    private static func encode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .urlUserAllowed) ?? text
    }

    /// `text` with whatever sits between `://` and the last `@` before the host reduced to the user name.
    static func redact(_ text: String) -> String {
        guard let scheme = text.range(of: "://") else { return text }
        let afterScheme = text[scheme.upperBound...]
        let authorityEnd = afterScheme.firstIndex(of: "/") ?? afterScheme.endIndex
        let authority = afterScheme[..<authorityEnd]
        guard let at = authority.lastIndex(of: "@") else { return text }
        let userInfo = authority[..<at]
        let user = userInfo.firstIndex(of: ":").map { userInfo[..<$0] } ?? ""
        return String(text[..<scheme.upperBound]) + user + ":***" + String(text[at...])
    }
}
