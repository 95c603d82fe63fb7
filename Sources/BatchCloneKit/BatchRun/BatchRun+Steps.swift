import Foundation
import JSONValue

/// The steps after the clone: the driver's side (requests); every decision is the machine's.
extension BatchRun {
    /// Reads each source whose fields the `--set` templates use, once, before anything is sent;
    /// a source that cannot be read now is read again at its edit.
    func readSources() async throws {
        let items = machine.sourcesToRead
        guard !items.isEmpty else { return }
        let api = self.api
        var read: [String: JSONValue] = [:]
        // A few at a time: GETs cost no clone quota, but the global request limit is shared.
        for chunk in stride(from: 0, to: items.count, by: 8).map({ Array(items[$0..<min($0 + 8, items.count)]) }) {
            try await withThrowingTaskGroup(of: (String, JSONValue?).self) { group in
                for item in chunk {
                    group.addTask { (item.source, try? await api.object(item.source, of: item.target)) }
                }
                for try await (source, object) in group { read[source] = object }
            }
        }
        machine.stepSources.merge(read.compactMapValues { $0 }) { _, new in new }
    }

    func stepLoop() async throws {
        while true {
            try Task.checkCancellation()
            let before = machine.stepsDoneNow
            switch machine.nextStep(now: now) {
            case .finished:
                return
            case .sleep(let until):
                try await sleep(until: until)
            case .edit(let item, let newID, let sets):
                guard try takeOverlapSlot(newID: newID, sets: sets) else { continue }
                let result = try await edit(item, newID: newID, sets: sets)
                try performSteps(machine.edited(item, sets: sets, result, now: now), item: item, before: before)
            case .open(let item, let newID):
                let result: Result<TolokaOperation?, TolokaError>
                do {
                    result = .success(try await api.open(newID, of: item.target))
                } catch let error as TolokaError {
                    result = .failure(error)
                }
                try performSteps(machine.openAnswered(item, result, now: now), item: item, before: before)
            case .readOpen(let item, let operationID):
                let result: Result<TolokaOperation, TolokaError>
                do {
                    result = .success(try await api.operation(operationID))
                } catch let error as TolokaError {
                    result = .failure(error)
                }
                try performSteps(machine.openPolled(item, result, now: now), item: item, before: before)
            }
        }
    }

    /// Takes a slot on the overlap log for an edit that sets an overlap value, durably before its
    /// PUT (so the count errs only upward); false when refused, the machine holding such edits back.
    private func takeOverlapSlot(newID: String, sets: [SetOption]) throws -> Bool {
        guard StepPlan.changesOverlap(sets) else { return true }
        let now = self.now
        switch try overlapLedger.takeSlot(machine.overlapPolicy, source: newID, now: now) {
        case .granted:
            return true
        case .wait(let wait):
            // A shared ledger is asked again within its heartbeat, so that its loss is noticed.
            let wait = min(wait, overlapLedger.heartbeat ?? wait)
            machine.overlapSlotRefused(until: now + max(1, wait.millisecondsRoundedUp))
            return false
        }
    }

    /// Performs a step's actions, then calls the step failpoint when a step became durable (the
    /// machine counted more steps than `before`).
    private func performSteps(_ actions: [RunAction], item: WorkItem, before: Int) throws {
        try perform(actions)
        if machine.stepsDoneNow > before {
            configuration.afterStepRecorded?(item.journalKey, machine.stepsDoneNow)
        }
    }

    /// GET the clone, apply `sets` (templates filled, values typed), PUT it back whole.
    private func edit(_ item: WorkItem, newID: String, sets: [SetOption]) async throws -> Result<Void, EditFailure> {
        do {
            let plan = configuration.steps
            var source = machine.stepSources[item.source]
            if source == nil, plan.readsSource {
                source = try await api.object(item.source, of: item.target)
                machine.stepSources[item.source] = source
            }
            let object = try await api.object(newID, of: item.target)
            let context = plan.context(for: item, source: source, now: now)
            switch plan.edit(object, applying: sets, context: context) {
            case .failure(let error):
                return .failure(.value(error))
            case .success(let edited):
                try await api.replace(newID, of: item.target, with: edited)
                return .success(())
            }
        } catch let error as TolokaError {
            return .failure(.api(error))
        }
    }
}
