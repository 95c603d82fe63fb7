import Foundation
import Testing

@testable import BatchCloneKit

@Suite struct RetryAfterTests {
    /// Wed, 21 Oct 2015 07:28:00 GMT
    private let date = Date(timeIntervalSince1970: 1_445_412_480)

    @Test(arguments: [("120", 120.0), ("0", 0), (" 7 ", 7), ("007", 7), ("999999999", 999_999_999)])
    func deltaSeconds(text: String, seconds: Double) {
        #expect(RetryAfter.parse(text, now: date) == seconds)
    }

    @Test(arguments: ["", "  ", "-5", "1.5", "soon", "1234567890", "12 34"])
    func garbageIsNil(text: String) {
        #expect(RetryAfter.parse(text, now: date) == nil)
    }

    @Test func httpDateIsSecondsFromNow() {
        let now = date.addingTimeInterval(-30)
        #expect(RetryAfter.parse("Wed, 21 Oct 2015 07:28:00 GMT", now: now) == 30)
    }

    @Test func obsoleteDateFormsAreAccepted() {
        let now = date.addingTimeInterval(-45)
        #expect(RetryAfter.parse("Wednesday, 21-Oct-15 07:28:00 GMT", now: now) == 45)
        #expect(RetryAfter.parse("Wed Oct 21 07:28:00 2015", now: now) == 45)
    }

    @Test func asctimeWithASpacePaddedDayIsAccepted() {
        // RFC 9110 asctime-date pads one-digit days with a space: "Thu Oct  1 07:28:00 2015".
        let first = Date(timeIntervalSince1970: 1_443_684_480)  // Thu, 01 Oct 2015 07:28:00 GMT
        #expect(RetryAfter.parse("Thu, 01 Oct 2015 07:28:00 GMT", now: first.addingTimeInterval(-5)) == 5)
        #expect(RetryAfter.parse("Thu Oct  1 07:28:00 2015", now: first.addingTimeInterval(-5)) == 5)
    }

    @Test func aDateInThePastMeansNoWait() {
        #expect(RetryAfter.parse("Wed, 21 Oct 2015 07:28:00 GMT", now: date.addingTimeInterval(3600)) == 0)
    }
}
