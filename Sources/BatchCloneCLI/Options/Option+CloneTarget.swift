import ArgumentParsing
import BatchCloneKit

extension Option where Value == CloneTarget? {
    /// `--target pool|training`, for the commands that clone or count one target's clones.
    static func target(help: String, defaultValue: String) -> Option {
        .parsed(
            "target",
            valueName: "TARGET",
            help: help,
            defaultValue: defaultValue,
            expected: "expected " + CloneTarget.all.map(\.name).joined(separator: " or ")
        ) { text in CloneTarget.all.first { $0.name == text } }
    }
}
