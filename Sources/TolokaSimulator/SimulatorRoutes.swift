import Foundation

/// Maps HTTP requests onto the account model and its answers back onto HTTP.
struct SimulatorRoutes: Sendable {
    static let apiPrefix = "/api/v1"
    static let statsPath = "/_sim/stats"

    var account: SimulatedAccount

    init(account: SimulatedAccount) {
        self.account = account
    }

    init(configuration: SimulatorConfiguration, now: Date) {
        self.init(account: SimulatedAccount(configuration: configuration, now: now))
    }

    private enum Route {
        case get(SimulatedTarget, String)
        case clone(SimulatedTarget, String)
        case put(SimulatedTarget, String)
        case open(SimulatedTarget, String)
        case getOperation(String)
        case listOperations
        case unmatched

        var name: String {
            switch self {
            case .get(let target, _): "GET /\(target.pathComponent)/{id}"
            case .clone(let target, _): "POST /\(target.pathComponent)/{id}/clone"
            case .put(let target, _): "PUT /\(target.pathComponent)/{id}"
            case .open(let target, _): "POST /\(target.pathComponent)/{id}/open"
            case .getOperation: "GET /operations/{id}"
            case .listOperations: "GET /operations"
            case .unmatched: "unmatched"
            }
        }
    }

    mutating func respond(to request: HTTPRequest, now: Date) -> HTTPHandlerResult {
        let path = request.path
        if path == Self.statsPath && request.method == "GET" {
            return .respond(statsResponse())
        }
        let route = Self.route(method: request.method, path: path)
        account.recordRequest(route: route.name)
        guard path.hasPrefix(Self.apiPrefix + "/") else {
            return error(.doesNotExist("no such endpoint: \(request.method) \(path)"))
        }
        guard authorized(request.header("authorization")) else {
            return error(
                SimulatedError(
                    status: 401,
                    code: "AUTHENTICATION_ERROR",
                    message: "missing or invalid authorization header; send 'ApiKey <key>' or 'OAuth <token>'"
                )
            )
        }
        do throws(SimulatedError) {
            try account.admitRequest(now: now)
        } catch {
            return self.error(error)
        }
        switch route {
        case .get(let target, let id):
            if let fault = account.drawPoolFault(pool: id, clone: false, target: target) {
                return poolFaultResult(fault)
            }
        case .clone(let target, let id):
            if let fault = account.drawPoolFault(pool: id, clone: true, target: target) {
                return poolFaultResult(fault)
            }
        default:
            break
        }
        if request.method == "GET", let fault = account.drawGetFault() {
            return faultResult(fault)
        }
        do throws(SimulatedError) {
            switch route {
            case .get(let target, let id):
                return .respond(.json(status: 200, try account.objectJSON(target, id: id, now: now)))
            case .put(let target, let id):
                return .respond(
                    .json(status: 200, try account.editObject(target, id: id, body: request.body, now: now))
                )
            case .open(let target, let id):
                guard let operation = try account.openObject(target, id: id, now: now) else {
                    return .respond(HTTPResponse(status: 204))
                }
                return .respond(.json(status: 202, operation.acceptedJSON()))
            case .clone(let target, let id):
                let (operation, fault) = try account.clone(target, id: id, now: now)
                switch fault {
                case .none:
                    return .respond(.json(status: 202, operation.acceptedJSON()))
                case .failAfterCommit:
                    return error(internalError())
                case .dropAfterCommit, .lateCommit(dropped: true):
                    return .drop
                case .lateCommit(dropped: false):
                    return error(internalError())
                }
            case .getOperation(let id):
                return .respond(.json(status: 200, try account.operation(id: id, now: now).json(at: now)))
            case .listOperations:
                if account.configuration.refuseTypeFilter, request.query["type"] != nil {
                    throw SimulatedError.validation(
                        field: "type",
                        code: "VALUE_NOT_ALLOWED",
                        message: "must be one of POOL.OPEN, POOL.CLOSE, POOL.ARCHIVE, PROJECT.ARCHIVE, "
                            + "TASK_SUITE.BATCH_CREATE, KNOWN_SOLUTIONS.GENERATE"
                    )
                }
                let query = try OperationQuery(parameters: request.query)
                let page = account.listOperations(query, now: now)
                return .respond(
                    .json(
                        status: 200,
                        .object([
                            ("items", .array(page.items.map { $0.json(at: now) })),
                            ("has_more", .bool(page.hasMore)),
                        ])
                    )
                )
            case .unmatched:
                throw SimulatedError.doesNotExist("no such endpoint: \(request.method) \(path)")
            }
        } catch {
            return self.error(error)
        }
    }

