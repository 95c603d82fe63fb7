import Foundation
import Testing

@testable import BatchCloneKit

@Suite struct LedgerChangeTests {
    private func randomLog(_ generator: inout SystemRandomNumberGenerator) -> SendLog {
        let sends = (0..<Int.random(in: 0...8, using: &generator)).map { _ in Int64.random(in: 0...6, using: &generator)
        }
        var operations: [String: Int64] = [:]
        for _ in 0..<Int.random(in: 0...4, using: &generator) {
            operations["op-\(Int.random(in: 0...5, using: &generator))"] = Int64.random(in: 0...6, using: &generator)
        }
        return SendLog(
            sends: sends,
            blockedUntil: Bool.random(using: &generator) ? 7 : nil,
            retention: Bool.random(using: &generator) ? 86_401_000 : nil,
            operations: operations
        )
    }

    @Test func theChangeBetweenTwoLogsTurnsOneIntoTheOtherThroughItsLine() throws {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<500 {
            let old = randomLog(&generator)
            let new = randomLog(&generator)
            let change = LedgerChange(diffing: old, to: new)
            #expect(change.isEmpty == (old == new))
            let line = Array(change.line().utf8)
            #expect(line.last == 0x0A && line.filter { $0 == 0x0A }.count == 1)
            let decoded = try LedgerFile.decodeChange(line.dropLast(), line: 2, path: "state.json")
            #expect(decoded == change)
            var applied = old
            #expect(decoded.apply(to: &applied) == nil)
            #expect(applied == new, "\(old) -> \(new) via \(change.line())")
        }
    }

    @Test func operationIDsAreEscaped() throws {
        var change = LedgerChange()
        change.operations["a\"b\\c\n"] = .some(5)
        let line = Array(change.line().utf8)
        #expect(try LedgerFile.decodeChange(line.dropLast(), line: 2, path: "state.json") == change)
    }
}
