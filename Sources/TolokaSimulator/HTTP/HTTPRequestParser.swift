/// Incremental HTTP/1.x request parser over a connection's receive buffer.
enum HTTPRequestParser {
    enum Outcome {
        case incomplete
        case invalid(String)
        case complete(HTTPRequest)
    }

    /// Header blocks beyond this are refused rather than buffered without bound.
    static let maximumHeaderBytes = 64 * 1024
    static let maximumBodyBytes = 1024 * 1024

    /// Parses one request from the front of `buffer` and removes its bytes when complete.
    static func parse(_ buffer: inout [UInt8]) -> Outcome {
        guard let headerEnd = findHeaderEnd(buffer) else {
            return buffer.count > maximumHeaderBytes ? .invalid("request header is too large") : .incomplete
        }
        let headText = String(decoding: buffer[..<headerEnd], as: UTF8.self)
        var lines = headText.components(separatedBy: "\r\n")
        let requestLine = lines.removeFirst()
        let parts = requestLine.split(separator: " ", omittingEmptySubsequences: false)
        guard parts.count == 3,
            !parts[0].isEmpty,
            parts[0].allSatisfy({ $0.isASCII && $0.isUppercase }),
            parts[2] == "HTTP/1.1" || parts[2] == "HTTP/1.0"
        else {
            return .invalid("malformed request line")
        }
        guard let target = normalizedTarget(String(parts[1])) else {
            return .invalid("malformed request target")
        }
        var headers: [(name: String, value: String)] = []
        for line in lines {
            guard let colon = line.firstIndex(of: ":"), colon != line.startIndex else {
                return .invalid("malformed header line")
            }
            let name = line[..<colon].trimmingCharacters(in: .whitespaces)
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            headers.append((name: name, value: value))
        }
        var request = HTTPRequest(method: String(parts[0]), target: target, version: String(parts[2]), headers: headers)
        if let encoding = request.header("transfer-encoding"), encoding.lowercased() != "identity" {
            return .invalid("transfer-encoding is not supported; send content-length")
        }
        var bodyLength = 0
        if let lengthText = request.header("content-length") {
            guard let length = Int(lengthText), length >= 0, length <= maximumBodyBytes else {
                return .invalid("invalid content-length")
            }
            bodyLength = length
        }
        let bodyStart = headerEnd + 4
        guard buffer.count >= bodyStart + bodyLength else {
            return .incomplete
        }
        request.body = Array(buffer[bodyStart..<(bodyStart + bodyLength)])
        buffer.removeFirst(bodyStart + bodyLength)
        return .complete(request)
    }

    private static func findHeaderEnd(_ buffer: [UInt8]) -> Int? {
        guard buffer.count >= 4 else { return nil }
        for index in 0...(buffer.count - 4)
        where buffer[index] == 13 && buffer[index + 1] == 10 && buffer[index + 2] == 13 && buffer[index + 3] == 10 {
            return index
        }
        return nil
    }

    /// Accepts origin-form targets and reduces absolute-form ones (sent through proxies) to origin-form.
    private static func normalizedTarget(_ target: String) -> String? {
        if target.hasPrefix("/") {
            return target
        }
        for scheme in ["http://", "https://"] where target.lowercased().hasPrefix(scheme) {
            let rest = target.dropFirst(scheme.count)
            guard let slash = rest.firstIndex(where: { $0 == "/" || $0 == "?" }) else { return "/" }
            let remainder = String(rest[slash...])
            return remainder.hasPrefix("/") ? remainder : "/" + remainder
        }
        return nil
    }
}
