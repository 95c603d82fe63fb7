import BatchCloneKit

/// `"p1"` names the first copy of pool p1, so the machine's tests read as its README rows do.
extension WorkItem: ExpressibleByStringLiteral {
    public init(stringLiteral source: String) {
        self.init(.pool, source: source)
    }
}
