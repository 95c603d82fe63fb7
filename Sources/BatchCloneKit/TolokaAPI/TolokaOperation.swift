import Foundation

/// An asynchronous operation of the Toloka API (`GET /operations/{id}`); unknown types decode too.
public struct TolokaOperation: Sendable, Equatable, Decodable {
    /// The operation's lifecycle state; values this client does not know are kept verbatim.
    public enum Status: Sendable, Equatable {
        case pending, running, success, fail
        case other(String)

        init(_ text: String) {
            switch text {
            case "PENDING": self = .pending
            case "RUNNING": self = .running
            case "SUCCESS": self = .success
            case "FAIL": self = .fail
            default: self = .other(text)
            }
        }

        /// Whether the operation will not change any more.
        public var isFinished: Bool { self == .success || self == .fail }
    }

    public var id: String
    public var type: String
    public var status: Status
    /// When the server accepted it, on its clock (Toloka sends UTC without a zone).
    public var submitted: ServerInstant?
    /// The source of a clone (`parameters.pool_id` for pools: the key is its target's).
    public var sourcePoolID: String?
    /// The new pool (`details.pool_id` for pools), once a clone succeeded.
    public var newPoolID: String?
    /// A failure reason from `details`, when the server gives one.
    public var failureReason: String?

    public init(
        id: String,
        type: String = CloneTarget.pool.operationType,
        status: Status,
        submitted: ServerInstant? = nil,
        sourcePoolID: String? = nil,
        newPoolID: String? = nil,
        failureReason: String? = nil
    ) {
        self.id = id
        self.type = type
        self.status = status
        self.submitted = submitted
        self.sourcePoolID = sourcePoolID
        self.newPoolID = newPoolID
        self.failureReason = failureReason
    }

    private enum CodingKeys: String, CodingKey {
        case id, type, status, submitted, parameters, details
    }

    private struct Loose: Decodable {
        var values: [String: String] = [:]

        init(from decoder: Decoder) throws {
            // Parameters and details differ per operation type; keep the scalar fields only.
            guard let container = try? decoder.container(keyedBy: AnyKey.self) else { return }
            for key in container.allKeys {
                if let text = try? container.decode(String.self, forKey: key) {
                    values[key.stringValue] = text
                } else if let number = try? container.decode(Int64.self, forKey: key) {
                    values[key.stringValue] = String(number)
                }
            }
        }
    }

    private struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        guard Self.isToken(id) else {
            throw DecodingError.dataCorruptedError(
                forKey: .id,
                in: container,
                debugDescription: "operation id of unexpected shape"
            )
        }
        type = try container.decodeIfPresent(String.self, forKey: .type) ?? ""
        status = Status(try container.decode(String.self, forKey: .status))
        submitted = (try container.decodeIfPresent(String.self, forKey: .submitted)).flatMap {
            UTCTimestamp.parse($0, as: ServerScale.self)
        }
        let parameters = try container.decodeIfPresent(Loose.self, forKey: .parameters)
        let details = try container.decodeIfPresent(Loose.self, forKey: .details)
        // A clone names its source and result by its target's key; other types by a pool's.
        let key = (CloneTarget.cloning(operationType: type) ?? .pool).parameterKey
        sourcePoolID = parameters?.values[key]
        newPoolID = details?.values[key]
        if let newPoolID, !Self.isPoolID(newPoolID) {
            throw DecodingError.dataCorruptedError(
                forKey: .details,
                in: container,
                debugDescription: "new pool id of unexpected shape"
            )
        }
        failureReason = details?.values["reason"] ?? details?.values["message"]
    }

    /// Server IDs end up in terminals, journals and CSV cells: only short printable tokens are accepted.
    static func isToken(_ text: String) -> Bool {
        (1...128).contains(text.utf8.count)
            && text.utf8.allSatisfy { byte in
                switch byte {
                case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                    UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "-"):
                    true
                default: false
                }
            }
    }

    /// Pool IDs are decimal numbers.
    static func isPoolID(_ text: String) -> Bool {
        (1...20).contains(text.utf8.count) && text.utf8.allSatisfy { (48...57).contains($0) }
    }
}
