import Testing

@testable import BatchCloneKit

@Suite struct RedisURLTests {
    @Test func parsesEveryPart() throws {
        let full = try RedisURL(parsing: "redis://ci%40team:s3cr%3At@cache.internal:6380/2")
        #expect(full.user == "ci@team")
        #expect(full.password == "s3cr:t")
        #expect(full.host == "cache.internal")
        #expect(full.port == 6380)
        #expect(full.database == 2)

        let bare = try RedisURL(parsing: "redis://localhost")
        #expect(
            bare.host == "localhost" && bare.port == 6379 && bare.database == 0 && bare.user == nil
                && bare.password == nil
        )

        let passwordOnly = try RedisURL(parsing: "redis://:pw@[::1]:7000/")
        #expect(
            passwordOnly.user == nil && passwordOnly.password == "pw" && passwordOnly.host == "::1"
                && passwordOnly.port == 7000
        )
        #expect(try RedisURL(parsing: "REDIS://10.0.0.1:1/15").database == 15)
    }

    @Test(arguments: [
        "redis://", "redis://host:0", "redis://host:99999", "redis://host:x", "redis://host/db", "redis://[::1",
        "http://h",
    ])
    func refusesMalformedURLs(text: String) {
        #expect {
            try RedisURL(parsing: text)
        } throws: { error in
            guard case .invalidURL = error as? RedisError else { return false }
            return true
        }
    }

    @Test func tlsURLsParseAndKeepTheirSchemeWhenPrinted() throws {
        let url = try RedisURL(parsing: "rediss://user:topsecret@cache.example.com:6380/2")
        #expect(url.tls && url.host == "cache.example.com" && url.port == 6380 && url.database == 2)
        #expect(url.user == "user" && url.password == "topsecret")
        #expect(url.description == "rediss://user:***@cache.example.com:6380/2")
        #expect(try RedisURL(parsing: "REDISS://[::1]").description == "rediss://[::1]:6379")
        #expect(try !RedisURL(parsing: "redis://h").tls)
    }

    @Test func aPasswordInClearOffLoopbackIsWarnedAbout() throws {
        let remote = try RedisURL(parsing: "redis://:topsecret@cache.example.com")
        let warning = try #require(remote.cleartextPasswordWarning)
        #expect(warning.contains("rediss://") && warning.contains("redis://:***@cache.example.com:6379"))
        #expect(!warning.contains("topsecret"))
        for quiet in [
            "rediss://:pw@cache.example.com", "redis://cache.example.com", "redis://:pw@127.0.0.1",
            "redis://:pw@localhost:7000", "redis://:pw@[::1]", "redis://:pw@127.10.0.3",
        ] {
            #expect(try RedisURL(parsing: quiet).cleartextPasswordWarning == nil, "\(quiet)")
        }
        #expect(try RedisURL(parsing: "redis://:pw@127.example.com").cleartextPasswordWarning != nil)
    }

    @Test func neverPrintsThePassword() throws {
        let url = try RedisURL(parsing: "redis://admin:topsecret@cache:6379/3")
        #expect(url.description == "redis://admin:***@cache:6379/3")
        #expect("\(try RedisURL(parsing: "redis://topsecret@cache"))" == "redis://:***@cache:6379")
        #expect(RedisURL.redact("redis://u:topsecret@h:1/x") == "redis://u:***@h:1/x")
        #expect {
            try RedisURL(parsing: "redis://u:topsecret@h:port")
        } throws: { error in
            let text = "\(error)"
            return text.contains("redis://u:***@h:port") && !text.contains("topsecret")
        }
        let errors: [RedisError] = [
            .unreachable(url: url.description, reason: "refused"), .timeout(url: url.description, operation: "read"),
            .authenticationFailed(url: url.description, message: "WRONGPASS"),
            .server(url: url.description, command: "AUTH", message: "ERR"),
        ]
        for error in errors {
            #expect(!error.description.contains("topsecret") && error.description.contains("***"))
            #expect(error.description.first?.isLowercase == true)
        }
    }
}
