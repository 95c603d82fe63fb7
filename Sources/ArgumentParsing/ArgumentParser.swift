/// Parses a command line against a `CommandSpec` and renders its help.
public struct ArgumentParser: Sendable {
    /// The spec this parser was built from.
    public let spec: CommandSpec
    private let optionsByName: [String: OptionSpec]

    /// Creates a parser; when two options share a name, the first one wins.
    public init(_ spec: CommandSpec) {
        self.spec = spec
        self.optionsByName = Dictionary(spec.options.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// Parses `arguments` (without the program name). When help is requested,
    /// errors are ignored so that `--help` always works.
    public func parse(_ arguments: [String]) throws(ArgumentError) -> ParsedArguments {
        var result = ParsedArguments()
        var firstError: ArgumentError?
        func record(_ error: ArgumentError) {
            if firstError == nil { firstError = error }
        }

        var index = 0
        var optionsEnded = false
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            if optionsEnded || argument == "-" || !argument.hasPrefix("-") {
                result.positionals.append(argument)
                continue
            }
            if argument == "--" {
                optionsEnded = true
                continue
            }
            if argument == "-h" || argument == "--help" {
                result.helpRequested = true
                continue
            }
            guard argument.hasPrefix("--") else {
                // Short options are not supported; a single-dash long name is a likely slip.
                let suggestion = closestMatch(to: String(argument.dropFirst()), in: knownNames)
                record(.unknownOption(argument, suggestion: suggestion.map { "--\($0)" }))
                continue
            }

            let body = argument.dropFirst(2)
            let name: String
            let inlineValue: String?
            if let equals = body.firstIndex(of: "=") {
                name = String(body[..<equals])
                inlineValue = String(body[body.index(after: equals)...])
            } else {
                name = String(body)
                inlineValue = nil
            }
            let display = "--\(name)"

            guard let option = optionsByName[name] else {
                if name == "help" {
                    record(.unexpectedValue(option: display))
                } else {
                    let suggestion = closestMatch(to: name, in: knownNames)
                    record(.unknownOption(display, suggestion: suggestion.map { "--\($0)" }))
                }
                continue
            }

            guard let valueName = option.valueName else {
                if inlineValue != nil {
                    record(.unexpectedValue(option: display))
                } else {
                    result.flags.insert(name)
                }
                continue
            }

            let value: String
            if let inlineValue {
                value = inlineValue
            } else if index < arguments.count, !Self.looksLikeOption(arguments[index]) {
                value = arguments[index]
                index += 1
            } else {
                record(.missingValue(option: display, valueName: valueName))
                continue
            }
            if !option.isRepeatable, result.optionValues[name] != nil {
                record(.repeatedOption(display))
            }
            result.optionValues[name, default: []].append(value)
        }

        if let firstError, !result.helpRequested {
            throw firstError
        }
        return result
    }

    /// The help screen: usage, arguments, options, examples and discussion, wrapped at 80 columns.
    public func helpText() -> String {
        HelpFormatter(spec: spec).render()
    }

    private var knownNames: [String] {
        spec.options.map(\.name) + ["help"]
    }

    // No option takes a negative number, so any "--x" (or "-h") where a value
    // should be means the value was forgotten.
    private static func looksLikeOption(_ argument: String) -> Bool {
        argument.hasPrefix("--") || argument == "-h"
    }
}
