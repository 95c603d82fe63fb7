import JSONValue
import Testing

@testable import BatchCloneKit

/// The pure parts of `--set`: parsing the option, filling templates, typing values, applying paths.
@Suite struct StepValueTests {
    /// 2026-03-01T00:00:00Z
    static let now: Int64 = 1_772_323_200_000
    static let source = JSONValue.object([
        ("private_name", .string("Spring run")),
        ("defaults", .object([("default_overlap_for_new_tasks", .int(3))])),
        ("reward_per_assignment", .double(0.02)),
    ])

    func context(copy: Int = 2, row: [String: String] = ["team": "ads"]) -> TemplateContext {
        TemplateContext(source: Self.source, copy: copy, row: row, now: Self.now)
    }

    @Test func parsesFieldAndKeepsTheTextAsTheStepsIdentity() throws {
        let set = try SetOption(
            "defaults.default_overlap_for_new_tasks={source.defaults.default_overlap_for_new_tasks}"
        )
        #expect(set.field.components == ["defaults", "default_overlap_for_new_tasks"])
        #expect(set.template.sourceFields == ["defaults.default_overlap_for_new_tasks"])
        #expect(
            set.stepKey == "set defaults.default_overlap_for_new_tasks={source.defaults.default_overlap_for_new_tasks}"
        )
        #expect(try SetOption("a=b=c").template == ValueTemplate("b=c"))
        #expect(try SetOption("private_name=").template.parts.isEmpty)
    }

    @Test func refusesOptionsWithoutAFieldOrEquals() {
        #expect(throws: StepOptionError.missingEquals("private_name")) { try SetOption("private_name") }
        #expect(throws: StepOptionError.badField("=x")) { try SetOption("=x") }
        #expect(throws: StepOptionError.badField("a..b=x")) { try SetOption("a..b=x") }
        #expect(throws: StepOptionError.badField("a b=x")) { try SetOption("a b=x") }
    }

    @Test func fillsEveryPlaceholderAndLeavesOtherBracesAlone() {
        let template = ValueTemplate("{source.private_name} v{copy} {row.team} {date} {other} {\"a\": 1}")
        #expect(template.fill(context()) == .success("Spring run v2 ads 2026-03-01 {other} {\"a\": 1}"))
        #expect(ValueTemplate("{source.defaults}").fill(context()) == .success(#"{"default_overlap_for_new_tasks":3}"#))
        #expect(ValueTemplate("{").fill(context()) == .success("{"))
        #expect(ValueTemplate("{copy").fill(context()) == .success("{copy"))
    }

    @Test func aMissingColumnOrSourceFieldIsNamed() {
        #expect(ValueTemplate("{row.owner}").fill(context()) == .failure(.missingColumn("owner")))
        #expect(ValueTemplate("{source.nope}").fill(context()) == .failure(.missingSourceField("nope")))
        var unread = context()
        unread.source = nil
        #expect(ValueTemplate("{source.private_name}").fill(unread) == .failure(.sourceUnread("private_name")))
    }

    @Test func aValueTakesTheTypeOfTheFieldItReplaces() {
        func typed(_ text: String, _ current: JSONValue?) -> Result<JSONValue, StepValueError> {
            FieldValue.typed(text, replacing: current, field: "f", now: Self.now)
        }
        #expect(typed("2024", .string("old")) == .success(.string("2024")))
        #expect(typed("true", .string("old")) == .success(.string("true")))
        #expect(typed("5", .int(3)) == .success(.int(5)))
        #expect(typed("0.05", .double(0.02)) == .success(.double(0.05)))
        #expect(typed("5", .double(0.02)) == .success(.int(5)))
        #expect(typed("five", .int(3)) == .failure(.wrongType(field: "f", expected: "number", value: "five")))
        #expect(typed("\"5\"", .int(3)) == .failure(.wrongType(field: "f", expected: "number", value: "\"5\"")))
        #expect(typed("false", .bool(true)) == .success(.bool(false)))
        #expect(typed("no", .bool(true)) == .failure(.wrongType(field: "f", expected: "boolean", value: "no")))
        #expect(typed(#"{"a":1}"#, .object([])) == .success(.object([("a", .int(1))])))
        #expect(typed("[1]", .object([])) == .failure(.wrongType(field: "f", expected: "object", value: "[1]")))
    }

    @Test func aMissingFieldTakesJSONWhenItParsesElseText() {
        #expect(FieldValue.typed("7", replacing: nil, field: "f", now: Self.now) == .success(.int(7)))
        #expect(
            FieldValue.typed("[1,2]", replacing: nil, field: "f", now: Self.now)
                == .success(.array([.int(1), .int(2)]))
        )
        #expect(FieldValue.typed("hello", replacing: nil, field: "f", now: Self.now) == .success(.string("hello")))
        #expect(FieldValue.typed("null", replacing: .null, field: "f", now: Self.now) == .success(.null))
    }

    @Test func aDurationFromNowIsAnAPITime() {
        #expect(
            FieldValue.typed("+30d", replacing: .string("2020-01-01T00:00:00"), field: "will_expire", now: Self.now)
                == .success(.string("2026-03-31T00:00:00.000"))
        )
        #expect(
            FieldValue.typed("+90m", replacing: nil, field: "f", now: Self.now)
                == .success(.string("2026-03-01T01:30:00.000"))
        )
        #expect(FieldValue.typed("+x", replacing: .string(""), field: "f", now: Self.now) == .success(.string("+x")))
        #expect(
            FieldValue.typed("+5", replacing: .int(1), field: "f", now: Self.now)
                == .failure(.wrongType(field: "f", expected: "number", value: "+5"))
        )
    }

    @Test func anEditAppliesEverySetInOrderAtItsPath() throws {
        let plan = StepPlan(
            sets: [
                try SetOption("private_name={source.private_name} v{copy}"),
                try SetOption("defaults.default_overlap_for_new_tasks=5"),
                try SetOption("will_expire=+1d"),
            ],
            open: true
        )
        let clone = Self.source.setting("will_expire", to: .string("2020-01-01T00:00:00"))
        let edited = try plan.edit(clone, applying: plan.sets, context: context()).get()
        #expect(edited.value(at: ["private_name"]) == .string("Spring run v2"))
        #expect(edited.value(at: ["defaults", "default_overlap_for_new_tasks"]) == .int(5))
        #expect(edited.value(at: ["will_expire"]) == .string("2026-03-02T00:00:00.000"))
        #expect(edited.members?.map(\.0) == clone.members?.map(\.0))
        let bad = try SetOption("private_name.inner=x")
        #expect(
            plan.edit(clone, applying: [bad], context: context()) == .failure(.notAnObject(field: "private_name.inner"))
        )
    }

    @Test func stepsAreKnownByWhatWasAsked() throws {
        let plan = StepPlan(sets: [try SetOption("a={date}"), try SetOption("b=1")], open: true)
        #expect(plan.keys == ["set a={date}", "set b=1", "open"])
        #expect(plan.pendingSets(done: ["set a={date}"]).map(\.text) == ["b=1"])
        #expect(plan.needsOpen(done: ["set a={date}", "set b=1"]))
        #expect(!plan.hasPending(done: plan.keys))
        #expect(plan.missingSourceField(in: Self.source) == nil)
        let reading = StepPlan(sets: [try SetOption("a={source.private_name}-{source.project_id}")])
        #expect(reading.readsSource && !plan.readsSource)
        #expect(reading.missingSourceField(in: Self.source) == "project_id")
        #expect(StepPlan(sets: [try SetOption("a={row.x}{row.y}{row.x}")]).rowColumns == ["x", "y"])
    }
}
