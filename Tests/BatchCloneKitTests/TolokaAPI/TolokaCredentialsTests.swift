import Testing

@testable import BatchCloneKit

@Suite struct TolokaCredentialsTests {
    private func key(firstDotAt index: Int) -> String {
        String(repeating: "k", count: index) + ".abc.def"
    }

    @Test func apiKeysHaveTwoDotsTheFirstAtIndex22To24() {
        for index in 22...24 {
            #expect(TolokaCredentials.authorization(for: key(firstDotAt: index)) == "ApiKey " + key(firstDotAt: index))
        }
        for index in [0, 21, 25] {
            #expect(TolokaCredentials.authorization(for: key(firstDotAt: index)) == "OAuth " + key(firstDotAt: index))
        }
    }

    @Test func otherDotCountsAreOAuth() {
        let threeDots = String(repeating: "k", count: 22) + ".a.b.c"
        #expect(TolokaCredentials.authorization(for: threeDots) == "OAuth " + threeDots)
        let oneDot = String(repeating: "k", count: 22) + ".a"
        #expect(TolokaCredentials.authorization(for: oneDot) == "OAuth " + oneDot)
        #expect(TolokaCredentials.authorization(for: "AQAAAAAplainoauth") == "OAuth AQAAAAAplainoauth")
    }

    @Test func aNamedSchemeIsKeptAndWhitespaceTrimmed() {
        #expect(TolokaCredentials.authorization(for: "ApiKey abc") == "ApiKey abc")
        #expect(TolokaCredentials.authorization(for: "OAuth abc") == "OAuth abc")
        #expect(TolokaCredentials.authorization(for: "  token\n") == "OAuth token")
        #expect(
            TolokaCredentials.authorization(for: " " + key(firstDotAt: 23) + "\n") == "ApiKey " + key(firstDotAt: 23)
        )
    }
}
