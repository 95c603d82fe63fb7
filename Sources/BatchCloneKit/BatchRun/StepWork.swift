import JSONValue

/// What the step loop does next.
enum StepWork: Sendable, Equatable {
    /// No item has steps left and none will be cloned.
    case finished
    /// Nothing is due before this instant (epoch ms).
    case sleep(until: Int64)
    /// GET the clone, apply these `--set` options, PUT it back; feed the outcome to `edited`.
    case edit(WorkItem, newID: String, sets: [SetOption])
    /// POST open of the clone; feed the answer to `openAnswered`.
    case open(WorkItem, newID: String)
    /// Read the open operation; feed the answer to `openPolled`.
    case readOpen(WorkItem, operationID: String)
}

/// Why an edit failed: the server's answer, or a value that could not be made.
enum EditFailure: Error, Sendable, Equatable {
    case api(TolokaError)
    case value(StepValueError)
}
