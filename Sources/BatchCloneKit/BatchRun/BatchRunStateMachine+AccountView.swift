/// The account's own view of its quota: clones made elsewhere count in the ledger.
///
/// Before the first send, and again before a long wait (at most once a minute) or before stopping
/// at the limit, the run lists the account's clone operations within the longest window and merges
/// those the ledger does not know. A listing that fails never stops the run (except a 401): the
/// ledger is then all it knows, as before.
extension BatchRunStateMachine {
    /// A wait longer than this is worth a fresh look at the account first.
    static let longWait: Int64 = 5000
    /// While waiting, the account is listed at most this often.
    static let relistInterval: Int64 = 60_000

    /// Where a listing starts (server time): the longest window back, and the clock skew allowance more.
    func accountListSince(now: Int64) -> ServerInstant {
        account.listSince(now: LocalInstant(epochMilliseconds: now), longestSpan: longestSpan)
    }

    var longestSpan: Int64 { policy.longestSpan }

    /// The listing to make before acting on a slot that is `until` away, if one is due.
    func listingBefore(waitingUntil until: Int64, now: Int64) -> ServerInstant? {
        guard configuration.accountView else { return nil }
        let age = account.lastListed.map { now - $0.epochMilliseconds } ?? .max
        let stopping = timing.maxWait.map { until - now > $0 } ?? false
        if stopping && age > Self.longWait { return accountListSince(now: now) }
        if until - now > Self.longWait && age >= Self.relistInterval { return accountListSince(now: now) }
        return nil
    }

    /// How late a send may arrive after its recorded time without being moved: half the smallest
    /// margin. The next send of any window then still arrives at least W + margin/2 after it.
    var arrivalTolerance: Int64 {
        (policy.limits.map { $0.span - $0.limit.window.millisecondsRoundedUp }.min() ?? 0) / 2
    }

    /// Where a clone operation arrived on our clock, erring later; nil when the server gave no time.
    func arrival(of operation: TolokaOperation) -> LocalInstant? {
        operation.submitted.map(account.offset.local)
    }

    /// The account's clone operations were listed (or not).
    mutating func accountListed(_ listing: Result<AccountListing, TolokaError>, now: Int64) -> [RunAction] {
        account.lastListed = LocalInstant(epochMilliseconds: now)
        switch listing {
        case .failure(let error):
            if FailureKind(error) == .authentication { return [.stop(.authentication(error.description))] }
            let read: [RunAction] = listingAfterRateLimit ? [.readLedger] : []
            guard !account.failureReported else { return read }
            account.failureReported = true
            return [
                .emit(
                    .warning(
                        "could not list the account's clone operations (\(error)): "
                            + "going on with what the ledger knows; clones made elsewhere are not counted"
                    )
                )
            ] + read
        case .success(let listing):
            let clones = account.read(listing)
            var actions: [RunAction] = []
            if listing.truncated {
                actions.append(
                    .emit(
                        .warning(
                            "the account's operation list did not end after \(listing.pages) pages; counting what it showed"
                        )
                    )
                )
            }
            actions.append(.mergeIntoLedger(clones))
            if listingAfterRateLimit { actions.append(.readLedger) }
            return actions
        }
    }

    /// The ledger counted `count` clones it did not know.
    mutating func merged(count: Int) -> [RunAction] {
        guard count > 0 else { return [] }
        account.foreignClones += count
        return [.emit(.foreignClones(count: count, window: .milliseconds(longestSpan)))]
    }

    /// Learns the server's clock from an own operation answered at `now`.
    mutating func observe(_ operation: TolokaOperation, now: Int64) {
        if let submitted = operation.submitted {
            account.observe(lead: ServerOffset(remote: submitted, readBy: LocalInstant(epochMilliseconds: now)))
        }
    }
}
