#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A failed system call's `errno`.
package struct SystemError: Error, Sendable, Equatable, CustomStringConvertible {
    package let code: Int32

    package init(code: Int32) {
        self.code = code
    }

    /// The C library's message, lowercased to sit inside our messages: "no such file or directory".
    package var description: String {
        String(cString: strerror(code)).lowercased()
    }
}
