@testable import PodNetwork
import XCTest

final class PodIPAMTests: XCTestCase {
    private func address(_ text: String) -> IPv4Address { IPv4Address(text)! }

    func testAllocatesInOrderSkippingNetworkBridgeAndBroadcast() throws {
        var ipam = PodIPAM(subnet: IPv4Subnet("10.88.0.0/29")!, reserved: [address("10.88.0.1")])
        XCTAssertEqual(ipam.capacity, 5)
        var handed: [String] = []
        for _ in 0..<5 { handed.append(try ipam.allocate().description) }
        XCTAssertEqual(handed, ["10.88.0.2", "10.88.0.3", "10.88.0.4", "10.88.0.5", "10.88.0.6"])
        XCTAssertEqual(ipam.available, 0)
    }

    func testAgentSubnetOfThePodCIDRStartsAtItsFirstHost() throws {
        let configuration = PodNetworkConfiguration()
        var ipam = PodIPAM(configuration: configuration, subnet: IPv4Subnet("10.88.1.0/24")!)
        XCTAssertEqual(ipam.capacity, 254)
        XCTAssertEqual(try ipam.allocate(), address("10.88.1.1"))
        XCTAssertEqual(try ipam.allocate(), address("10.88.1.2"))
    }

    func testFullSubnetThrowsATypedErrorThatSaysWhatToDo() throws {
        var ipam = PodIPAM(subnet: IPv4Subnet("10.88.1.0/30")!)
        _ = try ipam.allocate()
        _ = try ipam.allocate()
        XCTAssertThrowsError(try ipam.allocate()) { error in
            let failure = error as? PodNetworkError
            XCTAssertEqual(failure?.kind, .addressesExhausted)
            XCTAssertTrue(failure?.message.contains("10.88.1.0/30 is full") ?? false, "\(error)")
        }
    }

    func testReleasedAddressComesBackAfterTheRestOfTheSubnet() throws {
        var ipam = PodIPAM(subnet: IPv4Subnet("10.88.1.0/29")!)
        let first = try ipam.allocate()
        let second = try ipam.allocate()
        XCTAssertTrue(ipam.release(first))
        XCTAssertFalse(ipam.release(first), "releasing twice is a no-op")
        XCTAssertEqual(try ipam.allocate(), address("10.88.1.3"), "not reused at once")
        XCTAssertEqual(try ipam.allocate(), address("10.88.1.4"))
        XCTAssertEqual(try ipam.allocate(), address("10.88.1.5"))
        XCTAssertEqual(try ipam.allocate(), address("10.88.1.6"))
        XCTAssertEqual(try ipam.allocate(), first, "wraps round to the released address")
        XCTAssertThrowsError(try ipam.allocate())
        ipam.release(second)
        XCTAssertEqual(try ipam.allocate(), second, "a full subnet hands out whatever is released")
    }

    func testRestoresFromTheAddressesInUse() throws {
        let subnet = IPv4Subnet("10.88.2.0/24")!
        var original = PodIPAM(subnet: subnet)
        for _ in 0..<4 { _ = try original.allocate() }
        original.release(address("10.88.2.2"))
        var restored = PodIPAM(subnet: subnet, inUse: original.inUse + [address("10.99.0.1"), address("10.88.2.255")])
        XCTAssertEqual(restored.inUse, original.inUse, "foreign and broadcast addresses are ignored")
        XCTAssertEqual(restored.inUse.map(\.description), ["10.88.2.1", "10.88.2.3", "10.88.2.4"])
        XCTAssertEqual(try restored.allocate(), address("10.88.2.5"))
        XCTAssertThrowsError(try restored.markInUse(address("10.88.3.1")))
        try restored.markInUse(address("10.88.2.9"))
        XCTAssertTrue(restored.inUse.contains(address("10.88.2.9")))
    }

    func testAddressesAndSubnetsParseStrictly() {
        XCTAssertEqual(IPv4Address("10.88.1.7")?.value, 0x0A58_0107)
        for bad in ["10.88.1", "10.88.1.256", "10.088.1.1", "a.b.c.d", "10.88.1.1/24", ""] {
            XCTAssertNil(IPv4Address(bad), bad)
        }
        let cidr = IPv4Subnet("10.88.0.0/16")
        XCTAssertEqual(cidr?.firstHost.description, "10.88.0.1")
        XCTAssertEqual(cidr?.broadcast.description, "10.88.255.255")
        XCTAssertEqual(cidr?.subnet(2, prefixLength: 24)?.description, "10.88.2.0/24")
        XCTAssertNil(cidr?.subnet(256, prefixLength: 24))
        XCTAssertNil(IPv4Subnet("10.88.0.1/16"), "host bits set")
        XCTAssertNil(IPv4Subnet("10.88.0.0/33"))
    }
}
