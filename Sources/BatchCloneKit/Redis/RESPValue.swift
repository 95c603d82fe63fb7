/// One RESP2 reply from Redis.
public enum RESPValue: Sendable, Equatable {
    /// `+OK`
    case simpleString(String)
    /// `-ERR ...`: an error reply, kept as a value so that callers can react (e.g. to `NOSCRIPT`).
    case error(String)
    /// `:42`
    case integer(Int64)
    /// `$3\r\nabc`, or nil for the null bulk string `$-1`.
    case bulkString([UInt8]?)
    /// `*2\r\n...`, or nil for the null array `*-1` (an aborted transaction).
    case array([RESPValue]?)

    /// The value as text when it is a (non-null) simple or bulk string.
    var text: String? {
        switch self {
        case .simpleString(let text): text
        case .bulkString(let bytes?): String(decoding: bytes, as: UTF8.self)
        default: nil
        }
    }

    /// The value as an integer: an integer reply, or a string holding one (as `TIME` and `ZSCORE` answer).
    var int64: Int64? {
        switch self {
        case .integer(let value): value
        default: text.flatMap { Int64($0) }
        }
    }
}
