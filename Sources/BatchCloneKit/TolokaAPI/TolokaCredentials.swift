import Foundation

/// The `Authorization` header value for a token, guessing the scheme as toloka-kit does.
public enum TolokaCredentials {
    /// `ApiKey x` for API keys (two dots, the first at index 22-24), `OAuth x` otherwise;
    /// a value that already names its scheme is kept as is.
    public static func authorization(for rawToken: String) -> String {
        let token = rawToken.trimmingCharacters(in: .whitespacesAndNewlines)
        if token.hasPrefix("ApiKey ") || token.hasPrefix("OAuth ") { return token }
        let dots = token.indices.filter { token[$0] == "." }
        if dots.count == 2, (22...24).contains(token.distance(from: token.startIndex, to: dots[0])) {
            return "ApiKey \(token)"
        }
        return "OAuth \(token)"
    }
}
