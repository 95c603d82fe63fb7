import JSONValue
import Testing

struct JSONValueParsingTests {
    func parse(_ text: String) -> JSONValue? {
        JSONValue.parse(Array(text.utf8))
    }

    @Test func keepsKeyOrderKindsAndEscapes() throws {
        let text = #" {"b": 1, "a": [true, null, -2.5e1, 0.02], "é\n\u00e9\ud83d\ude00": {"x": "y\"z"}} "#
        let value = try #require(parse(text))
        #expect(value.members?.map(\.0) == ["b", "a", "é\né😀"])
        #expect(value["b"] == .int(1))
        #expect(value["a"] == .array([.bool(true), .null, .double(-25), .double(0.02)]))
        #expect(value["é\né😀"]?["x"] == .string("y\"z"))
        #expect(parse(value.serialized()) == value)
    }

    @Test func refusesWhatIsNotOneJSONValue() {
        for text in ["", "{", "{\"a\":1,}", "[1 2]", "01", "1.", "\"\\x\"", "{} {}", "tru", "\"\u{01}\"", "{a:1}"] {
            #expect(parse(text) == nil, "accepted \(text)")
        }
        let deep = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        #expect(parse(deep) == nil)
    }
}
