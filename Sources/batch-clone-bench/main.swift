import ArgumentParsing
import Foundation

// batch-clone-bench: batch-clone's schedule against the optimum and common strategies, and its cost.

let parser = ArgumentParser(BenchOptions.spec)
let options: BenchOptions
do {
    let arguments = try parser.parse(Array(CommandLine.arguments.dropFirst()))
    if arguments.helpRequested {
        print(parser.helpText(), terminator: "")
        exit(0)
    }
    options = try BenchOptions(arguments)
} catch {
    FileHandle.standardError.write(Data("batch-clone-bench: error: \(error.description)\n".utf8))
    exit(64)
}
let commandLine = CommandLine.arguments.map(ChildProcess.shellQuoted).joined(separator: " ")
exit(await Benchmark(options: options, commandLine: commandLine).run())
