import ArgumentParsing
import Testing

@Suite struct ArgumentErrorTests {
    @Test(arguments: [
        (
            ArgumentError.unknownOption("--limt", suggestion: "--limit"),
            "unknown option '--limt'; did you mean '--limit'?"
        ),
        (.unknownOption("--zzz", suggestion: nil), "unknown option '--zzz'; run with --help to list the options"),
        (
            .missingValue(option: "--limit", valueName: "N/DURATION"),
            "option '--limit' needs a value, e.g. --limit <N/DURATION>"
        ),
        (
            .unexpectedValue(option: "--dry-run"),
            "option '--dry-run' is a flag and takes no value; write just --dry-run"
        ),
        (.repeatedOption("--limit"), "option '--limit' was given more than once; give it once"),
        (.tooManyArguments(["b.csv"]), "unexpected extra argument 'b.csv'; run with --help for usage"),
        (.tooManyArguments(["b", "c"]), "unexpected extra arguments 'b', 'c'; run with --help for usage"),
        (.missingArgument("pools.csv"), "missing argument <pools.csv>; run with --help for usage"),
        (.missingArgument("<pools.csv>"), "missing argument <pools.csv>; run with --help for usage"),
        (
            .invalidValue(option: "limit", value: "x", reason: "expected N/DURATION such as 20/1m"),
            "invalid value 'x' for option '--limit': expected N/DURATION such as 20/1m"
        ),
    ])
    func messagesAreActionable(error: ArgumentError, expected: String) {
        #expect(error.description == expected)
    }
}
