import Foundation
import Testing

@testable import BatchCloneKit

@Suite struct ResultsFileTests {
    private var state: JournalState {
        JournalState.replaying([
            .listed(pool: "pend"), .listed(pool: "send"), .listed(pool: "sub"), .listed(pool: "done"),
            .listed(pool: "fail"),
            .sending(pool: "send", at: LedgerInstant(epochMilliseconds: 1)),
            .sending(pool: "sub", at: LedgerInstant(epochMilliseconds: 2)),
            .submitted(pool: "sub", operationID: "op-s", at: ServerInstant(epochMilliseconds: 3)),
            .sending(pool: "done", at: LedgerInstant(epochMilliseconds: 4)),
            .submitted(pool: "done", operationID: "op-d", at: ServerInstant(epochMilliseconds: 5)),
            .done(pool: "done", newPoolID: "99", operationID: "op-d"),
            .failed(pool: "fail", reason: "said \"no\", twice\nreally", operationID: "op-f"),
        ])
    }

    @Test func oneRowPerPoolInTheGivenOrder() {
        let text = ResultsFile.render(items: ["done", "pend", "send", "sub", "fail", "unknown"], state: state)
        #expect(
            text == """
                source_pool_id,new_pool_id,operation_id,status,error,target,copy,steps
                done,99,op-d,cloned,,pool,1,
                pend,,,pending,,pool,1,
                send,,,unconfirmed,"clone sent, answer not confirmed yet; re-run to reconcile",pool,1,
                sub,,op-s,running,,pool,1,
                fail,,op-f,failed,"said ""no"", twice
                really",pool,1,
                unknown,,,pending,,pool,1,

                """
        )
    }

    @Test func escapingQuotesOnlyWhenNeeded() {
        #expect(ResultsFile.escape("plain") == "plain")
        #expect(ResultsFile.escape("a,b") == "\"a,b\"")
        #expect(ResultsFile.escape("a\"b") == "\"a\"\"b\"")
        #expect(ResultsFile.escape("a\rb") == "\"a\rb\"")
        #expect(ResultsFile.escape("") == "")
    }

    @Test func failedWithoutOperationHasAnEmptyOperationField() {
        let state = JournalState.replaying([.listed(pool: "x"), .failed(pool: "x", reason: "404", operationID: nil)])
        #expect(ResultsFile.render(items: ["x"], state: state).hasSuffix("\nx,,,failed,404,pool,1,\n"))
    }

    @Test func writeIsAtomicAndCreatesTheFolder() throws {
        try TempFolder.with { (folder: TempFolder) throws in
            let path = folder.file("out/results.csv")
            try ResultsFile.write(items: ["done", "pend"], state: state, to: path)
            #expect(bytes(of: path) == Data(ResultsFile.render(items: ["done", "pend"], state: state).utf8))
            try ResultsFile.write(items: ["done"], state: state, to: path)
            #expect(
                String(decoding: bytes(of: path)!, as: UTF8.self)
                    == "source_pool_id,new_pool_id,operation_id,status,error,target,copy,steps\ndone,99,op-d,cloned,,pool,1,\n"
            )
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder.file("out")) == ["results.csv"])
        }
    }

    /// Each copy is its own row, named by its target and copy number in the last two columns.
    @Test func eachCopyIsItsOwnRowWithItsTargetAndCopy() {
        let state = JournalState.replaying([
            .listed(pool: "7"), .listed(pool: "7#2"), .listed(pool: "training:8"),
            .sending(pool: "7#2", at: LedgerInstant(epochMilliseconds: 1)),
            .submitted(pool: "7#2", operationID: "op-2", at: ServerInstant(epochMilliseconds: 2)),
            .done(pool: "7#2", newPoolID: "70", operationID: "op-2"),
        ])
        let items = [
            WorkItem(.pool, source: "7"), WorkItem(.pool, source: "7", copy: 2), WorkItem(.training, source: "8"),
        ]
        #expect(
            ResultsFile.render(items: items, state: state) == """
                source_pool_id,new_pool_id,operation_id,status,error,target,copy,steps
                7,,,pending,,pool,1,
                7,70,op-2,cloned,,pool,2,
                8,,,pending,,training,1,

                """
        )
    }
}
