#if os(Linux)
    import Glibc

    /// A TLS 1.2+ session over a `RedisSocket`, through the system's OpenSSL: the server's certificate
    /// is verified against the trust store (or `caFile`) and must name the host (its IP address for an
    /// IP literal). Nothing turns verification off.
    final class TLSStream: RedisByteStream {
        private let socket: RedisSocket
        private let library: OpenSSLLibrary
        private var context: OpaquePointer?
        private var session: OpaquePointer?
        private let url: String

        private init(socket: RedisSocket, library: OpenSSLLibrary, context: OpaquePointer, url: String) {
            self.socket = socket
            self.library = library
            self.context = context
            self.url = url
        }

        deinit { close() }

        /// Connects to `url`'s host and completes the TLS handshake, all within `connectTimeout`.
        static func open(
            _ url: RedisURL,
            caFile: String?,
            connectTimeout: Duration,
            ioTimeout: Duration
        ) throws(RedisError) -> TLSStream {
            let deadline = ContinuousClock.now + connectTimeout
            let library = try OpenSSLLibrary.shared.get()
            let socket = try RedisSocket.open(url, connectTimeout: connectTimeout, ioTimeout: ioTimeout)
            library.clearErrors()
            guard let method = library.clientMethod(), let context = library.contextNew(method) else {
                throw .tls(
                    url: url.description,
                    reason: "cannot set up TLS: \(library.takeErrorReason() ?? "no reason")"
                )
            }
            // From here the stream owns the context and the socket, and frees them on every exit.
            let stream = TLSStream(socket: socket, library: library, context: context, url: url.description)
            try stream.configure(caFile: caFile)
            try stream.handshake(host: url.host, deadline: deadline, connectTimeout: connectTimeout)
            return stream
        }

        private func configure(caFile: String?) throws(RedisError) {
            guard library.contextControl(context, OpenSSLLibrary.controlMinimumProtocol, OpenSSLLibrary.tls12, nil) == 1
            else {
                throw .tls(url: url, reason: "cannot require TLS 1.2: \(library.takeErrorReason() ?? "no reason")")
            }
            _ = library.contextControl(context, OpenSSLLibrary.controlMode, OpenSSLLibrary.modeMovingWriteBuffer, nil)
            library.contextSetVerify(context, OpenSSLLibrary.verifyPeer, nil)
            if let caFile {
                guard library.contextLoadLocations(context, caFile, nil) == 1 else {
                    let reason = library.takeErrorReason() ?? "no reason"
                    throw .caFileUnusable(path: caFile, reason: "no CA certificate could be read from it (\(reason))")
                }
            } else if library.contextDefaultPaths(context) != 1 {
                // Only an unusable SSL_CERT_FILE / SSL_CERT_DIR gets here; verification then names what is missing.
                _ = library.takeErrorReason()
            }
        }

        private func handshake(host: String, deadline: ContinuousClock.Instant, connectTimeout: Duration)
            throws(RedisError)
        {
            guard let session = library.sslNew(context), library.setFD(session, socket.fd) == 1 else {
                throw .tls(url: url, reason: "cannot set up TLS: \(library.takeErrorReason() ?? "no reason")")
            }
            self.session = session
            let named: Bool
            if Self.isIPAddress(host) {
                // No SNI for an address (RFC 6066); the certificate must list it among its IP addresses.
                named = library.setIP(library.parameters(session), host) == 1
            } else {
                named =
                    library.setHost(session, host) == 1
                    && host.withCString {
                        library.sslControl(
                            session,
                            OpenSSLLibrary.controlHostName,
                            0,
                            UnsafeMutableRawPointer(mutating: $0)
                        )
                    } == 1
            }
            guard named else {
                throw .tls(url: url, reason: "cannot check the certificate against '\(host)'")
            }
            while true {
                library.clearErrors()
                errno = 0
                let result = withBrokenPipeSignalBlocked { library.connect(session) }
                let systemError = errno
                if result == 1 { return }
                let code = library.getError(session, result)
                let events: Int16
                switch code {
                case OpenSSLLibrary.errorWantRead: events = Int16(POLLIN)
                case OpenSSLLibrary.errorWantWrite: events = Int16(POLLOUT)
                default: throw handshakeFailure(code: code, systemError: systemError, host: host)
                }
                let left = max(.zero, deadline - ContinuousClock.now)
                switch socket.waitUntil(events: events, timeout: left) {
                case .ready: continue
                case .timedOut:
                    throw .tls(
                        url: url,
                        reason: "no TLS handshake answer within \(connectTimeout): the port may not speak TLS "
                            + "(a plain redis:// port waits for a command); check the port, or use redis://"
                    )
                case .failed:
                    throw .unreachable(url: url, reason: "TLS handshake failed: \(RedisSocket.errorText())")
                }
            }
        }

        private func handshakeFailure(code: Int32, systemError: Int32, host: String) -> RedisError {
            let verification = library.verifyResult(session)
            if verification != 0 {
                let text = library.verifyText(verification).map { String(cString: $0) } ?? "error \(verification)"
                _ = library.takeErrorReason()
                return .tls(url: url, reason: Self.verificationAdvice(verification, text: text, host: host))
            }
            let reason = library.takeErrorReason()
            guard let reason, reason != "unexpected eof while reading" else {
                // Closed or reset: a server that drops a ClientHello it does not understand.
                let detail =
                    code == OpenSSLLibrary.errorSyscall && systemError != 0
                    ? " (\(String(cString: strerror(systemError))))" : ""
                return .tls(
                    url: url,
                    reason: "the server closed the connection during the TLS handshake\(detail): "
                        + "check that the port speaks TLS"
                )
            }
            if ["wrong version number", "packet length too long", "record layer failure"].contains(reason) {
                return .tls(
                    url: url,
                    reason: "the port does not speak TLS (\(reason)): is it a plain redis:// port? "
                        + "use redis:// there, or the server's TLS port"
                )
            }
            return .tls(url: url, reason: "the TLS handshake failed: \(reason)")
        }

        /// What a failed certificate check means to the user, by OpenSSL's `X509_V_ERR_*` code.
        static func verificationAdvice(_ code: Int, text: String, host: String) -> String {
            switch code {
            case 2, 18, 19, 20, 21:
                "the server's certificate is not signed by a trusted CA (\(text)): give the CA file with "
                    + "--redis-ca or $BATCH_CLONE_REDIS_CA, or set SSL_CERT_FILE / SSL_CERT_DIR"
            case 62:
                "the server's certificate is not issued for the host '\(host)' (\(text)): "
                    + "use the host name the certificate names in --state"
            case 64:
                "the server's certificate does not list the IP address \(host) (\(text)): "
                    + "use the host name the certificate names in --state"
            case 10:
                "the server's certificate has expired (\(text)): renew it on the server, or check this machine's clock"
            case 9:
                "the server's certificate is not valid yet (\(text)): check this machine's clock"
            default:
                "the server's certificate was refused (\(text))"
            }
        }

        static func isIPAddress(_ host: String) -> Bool {
            var address = in6_addr()
            return inet_pton(AF_INET, host, &address) == 1 || inet_pton(AF_INET6, host, &address) == 1
        }

        func write(_ bytes: [UInt8]) throws(RedisError) {
            guard let session else { throw .unreachable(url: url, reason: "the connection is closed") }
            var offset = 0
            while offset < bytes.count {
                library.clearErrors()
                errno = 0
                let sent = bytes.withUnsafeBytes { buffer in
                    withBrokenPipeSignalBlocked {
                        library.write(
                            session,
                            UnsafeMutableRawPointer(mutating: buffer.baseAddress! + offset),
                            Int32(clamping: bytes.count - offset)
                        )
                    }
                }
                let systemError = errno
                if sent > 0 {
                    offset += Int(sent)
                    continue
                }
                try waitAfter(code: library.getError(session, sent), systemError: systemError, operation: "write")
            }
        }

        func read() throws(RedisError) -> [UInt8] {
            guard let session else { throw .unreachable(url: url, reason: "the connection is closed") }
            var buffer = [UInt8](repeating: 0, count: 16 * 1024)
            while true {
                library.clearErrors()
                errno = 0
                // A read may write too (a TLS 1.3 key update, an alert).
                let count = buffer.withUnsafeMutableBytes { buffer in
                    withBrokenPipeSignalBlocked { library.read(session, buffer.baseAddress, Int32(buffer.count)) }
                }
                let systemError = errno
                if count > 0 { return Array(buffer[0..<Int(count)]) }
                try waitAfter(code: library.getError(session, count), systemError: systemError, operation: "read")
            }
        }

        /// Waits when OpenSSL asks to (either direction, whatever the operation); throws on anything else.
        private func waitAfter(code: Int32, systemError: Int32, operation: String) throws(RedisError) {
            switch code {
            case OpenSSLLibrary.errorWantRead: try socket.wait(events: Int16(POLLIN), operation: operation)
            case OpenSSLLibrary.errorWantWrite: try socket.wait(events: Int16(POLLOUT), operation: operation)
            case OpenSSLLibrary.errorZeroReturn:
                throw .unreachable(url: url, reason: "the server closed the connection")
            case OpenSSLLibrary.errorSyscall where systemError != 0:
                throw .unreachable(url: url, reason: "\(operation) failed: \(String(cString: strerror(systemError)))")
            default:
                let reason = library.takeErrorReason()
                // A server killed without a TLS goodbye: the connection is simply gone.
                guard let reason, reason != "unexpected eof while reading" else {
                    throw .unreachable(url: url, reason: "the server closed the connection")
                }
                throw .unreachable(url: url, reason: "TLS \(operation) failed: \(reason)")
            }
        }

        func close() {
            if let session {
                // A courtesy close_notify, not waited for: the socket is non-blocking.
                _ = withBrokenPipeSignalBlocked { library.shutdown(session) }
                library.sslFree(session)
                self.session = nil
            }
            if let context {
                library.contextFree(context)
                self.context = nil
            }
            library.clearErrors()
            socket.close()
        }
    }
#endif
