import JSONValue
import Testing

struct JSONValuePathTests {
    let pool = JSONValue.object([
        ("private_name", .string("a")),
        ("defaults", .object([("default_overlap_for_new_tasks", .int(3)), ("other", .bool(true))])),
    ])

    @Test func readsNestedMembers() {
        #expect(pool.value(at: ["defaults", "default_overlap_for_new_tasks"]) == .int(3))
        #expect(pool.value(at: ["private_name"]) == .string("a"))
        #expect(pool.value(at: []) == pool)
        #expect(pool.value(at: ["defaults", "missing"]) == nil)
        #expect(pool.value(at: ["private_name", "deeper"]) == nil)
    }

    @Test func replacesInPlaceKeepingOrder() throws {
        let edited = try #require(pool.setting(path: ["defaults", "default_overlap_for_new_tasks"], to: .int(5)))
        #expect(
            edited.serialized()
                == #"{"private_name":"a","defaults":{"default_overlap_for_new_tasks":5,"other":true}}"#
        )
    }

    @Test func createsMissingObjectsAndRefusesToDescendIntoScalars() throws {
        let created = try #require(pool.setting(path: ["new", "inner"], to: .string("x")))
        #expect(created.value(at: ["new", "inner"]) == .string("x"))
        #expect(created.members?.map(\.0) == ["private_name", "defaults", "new"])
        #expect(pool.setting(path: ["private_name", "inner"], to: .int(1)) == nil)
        #expect(JSONValue.int(1).setting(path: ["a"], to: .int(2)) == nil)
    }
}
