@testable import PodNetwork
import XCTest

final class ServiceProxyPlanTests: XCTestCase {
    private let ip1 = IPv4Address("10.96.0.1")!
    private let ip2 = IPv4Address("10.96.0.2")!
    private let backend = ServiceEndpoint(ip: IPv4Address("10.88.1.5")!, port: 8080)

    private func rule(_ name: String, _ ip: IPv4Address, _ port: Int, _ proto: ServiceProtocol = .tcp,
                      endpoints: [ServiceEndpoint]? = nil) -> ServiceRule {
        ServiceRule(serviceName: name, namespace: "default", clusterIP: ip, port: port, protocol: proto,
                    endpoints: endpoints ?? [backend])
    }

    func testNewRulesAddTheirAddressesAndListeners() {
        let plan = ServiceProxyPlan.make(rules: [rule("a", ip1, 80), rule("a", ip1, 443), rule("b", ip2, 80)],
                                         listening: [], addresses: [])
        XCTAssertEqual(plan.addressesToAdd, [ip1, ip2])
        XCTAssertEqual(Set(plan.listenersToOpen.keys), [ServiceAddress(ip: ip1, port: 80), ServiceAddress(ip: ip1, port: 443),
                                                        ServiceAddress(ip: ip2, port: 80)])
        XCTAssertEqual(plan.listenersToClose, [])
        XCTAssertEqual(plan.addressesToRemove, [])
    }

    func testChangedAndRemovedRules() {
        let listening: Set = [ServiceAddress(ip: ip1, port: 80), ServiceAddress(ip: ip1, port: 443), ServiceAddress(ip: ip2, port: 80)]
        let other = ServiceEndpoint(ip: IPv4Address("10.88.2.7")!, port: 8080)
        let plan = ServiceProxyPlan.make(rules: [rule("a", ip1, 80, endpoints: [other])], listening: listening, addresses: [ip1, ip2])
        XCTAssertEqual(plan.addressesToAdd, [])
        XCTAssertEqual(plan.listenersToOpen, [:])
        XCTAssertEqual(plan.endpointUpdates, [ServiceAddress(ip: ip1, port: 80): [other]])
        XCTAssertEqual(plan.listenersToClose, [ServiceAddress(ip: ip1, port: 443), ServiceAddress(ip: ip2, port: 80)])
        XCTAssertEqual(plan.addressesToRemove, [ip2], "ip1 is still used by port 80")
    }

    func testUDPBadPortsAndDuplicatesAreReportedNotServed() {
        let plan = ServiceProxyPlan.make(rules: [rule("dns", ip1, 53, .udp), rule("zero", ip2, 0), rule("first", ip2, 80),
                                                 rule("second", ip2, 80)], listening: [], addresses: [])
        XCTAssertEqual(plan.problems.map(\.service), ["default/dns", "default/zero", "default/second"])
        XCTAssertEqual(plan.problems.map(\.error.kind), [.proxyFailed, .invalidArgument, .proxyFailed])
        XCTAssertTrue(plan.problems[2].error.message.contains("default/first"))
        XCTAssertEqual(Array(plan.listenersToOpen.keys), [ServiceAddress(ip: ip2, port: 80)])
        XCTAssertEqual(plan.addressesToAdd, [ip2])
    }

    func testRotationGoesRoundAndRestartsWhenTheListChanges() {
        let a = ServiceEndpoint(ip: ip1, port: 1), b = ServiceEndpoint(ip: ip1, port: 2), c = ServiceEndpoint(ip: ip1, port: 3)
        let rotation = EndpointRotation([a, b, c])
        XCTAssertEqual((0..<7).compactMap { _ in rotation.next() }, [a, b, c, a, b, c, a])
        rotation.replace([a, b, c])
        XCTAssertEqual(rotation.next(), b, "an identical list keeps the turn")
        rotation.replace([c, a])
        XCTAssertEqual((0..<3).compactMap { _ in rotation.next() }, [c, a, c])
        rotation.replace([])
        XCTAssertNil(rotation.next())
    }
}
