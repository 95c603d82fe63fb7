#if os(Linux)
    import Testing

    @testable import BatchCloneKit

    @Suite struct OpenSSLLibraryTests {
        @Test func theSystemLibraryLoadsWithEveryFunction() throws {
            let library = try OpenSSLLibrary.shared.get()
            #expect(library.clientMethod() != nil)
        }

        @Test func aMissingLibraryIsNamedInTheError() {
            #expect {
                try OpenSSLLibrary(names: ["libssl-missing-for-test.so.3"])
            } throws: { error in
                guard case .tlsLibraryMissing(let reason) = error as? RedisError else { return false }
                let text = "\(error)"
                return reason.contains("libssl-missing-for-test.so.3") && text.contains("libssl.so.3")
                    && text.first?.isLowercase == true
            }
        }

        @Test func addressesAreToldFromNames() {
            #expect(TLSStream.isIPAddress("127.0.0.1") && TLSStream.isIPAddress("::1"))
            #expect(TLSStream.isIPAddress("2001:db8::7"))
            #expect(!TLSStream.isIPAddress("localhost") && !TLSStream.isIPAddress("cache.example.com"))
            #expect(!TLSStream.isIPAddress("127.0.0.1.example.com"))
        }

        @Test func eachCertificateFailureSaysWhatToDo() {
            let unknown = TLSStream.verificationAdvice(20, text: "unable to get local issuer certificate", host: "h")
            #expect(unknown.contains("--redis-ca") && unknown.contains("SSL_CERT_FILE"))
            #expect(TLSStream.verificationAdvice(62, text: "hostname mismatch", host: "cache").contains("'cache'"))
            #expect(
                TLSStream.verificationAdvice(64, text: "IP address mismatch", host: "10.1.2.3").contains("10.1.2.3")
            )
            #expect(TLSStream.verificationAdvice(10, text: "certificate has expired", host: "h").contains("expired"))
            #expect(TLSStream.verificationAdvice(99, text: "odd", host: "h").contains("odd"))
        }
    }
#endif
