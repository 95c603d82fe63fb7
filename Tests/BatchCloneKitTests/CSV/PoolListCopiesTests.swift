import Foundation
import Testing

@testable import BatchCloneKit

/// The `copies` column and the choice of target: what a CSV asks to clone, and how many times.
@Suite struct PoolListCopiesTests {
    private func read(_ text: String, column: String? = nil, target: CloneTarget? = nil) throws(PoolListError)
        -> PoolList
    {
        try PoolListReader.read(data: Data(text.utf8), path: "pools.csv", column: column, target: target)
    }

    private func readError(_ text: String, column: String? = nil, target: CloneTarget? = nil) -> PoolListError? {
        do {
            _ = try read(text, column: column, target: target)
            return nil
        } catch {
            return error
        }
    }

    // MARK: - Copies

    @Test func aCopiesColumnGivesOneWorkItemPerCopyInCSVOrder() throws {
        let list = try read("pool_id,copies\n7,3\n8,1\n9,2\n")
        #expect(list.copies == ["7": 3, "9": 2])
        #expect(
            list.items == [
                WorkItem(.pool, source: "7", copy: 1), WorkItem(.pool, source: "7", copy: 2),
                WorkItem(.pool, source: "7", copy: 3), WorkItem(.pool, source: "8", copy: 1),
                WorkItem(.pool, source: "9", copy: 1), WorkItem(.pool, source: "9", copy: 2),
            ]
        )
    }

    @Test func withoutACopiesColumnEachSourceIsClonedOnce() throws {
        let list = try read("pool_id,note\n7,a\n8,b\n")
        #expect(list.items == ["7", "8"])
        #expect(list.copies(of: "7") == 1)
    }

    @Test func anEmptyOrMissingCopiesCellIsOneCopy() throws {
        let list = try read("pool_id,copies\n7,\n8\n9, 2 \n")
        #expect(list.items.map(\.description) == ["pool 7", "pool 8", "pool 9", "pool 9 (copy 2)"])
    }

    @Test func aCopiesCellWithLeadingZerosIsItsNumber() throws {
        #expect(try read("pool_id,copies\n7,00003\n").copies(of: "7") == 3)
    }

    @Test func theIDColumnNamedCopiesIsNotReadAsCopies() throws {
        #expect(try read("copies\n7\n", column: "copies").items == ["7"])
    }

    @Test func theCopiesHeaderIsCaseInsensitiveAndTrimmed() throws {
        #expect(try read("Copies , pool_id\n2,7\n").copies(of: "7") == 2)
    }

    @Test(arguments: ["0", "-1", "abc", "1.5", "1001", "99999999999999999999", "2x"])
    func aBadCopiesValueIsARowErrorNamingFileLineAndValue(value: String) {
        let error = readError("pool_id,copies\n7,2\n8,\(value)\n9,1\n")
        let expected = PoolRowError(
            path: "pools.csv",
            line: 3,
            value: value,
            reason: "copies '\(value)' is not a whole number from 1 to 1000"
        )
        #expect(error == .malformedRows([expected], path: "pools.csv"))
        #expect(error?.description.contains("pools.csv:3: copies '\(value)'") == true)
    }

    @Test func badCopiesAndBadIDsAreReportedTogetherInFileOrder() {
        guard case .malformedRows(let rows, _) = readError("pool_id,copies\nx,2\n8,0\n") else {
            Issue.record("no malformed rows")
            return
        }
        #expect(rows.map(\.line) == [2, 3])
    }

    @Test func aRepeatedSourceKeepsItsFirstRowsCopies() throws {
        let list = try read("pool_id,copies\n7,2\n8,1\n7,5\n")
        #expect(list.duplicates == [PoolDuplicate(id: "7", line: 4, firstLine: 2)])
        #expect(list.copies(of: "7") == 2)
        #expect(list.items.count == 3)
    }

    @Test func copiesForEveryRowOverrideTheColumn() throws {
        var list = try read("pool_id,copies\n7,3\n8\n")
        list.setCopies(2)
        #expect(list.items.map(\.journalKey) == ["7", "7#2", "8", "8#2"])
    }

    @Test func aHeaderlessFileHasNoCopiesColumn() throws {
        #expect(try read("7,3\n8,4\n").items == ["7", "8"])
    }

    // MARK: - Target

    @Test func aTrainingIDColumnSelectsTrainings() throws {
        let list = try read("name,training_id,copies\na,41,2\n")
        #expect(list.target == .training && list.column == "training_id")
        #expect(
            list.items == [WorkItem(.training, source: "41", copy: 1), WorkItem(.training, source: "41", copy: 2)]
        )
        #expect(list.items.map(\.journalKey) == ["training:41", "training:41#2"])
    }

    @Test func poolIDAndIDColumnsSelectPools() throws {
        #expect(try read("pool_id\n1\n").target == .pool)
        #expect(try read("id\n1\n").target == .pool)
        #expect(try read("1\n2\n").target == .pool)
    }

    @Test func bothIDColumnsAreRefusedNamingTheFileAndBothColumns() {
        let error = readError("Pool_ID,training_id\n1,2\n")
        #expect(error == .ambiguousTarget(columns: ["Pool_ID", "training_id"], path: "pools.csv"))
        #expect(
            error?.description
                == "pools.csv has both 'Pool_ID' and 'training_id' columns; say which to clone with "
                + "--target pool|training or --column NAME"
        )
    }

    @Test func targetSaysWhichOfBothColumns() throws {
        let text = "pool_id,training_id\n1,2\n"
        let trainings = try read(text, target: .training)
        #expect(trainings.target == .training && trainings.items == [WorkItem(.training, source: "2")])
        let pools = try read(text, target: .pool)
        #expect(pools.target == .pool && pools.items == ["1"])
    }

    @Test func columnSaysWhichOfBothColumnsAndItsNameTheTarget() throws {
        let text = "pool_id,training_id\n1,2\n"
        #expect(try read(text, column: "training_id").items == [WorkItem(.training, source: "2")])
        #expect(try read(text, column: "POOL_ID").items == ["1"])
        // A column of another name is pools unless --target says otherwise.
        #expect(try read("src,training_id\n5,2\n", column: "src").items == ["5"])
        #expect(
            try read("src,pool_id\n5,2\n", column: "src", target: .training).items == [WorkItem(.training, source: "5")]
        )
    }

    @Test func targetTrainingReadsAnIDColumnOrTheFirstOne() throws {
        #expect(try read("id\n5\n", target: .training).items == [WorkItem(.training, source: "5")])
        #expect(try read("5\n6\n", target: .training).items.map(\.journalKey) == ["training:5", "training:6"])
    }

    @Test func aTargetWhoseColumnIsMissingDoesNotReadAnotherTargetsColumn() {
        let error = readError("training_id\n5\n", target: .pool)
        #expect(error == .noColumnForTarget(target: .pool, otherColumn: "training_id", path: "pools.csv"))
        #expect(error?.description.hasPrefix("pools.csv has a training_id column but no pool_id or id column") == true)
    }

    @Test func rowErrorsNameTheTarget() {
        guard case .malformedRows(let rows, _) = readError("training_id\nx\n") else {
            Issue.record("no malformed rows")
            return
        }
        #expect(rows.map(\.reason) == ["'x' is not a training id (expected digits)"])
    }

    @Test func trainingIsACloneTargetOfItsOwn() {
        #expect(CloneTarget.all == [.pool, .training])
        #expect(CloneTarget.training.collection == "trainings")
        #expect(CloneTarget.cloning(operationType: "TRAINING.CLONE") == .training)
        #expect(CloneTarget.training.parameterKey == "training_id")
        #expect(WorkItem(journalKey: "training:41#3") == WorkItem(.training, source: "41", copy: 3))
    }
}
