/// Bounds on one HTTP request, so a slow or bloated answer cannot hold a run or its memory.
public struct TransportLimits: Sendable, Equatable {
    /// The whole exchange, connection to last body byte; a trickling body cannot extend it.
    public var deadline: Duration
    /// The largest answer body read; a bigger one is abandoned as it arrives, never buffered whole.
    public var maxBodyBytes: Int

    public init(deadline: Duration = .seconds(30), maxBodyBytes: Int = 16 << 20) {
        self.deadline = deadline
        self.maxBodyBytes = maxBodyBytes
    }

    var deadlineSeconds: Double {
        Double(deadline.components.seconds) + Double(deadline.components.attoseconds) / 1e18
    }

    var deadlineMilliseconds: Int {
        Int(deadline.components.seconds) * 1000 + Int(deadline.components.attoseconds / 1_000_000_000_000_000)
    }
}
