#if os(Linux)
    import DurationFormat
    import Foundation
    import Synchronization

    /// The real transport on Linux: libcurl driven directly, each request on a thread of its own.
    ///
    /// libcurl reads the socket only as fast as the answer is taken, so a body is cut at
    /// `maxBodyBytes` having held no more than that, with or without a `Content-Length`
    /// (FoundationNetworking queues what libcurl reads for its delegate queue, hundreds of MB).
    /// GETs reuse connections; every other request gets a fresh one with `Connection: close`,
    /// since libcurl silently re-sends a request whose reused connection dies under it.
    /// Redirects are never followed (a 3xx is the answer), so the token only reaches the URL asked for.
    public final class CurlTransport: HTTPTransport {
        private let curl: LibCurl
        private let limits: TransportLimits
        /// Idle handles for GETs, each with the connections it keeps open.
        private let idle = Mutex<[CurlHandle]>([])
        private static let maxIdle = 8

        /// A transport whose requests end within `limits.deadline` and read at most `limits.maxBodyBytes`;
        /// nil when libcurl cannot be loaded.
        public init?(limits: TransportLimits = TransportLimits()) {
            guard let curl = LibCurl.shared else { return nil }
            self.curl = curl
            self.limits = limits
        }

        deinit {
            for handle in idle.withLock({ $0 }) { handle.close(curl) }
        }

        public func send(method: String, url: URL, headers: [String: String]) async throws -> HTTPAnswer {
            try await send(method: method, url: url, headers: headers, body: nil)
        }

        public func send(method: String, url: URL, headers: [String: String], body: Data) async throws
            -> HTTPAnswer
        {
            try await send(method: method, url: url, headers: headers, body: Optional(body))
        }

        private func send(method: String, url: URL, headers: [String: String], body: Data?) async throws
            -> HTTPAnswer
        {
            let cancelled = CurlCancellation()
            do {
                return try await withTaskCancellationHandler {
                    try await withCheckedThrowingContinuation {
                        (continuation: CheckedContinuation<HTTPAnswer, any Error>) in
                        // libcurl blocks while it waits on the socket: never on a cooperative thread.
                        let thread = Thread {
                            continuation.resume(
                                with: Result { try self.perform(method, url, headers, body, cancelled: cancelled) }
                            )
                        }
                        thread.name = "batch-clone-http"
                        thread.start()
                    }
                } onCancel: {
                    cancelled.cancel()
                }
            } catch let error as TolokaError {
                if Task.isCancelled { throw CancellationError() }
                throw error
            }
        }

        private func perform(
            _ method: String,
            _ url: URL,
            _ headers: [String: String],
            _ body: Data?,
            cancelled: CurlCancellation
        ) throws(TolokaError) -> HTTPAnswer {
            let isRead = method == "GET"
            let pooled = isRead ? idle.withLock { $0.popLast() } : nil
            guard let handle = pooled ?? CurlHandle(curl) else {
                throw TolokaError.transport("libcurl could not start a request")
            }
            let exchange = CurlExchange(maxBodyBytes: limits.maxBodyBytes)
            var list: OpaquePointer?
            for (name, value) in headers { list = curl.listAppend(list, "\(name): \(value)") }
            if !isRead { list = curl.listAppend(list, "Connection: close") }
            // No `Expect: 100-continue` pause before a body: the answer comes after the whole request anyway.
            if body != nil { list = curl.listAppend(list, "Expect:") }
            defer { curl.listFree(list) }

            let code = withExtendedLifetime(exchange) {
                configure(handle.easy, method: method, url: url, headers: list, body: body, exchange: exchange)
                return run(handle, exchange: exchange, cancelled: cancelled)
            }
            // A handle whose transfer was cut short holds nothing worth reusing.
            let kept =
                isRead && code == LibCurl.Code.ok
                && idle.withLock { handles in
                    guard handles.count < Self.maxIdle else { return false }
                    handles.append(handle)
                    return true
                }
            if !kept { handle.close(curl) }
            if let reason = exchange.abandoned { throw TolokaError.transport(reason) }
            guard code == LibCurl.Code.ok else { throw TolokaError.transport(describe(code)) }
            guard let status = exchange.status else { throw TolokaError.transport("not an HTTP response") }
            return HTTPAnswer(status: status, headers: exchange.headers, body: exchange.body)
        }

        private func configure(
            _ easy: LibCurl.Easy,
            method: String,
            url: URL,
            headers: OpaquePointer?,
            body: Data?,
            exchange: CurlExchange
        ) {
            let context = UnsafeRawPointer(Unmanaged.passUnretained(exchange).toOpaque())
            curl.easyReset(easy)
            _ = url.absoluteString.withCString { curl.setPointer(easy, LibCurl.Option.url, $0) }
            _ = curl.setPointer(easy, LibCurl.Option.httpHeader, UnsafeRawPointer(headers))
            // Signals would interrupt other threads; libcurl then times out without them.
            _ = curl.setLong(easy, LibCurl.Option.noSignal, 1)
            _ = curl.setLong(easy, LibCurl.Option.followLocation, 0)
            // The whole exchange, connection to last byte: unlike an idle timeout, a trickle cannot extend it.
            _ = curl.setLong(easy, LibCurl.Option.timeoutMilliseconds, limits.deadlineMilliseconds)
            _ = curl.setData(easy, LibCurl.Option.headerFunction, CurlExchange.headerCallback)
            _ = curl.setPointer(easy, LibCurl.Option.headerData, context)
            _ = curl.setData(easy, LibCurl.Option.writeFunction, CurlExchange.bodyCallback)
            _ = curl.setPointer(easy, LibCurl.Option.writeData, context)
            switch method {
            case _ where body != nil:
                // libcurl copies the body before this returns; the custom method turns the POST into e.g. a PUT.
                let bytes = [UInt8](body ?? Data())
                _ = curl.setLong(easy, LibCurl.Option.post, 1)
                _ = curl.setLong(easy, LibCurl.Option.postFieldSize, bytes.count)
                _ = bytes.withUnsafeBytes { curl.setPointer(easy, LibCurl.Option.copyPostFields, $0.baseAddress) }
                if method != "POST" {
                    _ = method.withCString { curl.setPointer(easy, LibCurl.Option.customRequest, $0) }
                }
            case "GET":
                _ = curl.setLong(easy, LibCurl.Option.httpGet, 1)
            case "POST":
                _ = curl.setLong(easy, LibCurl.Option.post, 1)
                _ = curl.setLong(easy, LibCurl.Option.postFieldSize, 0)
                _ = "".withCString { curl.setPointer(easy, LibCurl.Option.copyPostFields, $0) }
            default:
                _ = method.withCString { curl.setPointer(easy, LibCurl.Option.customRequest, $0) }
            }
            if method != "GET" {
                _ = curl.setLong(easy, LibCurl.Option.freshConnect, 1)
                _ = curl.setLong(easy, LibCurl.Option.forbidReuse, 1)
            }
        }

        /// Drives the transfer until it ends or `cancelled` is set; returns libcurl's result code.
        private func run(_ handle: CurlHandle, exchange: CurlExchange, cancelled: CurlCancellation) -> Int32 {
            guard curl.multiAdd(handle.multi, handle.easy) == LibCurl.Code.ok else {
                exchange.abandon("libcurl could not start a request")
                return -1
            }
            defer { _ = curl.multiRemove(handle.multi, handle.easy) }
            var running: Int32 = 1
            while true {
                guard curl.multiPerform(handle.multi, &running) == LibCurl.Code.ok else {
                    exchange.abandon("libcurl failed while transferring")
                    return -1
                }
                var left: Int32 = 0
                while let message = curl.multiInfoRead(handle.multi, &left) {
                    // CURLMsg: CURLMSG msg; CURL *easy_handle; union { void *; CURLcode result; } data.
                    if message.load(as: Int32.self) == LibCurl.Code.multiDone {
                        return message.load(fromByteOffset: 2 * MemoryLayout<Int>.size, as: Int32.self)
                    }
                }
                if cancelled.isCancelled {
                    exchange.abandon("request cancelled")
                    return -1
                }
                // Wakes on socket activity or after 50 ms, which bounds how late a cancellation lands.
                _ = curl.multiPoll(handle.multi, nil, 0, 50, nil)
            }
        }

        private func describe(_ code: Int32) -> String {
            switch code {
            case LibCurl.Code.timedOut: "no complete answer within \(DurationFormatter.string(limits.deadline))"
            case LibCurl.Code.couldNotConnect, LibCurl.Code.couldNotResolveHost: "cannot connect to the server"
            case LibCurl.Code.gotNothing: "connection closed without an answer"
            case LibCurl.Code.sendError, LibCurl.Code.receiveError, LibCurl.Code.partialFile: "connection lost"
            default: curl.describe(code)
            }
        }
    }
#endif
