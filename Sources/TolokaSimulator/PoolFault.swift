/// A misbehaviour of one pool's check (`GET /pools/{id}`) or clone (`POST /pools/{id}/clone`);
/// a faulted request never clones anything.
public enum PoolFault: Sendable, Equatable {
    /// A 409 JSON envelope with this code, e.g. `INAPPROPRIATE_STATUS` (permanent) on every request.
    case conflict(code: String)
    /// An nginx-like HTML page with this 4xx status, as a proxy would answer.
    case htmlRefusal(status: Int)
    /// A redirect (301, 302, 307, 308) to `location`.
    case redirect(status: Int, location: String)
    /// A 200 declaring `bytes` of body, sent one byte every `every`.
    case trickle(bytes: Int, every: Duration)
    /// A 200 whose body is `bytes` long, sent as fast as the client reads.
    case hugeBody(bytes: Int)
    /// A 200 without `Content-Length` whose `bytes` of body end only when the server closes the
    /// connection (HTTP/1.1 "read until close"), sent as fast as the client reads.
    case unframedBody(bytes: Int)
    /// A 500 INTERNAL_ERROR on every clone POST, nothing committed: the client never learns the outcome.
    case internalError
}
