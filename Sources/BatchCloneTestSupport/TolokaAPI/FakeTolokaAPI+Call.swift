import BatchCloneKit
import JSONValue

extension FakeTolokaAPI {
    /// One request a client made, in the order the fake received them.
    public enum Call: Sendable, Equatable {
        /// `checkPool` of a pool.
        case check(String)
        /// `clonePool` of a pool.
        case clone(String)
        /// `operation` read of an operation id.
        case poll(String)
        /// `operations` list with its query.
        case list(OperationQuery)
        /// `object` read of a pool or training.
        case object(String)
        /// `replace` of an object with a whole body.
        case replace(String, JSONValue)
        /// `open` of an object.
        case open(String)

        /// The pool a check or a clone is about (nil for reads of operations).
        public var pool: String? {
            switch self {
            case .check(let pool), .clone(let pool): pool
            case .poll, .list, .object, .replace, .open: nil
            }
        }

        /// Whether this call reads one operation.
        public var isPoll: Bool {
            if case .poll = self { true } else { false }
        }

        /// Whether this call lists operations.
        public var isList: Bool {
            if case .list = self { true } else { false }
        }
    }

    /// A `clonePool` call and the test clock's time when it arrived.
    public struct CloneCall: Sendable, Equatable {
        /// The pool asked to be cloned.
        public var pool: String
        /// Epoch milliseconds on the fake's clock.
        public var at: Int64

        /// A call of `pool` at `at`.
        public init(pool: String, at: Int64) {
            self.pool = pool
            self.at = at
        }
    }
}
