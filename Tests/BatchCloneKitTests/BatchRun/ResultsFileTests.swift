import Foundation
import Testing

@testable import BatchCloneKit

@Suite struct ResultsFileTests {
    private var state: JournalState {
        JournalState.replaying([
            .listed(pool: "pend"), .listed(pool: "send"), .listed(pool: "sub"), .listed(pool: "done"),
            .listed(pool: "fail"),
            .sending(pool: "send", at: 1),
            .sending(pool: "sub", at: 2), .submitted(pool: "sub", operationID: "op-s", at: 3),
            .sending(pool: "done", at: 4), .submitted(pool: "done", operationID: "op-d", at: 5),
            .done(pool: "done", newPoolID: "99", operationID: "op-d"),
            .failed(pool: "fail", reason: "said \"no\", twice\nreally", operationID: "op-f"),
        ])
    }

    @Test func oneRowPerPoolInTheGivenOrder() {
        let text = ResultsFile.render(items: ["done", "pend", "send", "sub", "fail", "unknown"], state: state)
        #expect(
            text == """
                source_pool_id,new_pool_id,operation_id,status,error,steps
                done,99,op-d,cloned,,
                pend,,,pending,,
                send,,,unconfirmed,"clone sent, answer not confirmed yet; re-run to reconcile",
                sub,,op-s,running,,
                fail,,op-f,failed,"said ""no"", twice
                really",
                unknown,,,pending,,

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
        #expect(ResultsFile.render(items: ["x"], state: state).hasSuffix("\nx,,,failed,404,\n"))
    }

    @Test func writeIsAtomicAndCreatesTheFolder() throws {
        try TempFolder.with { (folder: TempFolder) throws in
            let path = folder.file("out/results.csv")
            try ResultsFile.write(items: ["done", "pend"], state: state, to: path)
            #expect(bytes(of: path) == Data(ResultsFile.render(items: ["done", "pend"], state: state).utf8))
            try ResultsFile.write(items: ["done"], state: state, to: path)
            #expect(
                String(decoding: bytes(of: path)!, as: UTF8.self)
                    == "source_pool_id,new_pool_id,operation_id,status,error,steps\ndone,99,op-d,cloned,,\n"
            )
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder.file("out")) == ["results.csv"])
        }
    }
}
