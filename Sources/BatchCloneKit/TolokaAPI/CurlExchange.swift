#if os(Linux)
    import Foundation

    /// One request's answer as libcurl hands it over, line by line and piece by piece.
    ///
    /// libcurl calls these on the transfer's thread and reads the socket no further until they
    /// return, so the body held never exceeds `maxBodyBytes` whether or not a length was declared.
    final class CurlExchange {
        let maxBodyBytes: Int
        private(set) var status: Int?
        private(set) var headers: [String: String] = [:]
        private(set) var body = Data()
        /// Why this side stopped the transfer; wins over the error libcurl reports for it.
        private(set) var abandoned: String?

        init(maxBodyBytes: Int) {
            self.maxBodyBytes = maxBodyBytes
        }

        /// Takes one header line; false stops the transfer.
        func receiveHeader(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
            let line = String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            if line.hasPrefix("HTTP/") {
                // A new status line (after a 100 Continue, say) starts a new set of headers.
                status = line.split(separator: " ").dropFirst().first.flatMap { Int($0) }
                headers = [:]
            } else if line.isEmpty {
                if let declared = headers["content-length"].flatMap(Int.init), declared > maxBodyBytes {
                    abandoned = "answer body of \(declared) bytes is over the \(maxBodyBytes)-byte limit"
                    return false
                }
            } else if let colon = line.firstIndex(of: ":") {
                let name = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
                let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                headers[name] = headers[name].map { "\($0), \(value)" } ?? value
            }
            return true
        }

        /// Takes one piece of the body; false stops the transfer.
        func receiveBody(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
            guard body.count + bytes.count <= maxBodyBytes else {
                abandoned = "answer body over the \(maxBodyBytes)-byte limit"
                return false
            }
            body.append(bytes)
            return true
        }

        /// Gives up on the transfer for `reason` unless it was already given up on.
        func abandon(_ reason: String) {
            if abandoned == nil { abandoned = reason }
        }

        /// libcurl's header callback; `context` is an unretained `CurlExchange`.
        static let headerCallback: LibCurl.DataCallback = { data, size, count, context in
            let exchange = Unmanaged<CurlExchange>.fromOpaque(context!).takeUnretainedValue()
            let bytes = UnsafeBufferPointer(
                start: UnsafeRawPointer(data)?.assumingMemoryBound(to: UInt8.self),
                count: size * count
            )
            return exchange.receiveHeader(bytes) ? size * count : 0
        }

        /// libcurl's write callback; `context` is an unretained `CurlExchange`.
        static let bodyCallback: LibCurl.DataCallback = { data, size, count, context in
            let exchange = Unmanaged<CurlExchange>.fromOpaque(context!).takeUnretainedValue()
            let bytes = UnsafeBufferPointer(
                start: UnsafeRawPointer(data)?.assumingMemoryBound(to: UInt8.self),
                count: size * count
            )
            return exchange.receiveBody(bytes) ? size * count : 0
        }
    }
#endif
