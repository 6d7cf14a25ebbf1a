import Foundation
import Glibc
@testable import PodNetwork
import XCTest
import Spawning

final class SubnetClaimsTests: XCTestCase {
    private var directory = ""

    override func setUpWithError() throws {
        var template = Array("/tmp/fwt-claims-XXXXXX".utf8CString)
        directory = String(cString: try XCTUnwrap(mkdtemp(&template)))
    }

    override func tearDownWithError() throws {
        _ = try HostCommand(arguments: ["/bin/rm", "-rf", directory]).runBlocking()
    }

    private func claims(cidr: String = "10.244.0.0/16") -> SubnetClaims {
        SubnetClaims(configuration: PodNetworkConfiguration(podCIDR: IPv4Subnet(cidr)!, claimsDirectory: directory + "/claims"))
    }

    /// The pid of a process that has ended (and been reaped).
    private func deadPid() throws -> pid_t {
        let pid = try Spawn.start(["/bin/true"])
        _ = ChildSpawn.wait(pid)
        return pid
    }

    func testTwoClaimersGetDifferentSubnetsAndTheBridgeSubnetIsNeverClaimed() throws {
        let claims = claims()
        XCTAssertEqual(try claims.claim(agentID: "agent-a").description, "10.244.1.0/24")
        XCTAssertEqual(try claims.claim(agentID: "agent-b").description, "10.244.2.0/24")
        let onFile = claims.claims()
        XCTAssertEqual(onFile.map(\.agentID), ["agent-a", "agent-b"])
        XCTAssertEqual(onFile.map(\.pid), [getpid(), getpid()])
        XCTAssertNotNil(onFile.first?.startTime)
    }

    func testTheSameAgentGetsItsOwnSubnetBackAfterARestart() throws {
        let claims = claims()
        _ = try claims.claim(agentID: "agent-a")
        let mine = try claims.claim(agentID: "agent-b", pid: try deadPid())
        XCTAssertEqual(try claims.claim(agentID: "agent-b"), mine, "restarted with a new pid, same agent ID")
        XCTAssertEqual(claims.claims().first { $0.agentID == "agent-b" }?.pid, getpid())
        XCTAssertEqual(try claims.claim(agentID: "agent-b"), mine, "asking again while running")
    }

    func testADeadClaimersSubnetIsTakenOverWhenNoFreeOneIsLeft() throws {
        let claims = claims(cidr: "10.244.0.0/22")  // claimable: 10.244.1/24, .2/24, .3/24
        XCTAssertEqual(try claims.claim(agentID: "alive-1").description, "10.244.1.0/24")
        XCTAssertEqual(try claims.claim(agentID: "dead", pid: try deadPid()).description, "10.244.2.0/24")
        XCTAssertEqual(try claims.claim(agentID: "alive-2").description, "10.244.3.0/24")
        XCTAssertEqual(try claims.claim(agentID: "newcomer").description, "10.244.2.0/24")
        XCTAssertEqual(claims.claims().map(\.agentID), ["alive-1", "newcomer", "alive-2"])
        XCTAssertThrowsError(try claims.claim(agentID: "one-too-many")) { error in
            XCTAssertEqual((error as? PodNetworkError)?.kind, .subnetsExhausted)
        }
    }

    func testAReusedPidDoesNotKeepAClaimAlive() throws {
        let claims = claims(cidr: "10.244.0.0/23")  // one claimable subnet
        let subnet = try claims.claim(agentID: "old")
        // The claim names our (live) pid but another start time: the pid was reused.
        let stale = SubnetClaim(subnet: subnet, agentID: "old", pid: getpid(), startTime: 1)
        try ClaimFiles.replace(directory + "/claims/" + SubnetClaim.fileName(subnet), text: stale.fileText)
        XCTAssertEqual(try claims.claim(agentID: "new"), subnet)
    }

    func testReleaseFreesTheSubnet() throws {
        let claims = claims(cidr: "10.244.0.0/23")
        let subnet = try claims.claim(agentID: "a")
        XCTAssertThrowsError(try claims.claim(agentID: "b"))
        try claims.release(agentID: "a")
        XCTAssertEqual(try claims.claim(agentID: "b"), subnet)
    }
}
