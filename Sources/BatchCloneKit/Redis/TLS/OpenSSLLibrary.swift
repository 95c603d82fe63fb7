#if os(Linux)
    import Glibc

    /// The system's OpenSSL 3 (`libssl.so.3`), loaded at run time: the build needs no OpenSSL headers
    /// and the static binary no link to it. The prototypes are declared by hand from OpenSSL 3's ABI.
    ///
    /// Immutable once loaded, so shared between threads (`@unchecked`: C function pointers are not
    /// marked `Sendable`).
    final class OpenSSLLibrary: @unchecked Sendable {
        typealias Pointer = OpaquePointer
        typealias Method = @convention(c) () -> Pointer?
        typealias ContextNew = @convention(c) (Pointer?) -> Pointer?
        typealias Free = @convention(c) (Pointer?) -> Void
        typealias Control = @convention(c) (Pointer?, Int32, Int, UnsafeMutableRawPointer?) -> Int
        typealias SetVerify = @convention(c) (Pointer?, Int32, UnsafeMutableRawPointer?) -> Void
        typealias ContextCall = @convention(c) (Pointer?) -> Int32
        typealias LoadLocations = @convention(c) (Pointer?, UnsafePointer<CChar>?, UnsafePointer<CChar>?) -> Int32
        typealias SetFD = @convention(c) (Pointer?, Int32) -> Int32
        typealias SetHost = @convention(c) (Pointer?, UnsafePointer<CChar>?) -> Int32
        typealias GetParameters = @convention(c) (Pointer?) -> Pointer?
        typealias SetIP = @convention(c) (Pointer?, UnsafePointer<CChar>?) -> Int32
        typealias GetError = @convention(c) (Pointer?, Int32) -> Int32
        typealias Transfer = @convention(c) (Pointer?, UnsafeMutableRawPointer?, Int32) -> Int32
        typealias VerifyResult = @convention(c) (Pointer?) -> Int
        typealias VerifyText = @convention(c) (Int) -> UnsafePointer<CChar>?
        typealias ErrorCode = @convention(c) () -> UInt
        typealias ErrorText = @convention(c) (UInt) -> UnsafePointer<CChar>?
        typealias ClearErrors = @convention(c) () -> Void

        /// `SSL_CTRL_MODE`, `SSL_CTRL_SET_TLSEXT_HOSTNAME`, `SSL_CTRL_SET_MIN_PROTO_VERSION`.
        static let controlMode: Int32 = 33
        static let controlHostName: Int32 = 55
        static let controlMinimumProtocol: Int32 = 123
        static let tls12: Int = 0x0303
        /// `SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER`: a retried write may pass a buffer at another address.
        static let modeMovingWriteBuffer: Int = 2
        static let verifyPeer: Int32 = 1
        static let errorSSL: Int32 = 1
        static let errorWantRead: Int32 = 2
        static let errorWantWrite: Int32 = 3
        static let errorSyscall: Int32 = 5
        static let errorZeroReturn: Int32 = 6

        let clientMethod: Method
        let contextNew: ContextNew
        let contextFree: Free
        let contextControl: Control
        let contextSetVerify: SetVerify
        let contextDefaultPaths: ContextCall
        let contextLoadLocations: LoadLocations
        let sslNew: ContextNew
        let sslFree: Free
        let sslControl: Control
        let setFD: SetFD
        let setHost: SetHost
        let parameters: GetParameters
        let setIP: SetIP
        let connect: ContextCall
        let shutdown: ContextCall
        let getError: GetError
        let read: Transfer
        let write: Transfer
        let verifyResult: VerifyResult
        let verifyText: VerifyText
        let nextError: ErrorCode
        let reasonText: ErrorText
        let clearErrors: ClearErrors

        /// The library every TLS connection uses, loaded on first use.
        static let shared: Result<OpenSSLLibrary, RedisError> = Result { () throws(RedisError) in
            try OpenSSLLibrary(names: ["libssl.so.3"])
        }

        /// Loads the first of `names` that `dlopen` finds and resolves every function, or throws
        /// `.tlsLibraryMissing` naming what was missing.
        init(names: [String]) throws(RedisError) {
            var handle: UnsafeMutableRawPointer?
            var reasons: [String] = []
            for name in names {
                handle = dlopen(name, RTLD_NOW | RTLD_LOCAL)
                if handle != nil { break }
                reasons.append(dlerror().map { String(cString: $0) } ?? "\(name) not found")
            }
            guard let handle else {
                throw .tlsLibraryMissing(reason: reasons.joined(separator: "; "))
            }
            // libcrypto's functions resolve through libssl's handle: dlsym searches its dependencies.
            func load<T>(_ name: String, as type: T.Type) throws(RedisError) -> T {
                guard let symbol = dlsym(handle, name) else {
                    throw .tlsLibraryMissing(reason: "\(name) is missing from libssl.so.3 (OpenSSL 3 is needed)")
                }
                return unsafeBitCast(symbol, to: type)
            }
            clientMethod = try load("TLS_client_method", as: Method.self)
            contextNew = try load("SSL_CTX_new", as: ContextNew.self)
            contextFree = try load("SSL_CTX_free", as: Free.self)
            contextControl = try load("SSL_CTX_ctrl", as: Control.self)
            contextSetVerify = try load("SSL_CTX_set_verify", as: SetVerify.self)
            contextDefaultPaths = try load("SSL_CTX_set_default_verify_paths", as: ContextCall.self)
            contextLoadLocations = try load("SSL_CTX_load_verify_locations", as: LoadLocations.self)
            sslNew = try load("SSL_new", as: ContextNew.self)
            sslFree = try load("SSL_free", as: Free.self)
            sslControl = try load("SSL_ctrl", as: Control.self)
            setFD = try load("SSL_set_fd", as: SetFD.self)
            setHost = try load("SSL_set1_host", as: SetHost.self)
            parameters = try load("SSL_get0_param", as: GetParameters.self)
            setIP = try load("X509_VERIFY_PARAM_set1_ip_asc", as: SetIP.self)
            connect = try load("SSL_connect", as: ContextCall.self)
            shutdown = try load("SSL_shutdown", as: ContextCall.self)
            getError = try load("SSL_get_error", as: GetError.self)
            read = try load("SSL_read", as: Transfer.self)
            write = try load("SSL_write", as: Transfer.self)
            verifyResult = try load("SSL_get_verify_result", as: VerifyResult.self)
            verifyText = try load("X509_verify_cert_error_string", as: VerifyText.self)
            nextError = try load("ERR_get_error", as: ErrorCode.self)
            reasonText = try load("ERR_reason_error_string", as: ErrorText.self)
            clearErrors = try load("ERR_clear_error", as: ClearErrors.self)
        }

        /// The reason of the oldest queued OpenSSL error (e.g. `wrong version number`), emptying the queue.
        func takeErrorReason() -> String? {
            var first: String?
            while true {
                let code = nextError()
                if code == 0 { return first }
                if first == nil { first = reasonText(code).map { String(cString: $0) } ?? "error \(code)" }
            }
        }
    }
#endif
