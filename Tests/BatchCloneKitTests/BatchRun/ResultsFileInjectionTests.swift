import Foundation
import Testing

@testable import BatchCloneKit

@Suite struct ResultsFileInjectionTests {
    @Test(arguments: ["=1+2", "+1", "-1", "@SUM(A1)", "\tx", "\rx"])
    func aCellAlikeAFormulaStartsWithAQuote(cell: String) {
        let escaped = ResultsFile.escape(cell)
        #expect(escaped.hasPrefix("'") || escaped.hasPrefix("\"'"))
        #expect(!escaped.hasPrefix("\(cell.first!)"))
    }

    @Test func ordinaryCellsAreUnchanged() {
        for cell in ["123", "op-1", "a=b", "", "pool 1 failed: -1"] {
            #expect(ResultsFile.escape(cell) == cell)
        }
    }

    @Test func aServerChosenPoolIDCannotBecomeAFormula() {
        let state = JournalState.replaying([
            .listed(pool: "1"),
            .sending(pool: "1", at: LedgerInstant(epochMilliseconds: 1)),
            .submitted(pool: "1", operationID: "@op", at: ServerInstant(epochMilliseconds: 2)),
            .done(pool: "1", newPoolID: "=HYPERLINK(\"http://x\",\"y\")", operationID: "@op"),
        ])
        let text = ResultsFile.render(items: ["1"], state: state)
        #expect(text.hasSuffix("\n1,\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",'@op,cloned,,pool,1,\n"))
        let cells = text.split(separator: "\n")[1].split(separator: ",")
        #expect(!cells.contains { ["=", "+", "-", "@"].contains($0.first) })
    }
}
