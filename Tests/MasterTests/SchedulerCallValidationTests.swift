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

    func testAcknowledgeManyNeedsItsListAndEveryUUIDValid() {
        var call = Fairway_V1_Scheduler_Call()
        call.type = .acknowledgeMany
        call.frameworkID.value = "f"
        XCTAssertEqual(SchedulerCallValidation.problem(with: call), "Expecting 'acknowledge_many' to be present")
        var good = Fairway_V1_Scheduler_Call.Acknowledge()
        good.uuid = Data(repeating: 7, count: 16)
        var bad = good
        bad.uuid = Data([1])
        call.acknowledgeMany.acknowledgements = [good]
        XCTAssertNil(SchedulerCallValidation.problem(with: call))
        call.acknowledgeMany.acknowledgements = [good, bad]
        XCTAssertEqual(SchedulerCallValidation.problem(with: call), "Not a valid UUID in 'acknowledge_many'")
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
