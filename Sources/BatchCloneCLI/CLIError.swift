import ArgumentParsing
import BatchCloneKit

/// Every failure the command line reports, with the exit code it maps to in one place.
enum CLIError: Error, CustomStringConvertible {
    case arguments(ArgumentError)
    case missingToken
    case poolList(PoolListError)
    case storage(StorageError)
    case redis(RedisError)
    case run(RunError)
    case simulator(String)
    case unexpected(String)

    var exitCode: ExitCode {
        switch self {
        case .arguments, .missingToken: .usage
        case .poolList(let error):
            switch error {
            case .csv(.fileNotFound), .csv(.unreadable): .noInput
            case .columnNotFound, .ambiguousTarget, .noColumnForTarget: .usage
            default: .dataError
            }
        case .storage(let error):
            switch error {
            case .corrupt: .dataError
            case .locked: .tryLater
            case .unreadable, .unwritable: .ioError
            }
        case .redis(let error):
            switch error {
            case .invalidURL, .caFileUnusable: .usage
            default: .unavailable
            }
        case .run(let error):
            switch error {
            case .authentication, .accessDenied: .noPermission
            case .serviceUnavailable: .unavailable
            case .internalError: .software
            }
        case .simulator, .unexpected: .software
        }
    }

    var description: String {
        switch self {
        case .arguments(let error): error.description
        case .missingToken:
            "TOLOKA_TOKEN is not set: export TOLOKA_TOKEN=<API key or OAuth token>, or rehearse with --simulate"
        case .poolList(let error): error.description
        case .storage(let error): error.description
        case .redis(let error): error.description
        case .run(let error): error.description
        case .simulator(let reason): "cannot start the simulator: \(reason)"
        case .unexpected(let reason): "unexpected error (a batch-clone bug, please report it): \(reason)"
        }
    }

    /// Wraps any error a command can meet.
    init(_ error: any Error) {
        switch error {
        case let error as CLIError: self = error
        case let error as ArgumentError: self = .arguments(error)
        case let error as PoolListError: self = .poolList(error)
        case let error as StorageError: self = .storage(error)
        case let error as RedisError: self = .redis(error)
        case let error as RunError: self = .run(error)
        default: self = .unexpected("\(error)")
        }
    }
}