    private static func route(method: String, path: String) -> Route {
        guard path.hasPrefix(apiPrefix + "/") else { return .unmatched }
        let components = path.dropFirst(apiPrefix.count + 1).split(separator: "/", omittingEmptySubsequences: false)
        let target = SimulatedTarget.allCases.first { $0.pathComponent == components[0] }
        switch (method, components.count, target) {
        case ("GET", 1, nil) where components[0] == "operations":
            return .listOperations
        case ("GET", 2, nil) where components[0] == "operations":
            return .getOperation(String(components[1]))
        case ("GET", 2, let target?):
            return .get(target, String(components[1]))
        case ("PUT", 2, let target?):
            return .put(target, String(components[1]))
        case ("POST", 3, let target?) where components[2] == "clone":
            return .clone(target, String(components[1]))
        case ("POST", 3, let target?) where components[2] == "open":
            return .open(target, String(components[1]))
        default:
            return .unmatched
        }
    }

    private func authorized(_ header: String?) -> Bool {
        guard let header else { return false }
        for scheme in ["ApiKey ", "OAuth "] where header.hasPrefix(scheme) {
            let credential = String(header.dropFirst(scheme.count))
            guard let token = account.configuration.token else {
                return !credential.trimmingCharacters(in: .whitespaces).isEmpty
            }
            return credential == token
        }
        return false
    }

    private func internalError() -> SimulatedError {
        SimulatedError(status: 500, code: "INTERNAL_ERROR", message: "internal error; repeat the request later")
    }

    private mutating func faultResult(_ fault: SimulatedAccount.GetFault) -> HTTPHandlerResult {
        switch fault {
        case .internalErrorJSON:
            return error(internalError())
        case .badGatewayHTML:
            return .respond(.html(status: 502, Self.nginxPage("502 Bad Gateway")))
        case .serviceUnavailableJSON:
            return error(
                SimulatedError(
                    status: 503,
                    code: "REMOTE_SERVICE_UNAVAILABLE",
                    message: "remote service is unavailable; repeat in a little while"
                )
            )
        case .gatewayTimeoutHTML:
            return .respond(.html(status: 504, Self.nginxPage("504 Gateway Time-out")))
        case .internalErrorEmpty:
            return .respond(HTTPResponse(status: 500))
        case .dropConnection:
            return .drop
        }
    }

    private mutating func poolFaultResult(_ fault: PoolFault) -> HTTPHandlerResult {
        switch fault {
        case .conflict(let code):
            return error(
                SimulatedError(
                    status: 409,
                    code: code,
                    message: "the operation can't be performed due to the pool's state"
                )
            )
        case .htmlRefusal(let status):
            let title = "\(status) \(HTTPResponse.reasonPhrase(for: status))"
            return .respond(.html(status: status, Self.nginxPage(title)))
        case .redirect(let status, let location):
            var response = HTTPResponse.html(
                status: status,
                Self.nginxPage("\(status) \(HTTPResponse.reasonPhrase(for: status))")
            )
            response.headers.append((name: "Location", value: location))
            return .respond(response)
        case .trickle(let bytes, let every):
            let head = HTTPResponse(status: 200, headers: [(name: "Content-Type", value: "application/json")])
            return .stream(head: head, length: bytes, chunk: 1, pause: every, framed: true)
        case .hugeBody(let bytes):
            let head = HTTPResponse(status: 200, headers: [(name: "Content-Type", value: "application/json")])
            return .stream(head: head, length: bytes, chunk: 64 * 1024, pause: .zero, framed: true)
        case .unframedBody(let bytes):
            let head = HTTPResponse(status: 200, headers: [(name: "Content-Type", value: "application/json")])
            return .stream(head: head, length: bytes, chunk: 64 * 1024, pause: .zero, framed: false)
        case .internalError:
            return error(internalError())
        }
    }

    private static func nginxPage(_ title: String) -> String {
        "<html>\r\n<head><title>\(title)</title></head>\r\n<body>\r\n<center><h1>\(title)</h1></center>\r\n"
            + "<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
    }

    private mutating func error(_ error: SimulatedError) -> HTTPHandlerResult {
        var headers: [(name: String, value: String)] = []
        if let retryAfter = error.retryAfter {
            headers.append((name: "Retry-After", value: String(retryAfter)))
        }
        return .respond(
            .json(status: error.status, error.envelope(requestID: account.nextRequestID()), headers: headers)
        )
    }

    private func statsResponse() -> HTTPResponse {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys]
        let body = (try? encoder.encode(account.stats)) ?? Data("{}".utf8)
        return HTTPResponse(
            status: 200,
            headers: [(name: "Content-Type", value: "application/json")],
            body: Array(body)
        )
    }
}
