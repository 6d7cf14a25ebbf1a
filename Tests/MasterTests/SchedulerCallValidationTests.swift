import FairwayProto
import XCTest
@testable import Master

final class SchedulerCallValidationTests: XCTestCase {
    func testNonSubscribeCallsNeedFrameworkIDAndPayload() {
        var call = Fairway_V1_Scheduler_Call()
        call.type = .accept
        XCTAssertEqual(SchedulerCallValidation.problem(with: call), "Expecting 'framework_id' to be present")
        call.frameworkID.value = "f"
        XCTAssertEqual(SchedulerCallValidation.problem(with: call), "Expecting 'accept' to be present")
    }

    func testAcknowledgeNeedsA16ByteUUID() {
        var call = Fairway_V1_Scheduler_Call()
        call.type = .acknowledge
        call.frameworkID.value = "f"
        call.acknowledge.uuid = Data([1, 2, 3])
        XCTAssertEqual(SchedulerCallValidation.problem(with: call), "Not a valid UUID")
    }

    func testSubscribeFrameworkIDMustMatchInfo() {
        var call = Fairway_V1_Scheduler_Call()
        call.type = .subscribe
        call.subscribe = Fixtures.subscribe(id: "a")
        call.frameworkID.value = "b"
        XCTAssertEqual(SchedulerCallValidation.problem(with: call), "'framework_id' differs from 'subscribe.framework_info.id'")
    }

    func testRoleRules() {
        XCTAssertNil(RoleValidation.problem(withRole: "eng/batch"))
        XCTAssertNil(RoleValidation.problem(withRole: "*"))
        XCTAssertNotNil(RoleValidation.problem(withRole: "/eng"))
        XCTAssertNotNil(RoleValidation.problem(withRole: "eng//x"))
        XCTAssertNotNil(RoleValidation.problem(withRole: "a b"))
        XCTAssertNotNil(RoleValidation.problem(withRole: "eng/.."))
    }
}
