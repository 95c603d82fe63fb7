import BatchCloneKit

extension FakeTolokaAPI {
    public func check(_ id: String, of target: CloneTarget) async throws {
        let error = state.withLock { state in
            state.calls.append(.check(id))
            return state.checkErrors[id]
        }
        if let error { throw error }
    }

    /// Every target's clone is scripted alike; its operation has the target's type.
    public func clone(_ id: String, of target: CloneTarget) async throws -> TolokaOperation {
        let now = clock.now.epochMilliseconds
        let result: Result<TolokaOperation, TolokaError> = state.withLock { state in
            state.cloneCalls.append(CloneCall(pool: id, at: now))
            state.calls.append(.clone(id))
            let answer: CloneAnswer
            if var script = state.cloneScripts[id], !script.isEmpty {
                answer = script.removeFirst()
                state.cloneScripts[id] = script
            } else {
                answer = state.defaultClone
            }
            let submitted = now + state.serverSkew
            func create(polls: Int, fails: Bool) -> ServerOperation {
                Self.create(
                    &state,
                    pool: id,
                    submitted: submitted,
                    type: target.operationType,
                    polls: polls,
                    fails: fails
                )
            }
            switch answer {
            case .accept(let polls, let fails):
                return .success(Self.view(create(polls: polls, fails: fails), status: .pending))
            case .lostAfterCommit(let polls, let fails, let error):
                _ = create(polls: polls, fails: fails)
                return .failure(error)
            case .error(let error):
                return .failure(error)
            }
        }
        return try result.get()
    }

    public func operation(_ id: String) async throws -> TolokaOperation {
        let result: Result<TolokaOperation, TolokaError> = state.withLock { state in
            state.calls.append(.poll(id))
            if let error = state.pollError { return .failure(error) }
            guard let index = state.operations.firstIndex(where: { $0.id == id }) else {
                return .failure(.api(status: 404, code: "DOES_NOT_EXIST", message: "", interval: nil, retryAfter: nil))
            }
            state.operations[index].polls += 1
            return .success(Self.view(state.operations[index], status: Self.status(of: state.operations[index])))
        }
        return try result.get()
    }

    public func operations(_ query: OperationQuery) async throws -> OperationPage {
        let result: Result<OperationPage, TolokaError> = state.withLock { state in
            state.calls.append(.list(query))
            if let error = state.listError { return .failure(error) }
            let matching = state.operations
                .filter { $0.type == query.type && $0.submitted >= query.submittedAtOrAfter.epochMilliseconds }
                .filter { operation in query.idAfter.map { operation.id > $0 } ?? true }
                .sorted { $0.id < $1.id }
            let size = min(query.limit, state.pageSize)
            var page: [TolokaOperation] = []
            for operation in matching.prefix(size) {
                guard state.listCountsAsRead, let index = state.operations.firstIndex(where: { $0.id == operation.id })
                else {
                    page.append(Self.view(operation, status: .running))
                    continue
                }
                state.operations[index].polls += 1
                page.append(Self.view(state.operations[index], status: Self.status(of: state.operations[index])))
            }
            return .success(OperationPage(items: page, hasMore: matching.count > size))
        }
        return try result.get()
    }

    /// RUNNING until the operation was read `pollsUntilFinished` times, then its final status.
    private static func status(of operation: ServerOperation) -> TolokaOperation.Status {
        guard operation.polls >= operation.pollsUntilFinished else { return .running }
        return operation.fails ? .fail : .success
    }

    private static func view(_ operation: ServerOperation, status: TolokaOperation.Status) -> TolokaOperation {
        TolokaOperation(
            id: operation.id,
            type: operation.type,
            status: status,
            submitted: ServerInstant(epochMilliseconds: operation.submitted),
            sourcePoolID: operation.pool,
            newPoolID: status == .success ? operation.newPoolID : nil,
            failureReason: status == .fail ? "boom" : nil
        )
    }
}
