import ArgumentParsing
import Dispatch
import Foundation
import TolokaSimulator

#if canImport(Glibc)
    import Glibc
#endif

// toloka-sim: the Toloka API simulator as a standalone server, for rehearsing pipelines.

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("toloka-sim: error: \(message)\n".utf8))
    exit(64)
}

let parser = ArgumentParser(SimulatorCommandLine.spec)
let configuration: SimulatorConfiguration
do {
    let arguments = try parser.parse(Array(CommandLine.arguments.dropFirst()))
    if arguments.helpRequested {
        print(parser.helpText(), terminator: "")
        exit(0)
    }
    configuration = try SimulatorCommandLine.configuration(arguments)
} catch {
    fail(error.description)
}

let simulator = TolokaSimulator(configuration: configuration)
do {
    try simulator.start()
} catch {
    fail("cannot listen on \(configuration.host):\(configuration.port): \(error)")
}
FileHandle.standardOutput.write(Data("toloka-sim listening on \(simulator.baseURL.absoluteString)\n".utf8))

/// Blocks until SIGINT or SIGTERM; nonisolated so the handlers run off the main actor.
nonisolated func waitForTermination() {
    let stopRequested = DispatchSemaphore(value: 0)
    var sources: [any DispatchSourceSignal] = []
    for signalNumber in [SIGINT, SIGTERM] {
        signal(signalNumber, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
        source.setEventHandler { stopRequested.signal() }
        source.resume()
        sources.append(source)
    }
    stopRequested.wait()
    sources.forEach { $0.cancel() }
}

waitForTermination()
simulator.stop()
let stats = simulator.stats
print(
    "toloka-sim stopped: \(stats.acceptedClones) clones accepted, \(stats.tooManyRequests) answered 429, \(stats.requests) requests"
)
