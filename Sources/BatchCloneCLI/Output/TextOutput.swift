#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Where the command writes its human and machine output; tests capture it.
protocol TextOutput: Sendable {
    func write(_ text: String)
    /// Whether this output is an interactive terminal.
    var isTerminal: Bool { get }
}

/// stdout or stderr of the process.
struct StandardStream: TextOutput {
    let fd: Int32

    static let out = StandardStream(fd: 1)
    static let error = StandardStream(fd: 2)

    var isTerminal: Bool { isatty(fd) == 1 }

    func write(_ text: String) {
        var text = text
        text.withUTF8 { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = systemWrite(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if written <= 0 { if errno == EINTR { continue } else { return } }
                offset += written
            }
        }
    }
}

/// The C library's write, under a name `StandardStream.write` does not shadow.
private func systemWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    write(fd, buffer, count)
}
