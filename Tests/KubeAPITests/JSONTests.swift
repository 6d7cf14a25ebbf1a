import KubeAPI
import XCTest

final class JSONTests: XCTestCase {
    func testParsesAndEncodesCompactlyWithSortedKeys() throws {
        let value = try JSON.parse(#" { "b": [1, 2.5, -3e2, true, null], "a": "x\"y\n\u00e9\ud83d\ude00" } "#)
        XCTAssertEqual(value["b"], [1, 2.5, -300.0, true, .null])
        XCTAssertEqual(value["a"]?.stringValue, "x\"y\né😀")
        XCTAssertEqual(value.text, #"{"a":"x\"y\né😀","b":[1,2.5,-300,true,null]}"#)
        XCTAssertEqual(try JSON.parse(value.text), try JSON.parse(value.encoded()))
    }

    func testIntegersStayIntegers() throws {
        XCTAssertEqual(try JSON.parse("9007199254740993"), .int(9_007_199_254_740_993))
        XCTAssertEqual(try JSON.parse("-0"), .int(0))
        XCTAssertThrowsError(try JSON.parse("1e400"), "out of range")
    }

    func testErrorsSayWhere() {
        for (text, line, column, fragment) in [
            ("{\"a\": 1,\n  \"b\" 2}", 2, 7, "expected ':'"),
            ("[1, 2", 1, 6, "unexpected end of input"),
            ("", 1, 1, "empty"),
            ("{\"a\": tru}", 1, 10, "expected 'true'"),
            ("[1] x", 1, 5, "after the JSON value"),
            ("\"abc", 1, 5, "unterminated string"),
            ("01", 1, 2, "leading zero"),
        ] {
            XCTAssertThrowsError(try JSON.parse(text), text) { error in
                guard let error = error as? JSONParseError else { return XCTFail("\(error)") }
                XCTAssertEqual(error.line, line, text)
                XCTAssertEqual(error.column, column, text)
                XCTAssertTrue(error.message.contains(fragment), "\(text): \(error.message)")
            }
        }
    }

    func testDeepNestingIsRefusedNotCrashed() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        XCTAssertThrowsError(try JSON.parse(deep))
    }

    func testPathAccessCreatesIntermediateObjects() {
        var object = JSON.emptyObject
        object[path: "metadata", "labels", "app"] = "web"
        XCTAssertEqual(object.string("metadata", "labels", "app"), "web")
        XCTAssertEqual(object.stringMap("metadata", "labels"), ["app": "web"])
        object[path: "metadata", "labels"] = nil
        XCTAssertEqual(object.text, #"{"metadata":{}}"#)
    }
}
