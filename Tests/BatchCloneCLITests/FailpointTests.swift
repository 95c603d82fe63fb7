import Testing

@testable import BatchCloneCLI

@Suite struct FailpointTests {
    @Test func onlyAWellFormedFailpointIsArmed() {
        #expect(Failpoint("kill-after-intent:3")?.killAfterIntent == 3)
        #expect(Failpoint(nil) == nil)
        #expect(Failpoint("") == nil)
        #expect(Failpoint("kill-after-intent:0") == nil)
        #expect(Failpoint("kill-after-intent:x") == nil)
        #expect(Failpoint("kill-after-post:3") == nil)
        #expect(Failpoint("kill-after-step:2")?.killAfterStep == 2)
        #expect(Failpoint("kill-after-step:2")?.killAfterIntent == nil)
        #expect(Failpoint("kill-after-step:0") == nil)
    }
}
