import Testing

@testable import BatchCloneKit

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

@Suite struct SystemCallsTests {
    @Test func anInterruptedCallIsRepeated() throws {
        var calls = 0
        let result = try systemCall { () -> Int32 in
            calls += 1
            if calls < 3 {
                errno = EINTR
                return -1
            }
            return 7
        }
        #expect(result == 7)
        #expect(calls == 3)
    }

    @Test func aFailureCarriesItsErrnoAndMessage() {
        #expect(throws: SystemError(code: EBADF)) { try systemCall { close(-1) } }
        #expect(SystemError(code: ENOENT).description == "no such file or directory")
    }

    @Test func systemOpenKeepsErrnoForItsCallers() {
        #expect(systemOpen("/nonexistent-folder/x", O_RDONLY, 0) == -1)
        #expect(errno == ENOENT)
    }

    @Test func writeAllWritesEveryByte() throws {
        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        defer { close(fds[0]) }
        let bytes: [UInt8] = Array(repeating: 0x61, count: 1000)
        try bytes.withUnsafeBytes { try systemWriteAll(fds[1], $0) }
        close(fds[1])
        var buffer = [UInt8](repeating: 0, count: 2000)
        #expect(read(fds[0], &buffer, buffer.count) == 1000)
    }
}
