import FairwayCore
import FairwayProto
import XCTest

final class ResourcesTests: XCTestCase {
    func testScalarsKeepThreeDecimalPlacesExactly() {
        var total = Resources()
        for _ in 0..<10 { total += Resources(scalars: ["cpus": 0.1]) }
        XCTAssertEqual(total.scalar("cpus"), 1.0, "ten times 0.1 cpus is exactly one cpu")
        XCTAssertEqual(Scalar(0.0004).millis, 0, "below a thousandth rounds away")
        XCTAssertEqual(Scalar(1.2345).millis, 1235)
        XCTAssertEqual((Resources(scalars: ["cpus": 0.3]) - Resources(scalars: ["cpus": 0.1])).scalar("cpus"), 0.2)
    }

    func testSubtractionFloorsAtZeroAndContainment() {
        let agent = Resources(scalars: ["cpus": 4, "mem": 8192])
        let task = Resources(scalars: ["cpus": 1, "mem": 1024])
        XCTAssertTrue(agent.contains(task))
        XCTAssertFalse(task.contains(agent))
        let left = task - agent
        XCTAssertTrue(left.isEmpty, "subtracting more than there is leaves nothing, not negative amounts")
        XCTAssertFalse(agent.contains(Resources(scalars: ["gpus": 1])), "a resource the agent lacks does not fit")
    }

    func testRangesMergeSplitAndContain() {
        var ports = ValueRanges([31000...31005, 31006...31010, 32000...32000])
        XCTAssertEqual(ports.ranges, [31000...31010, 32000...32000], "adjacent ranges merge")
        XCTAssertEqual(ports.count, 12)
        ports.remove(31003...31004)
        XCTAssertEqual(ports.ranges, [31000...31002, 31005...31010, 32000...32000])
        XCTAssertTrue(ports.contains(ValueRanges([31005...31007])))
        XCTAssertFalse(ports.contains(ValueRanges([31002...31005])))
    }

    func testSetsAddAndSubtract() {
        let a = Resources([ResourceKey(name: "zones"): .set(["a", "b"])])
        let b = Resources([ResourceKey(name: "zones"): .set(["b"])])
        XCTAssertEqual((a - b)[ResourceKey(name: "zones")], .set(["a"]))
        XCTAssertTrue(a.contains(b))
    }

    func testParsesMesosSyntaxWithReservations() throws {
        let resources = try Resources(parsing: "cpus:4;mem:8192;disk:20000;ports:[31000-32000];cpus(batch):2;zones:{a,b}")
        XCTAssertEqual(resources.scalar("cpus"), 6)
        XCTAssertEqual(resources[ResourceKey(name: "cpus", role: "batch")], .scalar(Scalar(2)))
        XCTAssertEqual(resources[ResourceKey(name: "ports")], .ranges(ValueRanges([31000...32000])))
        XCTAssertEqual(resources.allocatable(to: "web").scalar("cpus"), 4, "another role cannot use batch's reservation")
        XCTAssertEqual(resources.allocatable(to: "batch").scalar("cpus"), 6)
        XCTAssertEqual(resources.description, "cpus:4;cpus(batch):2;disk:20000;mem:8192;ports:[31000-32000];zones:{a,b}")
    }

    func testRejectsMalformedAndNegativeResources() {
        XCTAssertThrowsError(try Resources(parsing: "cpus"))
        XCTAssertThrowsError(try Resources(parsing: "cpus:-1"))
        XCTAssertThrowsError(try Resources(parsing: "ports:[10-5]"))
        XCTAssertThrowsError(try Resources(parsing: "mem:lots"))
        var negative = Fairway_V1_Resource()
        negative.name = "cpus"
        negative.type = .scalar
        negative.scalar.value = -2
        XCTAssertThrowsError(try Resources(proto: [negative]))
    }

    func testProtoRoundTripKeepsReservationsAndRanges() throws {
        let resources = try Resources(parsing: "cpus:1.5;mem(web):512;ports:[80-80,443-443]")
        let proto = resources.proto(allocationRole: "web")
        XCTAssertEqual(try Resources(proto: proto), resources)
        let reserved = proto.first { $0.name == "mem" }
        XCTAssertEqual(reserved?.role, "web")
        XCTAssertEqual(reserved?.reservations.first?.type, .static)
        XCTAssertEqual(proto.first { $0.name == "cpus" }?.role, "*", "unreserved resources carry role '*' as Mesos's pre-refinement format")
        XCTAssertTrue(proto.allSatisfy { $0.allocationInfo.role == "web" })
    }

    func testParsesAttributes() throws {
        let attributes = try Attributes.parse("rack:a;zone:1;ports:[1-2]")
        XCTAssertEqual(attributes.map(\.name), ["rack", "zone", "ports"])
        XCTAssertEqual(attributes[0].type, .text)
        XCTAssertEqual(attributes[1].type, .scalar)
        XCTAssertEqual(Attributes.text(of: attributes[2]), "[1-2]")
        XCTAssertThrowsError(try Attributes.parse("rack"))
    }
}
