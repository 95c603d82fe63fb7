import Foundation
import JSONValue

/// Pools and trainings as objects: read whole, replaced whole by `PUT`, opened by an operation.
extension SimulatedAccount {
    /// The object behind an id, after the existence and access checks every route makes.
    func object(_ target: SimulatedTarget, id: String) throws(SimulatedError) -> SimulatedObject {
        guard !id.isEmpty, id.allSatisfy({ $0.isASCII && $0.isNumber }), !configuration.missingPools.contains(id)
        else {
            throw .doesNotExist("\(target.rawValue) \(id) does not exist")
        }
        guard !configuration.faults.forbiddenPools.contains(id) else {
            throw SimulatedError(
                status: 403,
                code: "ACCESS_DENIED",
                message: "access to \(target.rawValue) \(id) is denied"
            )
        }
        let object = storedOrTemplate(target, id: id)
        guard object.target == target else {
            throw .doesNotExist("\(target.rawValue) \(id) does not exist")
        }
        return object
    }

    /// The stored object, or the seed template any other id names.
    func storedOrTemplate(_ target: SimulatedTarget, id: String) -> SimulatedObject {
        if let stored = objects[id] { return stored }
        let day = 86_400.0
        let expired = configuration.expiredTemplates.contains(id)
        return SimulatedObject.template(
            target,
            id: id,
            created: startedAt.addingTimeInterval(-30 * day),
            willExpire: startedAt.addingTimeInterval(expired ? -day : 365 * day)
        )
    }

    /// `GET /pools/{id}` or `GET /trainings/{id}`: the whole object as it stands at `now`.
    func objectJSON(_ target: SimulatedTarget, id: String, now: Date) throws(SimulatedError) -> JSONValue {
        json(of: try object(target, id: id), now: now)
    }

    func json(of object: SimulatedObject, now: Date) -> JSONValue {
        let open = openOperation(of: object).flatMap { $0.status(at: now) == .success ? $0 : nil }
        return object.json(status: open == nil ? "CLOSED" : "OPEN", lastStarted: open?.finishedAt)
    }

    /// `PUT`: replaces the editable fields with a full object; an overlap change counts against its own quota.
    mutating func editObject(_ target: SimulatedTarget, id: String, body: [UInt8], now: Date) throws(SimulatedError)
        -> JSONValue
    {
        let current = try object(target, id: id)
        try requireIdle(current, now: now)
        if json(of: current, now: now)["status"] == .string("OPEN") {
            throw SimulatedError(
                status: 409,
                code: "INAPPROPRIATE_STATUS",
                message: "\(target.rawValue) \(id) is open: close it before updating it"
            )
        }
        guard let document = JSONValue.parse(body) else {
            throw SimulatedError(status: 400, code: "VALIDATION_ERROR", message: "the body is not valid JSON")
        }
        let edited = try current.replacingFields(with: document)
        if current.changesOverlap(to: edited) {
            try enforce(
                configuration.overlapLimits,
                key: ArrivalKey.overlapChanges(target, id: id, perObject: configuration.overlapLimitPerPool),
                what: "overlap changes",
                now: SimulatorTime.truncated(now)
            )
            stats.overlapChanges += 1
        }
        objects[id] = edited
        stats.editsPerObject[id, default: 0] += 1
        return json(of: edited, now: now)
    }

    /// `POST .../open`: an open operation, or nil (204) when the object is open already.
    mutating func openObject(_ target: SimulatedTarget, id: String, now: Date) throws(SimulatedError)
        -> SimulatedOperation?
    {
        var current = try object(target, id: id)
        try requireIdle(current, now: now)
        if openOperation(of: current)?.status(at: now) == .success {
            return nil
        }
        if let willExpire = current.willExpire, willExpire <= now {
            throw SimulatedError(
                status: 409,
                code: "CONFLICT_STATE",
                message: "\(target.rawValue) \(id) cannot be opened: will_expire "
                    + "\(SimulatorTime.format(willExpire)) is in the past; change it first"
            )
        }
        let operation = SimulatedOperation(
            id: nextOperationID(),
            type: target.openOperationType,
            submitted: SimulatorTime.truncated(now),
            latency: max(0, stepRandom.value(in: configuration.operationLatency)),
            willFail: false,
            parameters: .object([(target.parameterKey, .string(id))])
        )
        add(operation)
        current.openOperationID = operation.id
        objects[id] = current
        stats.opensPerObject[id, default: 0] += 1
        return operation
    }

    private func openOperation(of object: SimulatedObject) -> SimulatedOperation? {
        object.openOperationID.flatMap { operations[$0] }
    }

    /// An object whose open operation still runs is busy, as the API's 409 for it says.
    private func requireIdle(_ object: SimulatedObject, now: Date) throws(SimulatedError) {
        guard let operation = openOperation(of: object), operation.finished(at: now) == nil else { return }
        throw Self.locked(object.target, object.id)
    }
}
