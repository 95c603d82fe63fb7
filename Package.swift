// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "batch-clone",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "batch-clone", targets: ["batch-clone"]),
        .executable(name: "toloka-sim", targets: ["toloka-sim"]),
        .executable(name: "batch-clone-bench", targets: ["batch-clone-bench"]),
        .library(name: "BatchCloneKit", targets: ["BatchCloneKit"]),
        .library(name: "TolokaSimulator", targets: ["TolokaSimulator"]),
    ],
    targets: [
        // Durations as people read and write them: one parser, one formatter for every target.
        .target(name: "DurationFormat"),
        // JSON documents whose object keys keep their order: the simulator's objects and the client's edits.
        .target(name: "JSONValue"),
        // All decision logic and I/O adapters of the tool.
        .target(name: "BatchCloneKit", dependencies: ["DurationFormat", "JSONValue"]),
        // A model of the Toloka API slice over real HTTP on loopback.
        .target(name: "TolokaSimulator", dependencies: ["JSONValue"]),
        // A small command-line parser shared by the executables.
        .target(name: "ArgumentParsing", dependencies: ["DurationFormat"]),
        // The commands: option parsing, wiring of real dependencies, exit codes.
        .target(
            name: "BatchCloneCLI",
            dependencies: ["BatchCloneKit", "TolokaSimulator", "ArgumentParsing", "DurationFormat"]
        ),
        // Test doubles shared by the test targets (a fake API, a warp clock, in-memory stores); not a product.
        .target(name: "BatchCloneTestSupport", dependencies: ["BatchCloneKit", "JSONValue"]),
        .executableTarget(name: "batch-clone", dependencies: ["BatchCloneCLI"]),
        .executableTarget(name: "toloka-sim", dependencies: ["TolokaSimulator", "ArgumentParsing", "DurationFormat"]),
        // Makespan of batch-clone against the optimum and common strategies, and the client's cost.
        .executableTarget(
            name: "batch-clone-bench",
            dependencies: ["BatchCloneKit", "TolokaSimulator", "ArgumentParsing", "DurationFormat"]
        ),
        .testTarget(
            name: "BatchCloneKitTests",
            dependencies: ["BatchCloneKit", "BatchCloneTestSupport", "JSONValue"]
        ),
        .testTarget(name: "DurationFormatTests", dependencies: ["DurationFormat"]),
        .testTarget(name: "JSONValueTests", dependencies: ["JSONValue"]),
        .testTarget(name: "TolokaSimulatorTests", dependencies: ["TolokaSimulator"]),
        .testTarget(name: "ArgumentParsingTests", dependencies: ["ArgumentParsing"]),
        .testTarget(
            name: "BatchCloneCLITests",
            dependencies: ["BatchCloneCLI", "BatchCloneKit", "ArgumentParsing", "BatchCloneTestSupport"]
        ),
        .testTarget(
            name: "EndToEndTests",
            dependencies: ["TolokaSimulator", "BatchCloneKit", "BatchCloneTestSupport"]
        ),
    ]
)
