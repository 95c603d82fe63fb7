import Foundation

/// Listing the account's clone operations, and following accepted clones.
extension BatchRun {
    // MARK: - Listing

    /// The account's clone operations submitted since `since` (server time), for the account view
    /// and reconciliation: a failed request is the machine's to judge, cancellation is thrown.
    func listClones(since: ServerInstant) async throws -> Result<AccountListing, TolokaError> {
        do {
            return .success(try await lister.list(since: since, maxPages: CloneLister.defaultPages))
        } catch let error as TolokaError {
            return .failure(error)
        }
    }

    // MARK: - Polling

    func pollLoop() async throws {
        while true {
            try Task.checkCancellation()
            let now = self.now
            switch machine.nextPoll(now: now) {
            case .finished:
                return
            case .sleep(let until):
                try await sleep(until: until)
            case .look(let items, let since):
                let listed = try await listClones(since: since).map(\.operations)
                try perform(machine.clonesListed(items, listed, now: self.now))
            case .read(let due, let listSince):
                for (item, result) in try await read(due, listSince: listSince) {
                    try perform(machine.polled(item, result, now: self.now))
                }
                try await sleep(until: machine.pollWake(after: now))
            }
        }
    }

    /// Reads the due operations: the list first when the machine asked for it (it answers most of
    /// them), single GETs for the rest, and for all of them if the list fails.
    private func read(_ due: [DuePoll], listSince: ServerInstant?) async throws -> [(
        WorkItem, Result<TolokaOperation, TolokaError>
    )] {
        var results: [(WorkItem, Result<TolokaOperation, TolokaError>)] = []
        var unread = due
        if let listSince {
            do {
                let (answered, rest) = BatchRunStateMachine.match(
                    due,
                    in: try await lister.list(since: listSince, maxPages: 3).operations
                )
                results = answered.map { ($0.item, .success($0.operation)) }
                unread = rest
            } catch is TolokaError {
                // Not fatal: the single reads below report what matters (e.g. a 401) themselves.
            }
        }
        let api = self.api
        return try await withThrowingTaskGroup(of: (WorkItem, Result<TolokaOperation, TolokaError>).self) { group in
            for due in unread {
                group.addTask {
                    do {
                        return (due.item, .success(try await api.operation(due.operationID)))
                    } catch let error as TolokaError {
                        return (due.item, .failure(error))
                    }
                }
            }
            return try await group.reduce(into: results) { $0.append($1) }
        }
    }
}
