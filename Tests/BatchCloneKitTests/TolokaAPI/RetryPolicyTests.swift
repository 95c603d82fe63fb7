import Testing

@testable import BatchCloneKit

@Suite struct RetryPolicyTests {
    @Test func defaults() {
        let policy = RetryPolicy()
        #expect(policy.maxAttempts == 8)
        #expect(policy.baseDelay == 0.5)
        #expect(policy.maxDelay == 30)
    }

    @Test func backoffDoublesFromTheBaseUpToTheCeiling() {
        let policy = RetryPolicy(maxAttempts: 100, baseDelay: 0.5, maxDelay: 30)
        let ceilings = (1...9).map { policy.delay(afterAttempt: $0, unit: 1) }
        #expect(ceilings == [0.5, 1, 2, 4, 8, 16, 30, 30, 30])
        // A huge attempt number does not overflow.
        #expect(policy.delay(afterAttempt: 99, unit: 1) == 30)
    }

    @Test func fullJitterScalesTheCeiling() {
        let policy = RetryPolicy(maxAttempts: 10, baseDelay: 1, maxDelay: 30)
        #expect(policy.delay(afterAttempt: 3, unit: 0) == 0)
        #expect(policy.delay(afterAttempt: 3, unit: 0.25) == 1)
        #expect(policy.delay(afterAttempt: 3, unit: 0.5) == 2)
        // Out-of-range units are clamped.
        #expect(policy.delay(afterAttempt: 3, unit: -3) == 0)
        #expect(policy.delay(afterAttempt: 3, unit: 7) == 4)
    }

    @Test func noDelayOnceTheAttemptsAreSpent() {
        let policy = RetryPolicy(maxAttempts: 3)
        #expect(policy.delay(afterAttempt: 1, unit: 0) != nil)
        #expect(policy.delay(afterAttempt: 2, unit: 0) != nil)
        #expect(policy.delay(afterAttempt: 3, unit: 0) == nil)
        #expect(policy.delay(afterAttempt: 4, unit: 0, retryAfter: 5) == nil)
        #expect(RetryPolicy(maxAttempts: 1).delay(afterAttempt: 1, unit: 0.5) == nil)
    }

    @Test func retryAfterIsAFloorCappedAtTenCeilings() {
        let policy = RetryPolicy(maxAttempts: 10, baseDelay: 0.5, maxDelay: 30)
        #expect(policy.delay(afterAttempt: 1, unit: 0, retryAfter: 7) == 7)
        #expect(policy.delay(afterAttempt: 1, unit: 1, retryAfter: 0.1) == 0.5)
        #expect(policy.delay(afterAttempt: 1, unit: 0, retryAfter: 10_000) == 300)
        #expect(policy.delay(afterAttempt: 8, unit: 1, retryAfter: 2) == 30)
    }
}
