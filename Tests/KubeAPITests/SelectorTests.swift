import KubeAPI
import XCTest

final class SelectorTests: XCTestCase {
    func testLabelSelectorSyntax() throws {
        let labels = ["app": "web", "tier": "fe", "env": "prod"]
        let cases: [(String, Bool)] = [
            ("", true), ("app=web", true), ("app==web", true), ("app!=web", false), ("app!=db", true),
            ("app=web,tier=fe", true), ("app=web,tier=be", false), ("env in (prod, qa)", true), ("env notin (prod)", false),
            ("env notin (qa)", true), ("app", true), ("!app", false), ("!missing", true), ("missing", false),
            ("missing!=x", true), ("missing notin (x)", true), ("missing in (x)", false), ("app=web, env in (prod)", true),
        ]
        for (text, expected) in cases {
            XCTAssertEqual(try LabelSelector(parsing: text).matches(labels), expected, text)
        }
        XCTAssertEqual(try LabelSelector(parsing: "a in (x,y),b!=c,!d").description, "a in (x,y),b!=c,!d")
    }

    func testLabelSelectorErrorsAreBadRequests() {
        for text in ["a in b", "a in (x", "=x", "a=b=c", "a b", "a in ()", "-bad=x", "a=in valid", "a,,b", "app=" + String(repeating: "x", count: 64)] {
            XCTAssertThrowsError(try LabelSelector(parsing: text), text) { error in
                let error = error as? KubeError
                XCTAssertEqual(error?.code, 400, text)
                XCTAssertEqual(error?.reason, .badRequest, text)
                XCTAssertTrue(error?.message.contains("unable to parse requirement") ?? false, "\(text): \(String(describing: error))")
            }
        }
    }

    func testSelectorsFromObjects() throws {
        let selector = try LabelSelector(json: json(#"{"matchLabels":{"app":"web"},"matchExpressions":[{"key":"env","operator":"In","values":["prod"]},{"key":"canary","operator":"DoesNotExist"}]}"#))
        XCTAssertTrue(selector.matches(["app": "web", "env": "prod"]))
        XCTAssertFalse(selector.matches(["app": "web", "env": "prod", "canary": "1"]))
        XCTAssertFalse(selector.matches(["app": "web", "env": "qa"]))
        XCTAssertThrowsError(try LabelSelector(json: json(#"{"matchExpressions":[{"key":"a","operator":"Near"}]}"#)))
        let rc = LabelSelector(map: json(#"{"app":"web","tier":"fe"}"#))
        XCTAssertEqual(rc?.description, "app=web,tier=fe")
        XCTAssertEqual(rc?.matches(["app": "web", "tier": "fe", "x": "y"]), true)
        XCTAssertEqual(rc?.matches(["app": "web"]), false)
    }

    func testFieldSelectors() throws {
        let pod = json(#"{"metadata":{"name":"web","namespace":"default"},"spec":{"nodeName":"agent-1"},"status":{"phase":"Running","podIP":"10.1.0.5"}}"#)
        for (text, expected) in [("metadata.name=web", true), ("metadata.name==web", true), ("metadata.name!=web", false),
                                 ("metadata.namespace=default,status.phase=Running", true), ("spec.nodeName=agent-2", false),
                                 ("status.podIP=10.1.0.5", true), ("status.phase!=Pending", true)] {
            let selector = try FieldSelector(parsing: text)
            XCTAssertNoThrow(try selector.validate(for: .pods))
            XCTAssertEqual(selector.matches(pod, resource: .pods), expected, text)
        }
        let event = json(#"{"metadata":{"name":"e1","namespace":"default"},"involvedObject":{"kind":"Pod","name":"web","namespace":"default","uid":"u-1"},"reason":"Scheduled","type":"Normal"}"#)
        let describe = try FieldSelector(parsing: "involvedObject.namespace=default,involvedObject.uid=u-1,involvedObject.name=web")
        XCTAssertTrue(describe.matches(event, resource: .events))
        XCTAssertFalse(try FieldSelector(parsing: "involvedObject.kind=ReplicationController").matches(event, resource: .events))
        XCTAssertTrue(try FieldSelector(parsing: #"reason=Sch\,x"#).requirements.first?.value == "Sch,x")
    }

    func testFieldSelectorErrors() throws {
        XCTAssertThrowsError(try FieldSelector(parsing: "metadata.name")) { XCTAssertEqual(($0 as? KubeError)?.code, 400) }
        XCTAssertThrowsError(try FieldSelector(parsing: "=x")) { XCTAssertEqual(($0 as? KubeError)?.code, 400) }
        XCTAssertThrowsError(try FieldSelector(parsing: "spec.foo=x").validate(for: .pods)) { error in
            XCTAssertEqual((error as? KubeError)?.code, 400)
            XCTAssertTrue((error as? KubeError)?.message.contains("field label not supported: spec.foo") ?? false)
        }
        XCTAssertThrowsError(try FieldSelector(parsing: "status.phase=Running").validate(for: .services))
    }
}
