import Foundation
import Testing

@testable import BatchCloneKit

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

@Suite struct DurableFileTests {
    private func mode(of path: String) -> mode_t? {
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        return info.st_mode & 0o777
    }

    @Test func aLinkAtTheOldTemporaryNameIsNeverWrittenThrough() throws {
        try TempFolder.with { (folder: TempFolder) throws in
            let target = folder.file("precious")
            try write("precious", to: target)
            let path = folder.file("ledger.json")
            // The name the old code used, and a dangling link where it would have created a file.
            try FileManager.default.createSymbolicLink(atPath: path + ".tmp-\(getpid())", withDestinationPath: target)
            try FileManager.default.createSymbolicLink(
                atPath: path + ".tmp-0",
                withDestinationPath: folder.file("created")
            )
            try DurableFile.write(Data("state".utf8), to: path)
            #expect(bytes(of: target) == Data("precious".utf8))
            #expect(!FileManager.default.fileExists(atPath: folder.file("created")))
            #expect(bytes(of: path) == Data("state".utf8))
        }
    }

    @Test func aLinkAtATemporaryNameIsSkippedForAFreshName() throws {
        try TempFolder.with { (folder: TempFolder) throws in
            let target = folder.file("precious")
            try write("precious", to: target)
            let path = folder.file("results.csv")
            try FileManager.default.createSymbolicLink(atPath: path + ".tmp-planted", withDestinationPath: target)
            try FileManager.default.createSymbolicLink(
                atPath: path + ".tmp-dangling",
                withDestinationPath: folder.file("new")
            )
            var names = ["planted", "dangling", "fresh"]
            try DurableFile.write(Data("rows".utf8), to: path, temporaryName: { names.removeFirst() })
            #expect(names.isEmpty)
            #expect(bytes(of: target) == Data("precious".utf8))
            #expect(!FileManager.default.fileExists(atPath: folder.file("new")))
            #expect(bytes(of: path) == Data("rows".utf8))
            #expect(
                try folder.contents() == [
                    "precious", "results.csv", "results.csv.tmp-dangling", "results.csv.tmp-planted",
                ]
            )
        }
    }

    @Test func whenEveryNameIsTakenTheWriteFailsAndNothingIsFollowed() throws {
        try TempFolder.with { (folder: TempFolder) throws in
            let target = folder.file("precious")
            try write("precious", to: target)
            let path = folder.file("ledger.json")
            try FileManager.default.createSymbolicLink(atPath: path + ".tmp-x", withDestinationPath: target)
            #expect(throws: StorageError.self) {
                try DurableFile.write(Data("state".utf8), to: path, temporaryName: { "x" })
            }
            #expect(bytes(of: target) == Data("precious".utf8))
            #expect(!FileManager.default.fileExists(atPath: path))
        }
    }

    @Test func stateIsOwnerOnlyAndTemporaryNamesAreUnpredictable() throws {
        try TempFolder.with { (folder: TempFolder) throws in
            let path = folder.file("ledger.json")
            try DurableFile.write(Data("a".utf8), to: path)
            #expect(mode(of: path) == 0o600)
            try FileLedgerStore(path: folder.file("state.json")).update { log in log = SendLog(sends: [1]) }
            #expect(mode(of: folder.file("state.json")) == 0o600)
            #expect(mode(of: folder.file("state.json.lock")) == 0o600)
            let names = Set((0..<100).map { _ in DurableFile.randomTemporaryName() })
            #expect(names.count == 100)
            #expect(names.allSatisfy { $0.count == 16 && $0.allSatisfy(\.isHexDigit) })
        }
    }

    @Test func aLinkPlantedAtTheLockIsRefused() throws {
        try TempFolder.with { (folder: TempFolder) throws in
            let target = folder.file("precious")
            try write("precious", to: target)
            let store = FileLedgerStore(path: folder.file("state.json"))
            try FileManager.default.createSymbolicLink(atPath: store.path + ".lock", withDestinationPath: target)
            #expect(throws: StorageError.self) { try store.update { log in log = SendLog(sends: [1]) } }
            #expect(bytes(of: target) == Data("precious".utf8))
        }
    }
}
