@testable import Agent
import Foundation
import Logging
import XCTest

final class PodNetworkIsolatorTests: XCTestCase {
    private func isolator(_ network: TestPodNetwork) -> PodNetworkIsolator {
        var logger = Logger(label: "fairway.agent.test")
        logger.logLevel = .critical
        return PodNetworkIsolator(options: network.options, agentTag: "t1", logger: logger)
    }

    func testPodsGetNamespacesWithIPsOfTheAgentSubnetAndLoseThemAgain() async throws {
        let network = try TestPodNetwork()
        defer { network.cleanUp() }
        let pods = isolator(network)

        let first = try await pods.attach(podID: "pod-a", agentID: "agent-x", hostname: "web-1", podNamespace: "shop")
        let second = try await pods.attach(podID: "pod-b", agentID: "agent-x", hostname: "web-2", podNamespace: "shop")
        let claimed = await pods.subnet
        let subnet = try XCTUnwrap(claimed)
        XCTAssertTrue(subnet.contains(first) && subnet.contains(second), "\(first) and \(second) in \(subnet)")
        XCTAssertNotEqual(first, second)
        XCTAssertTrue(first.description.hasPrefix("10.240."), first.description)
        XCTAssertEqual(Set(network.namespaces()), [pods.network.namespaceName(podID: "pod-a"), pods.network.namespaceName(podID: "pod-b")])
        let resolvConf = try String(contentsOfFile: "/etc/netns/\(pods.network.namespaceName(podID: "pod-a"))/resolv.conf", encoding: .utf8)
        XCTAssertTrue(resolvConf.contains("nameserver \(network.bridgeAddress)"), resolvConf)
        XCTAssertTrue(resolvConf.contains("search shop.svc.cluster.local"), resolvConf)

        await pods.detach(podID: "pod-a", ip: first)
        XCTAssertEqual(network.namespaces(), [pods.network.namespaceName(podID: "pod-b")])
        XCTAssertFalse(network.interfaceExists(pods.network.hostInterfaceName(podID: "pod-a")), "the veth is gone")

        // Another isolator for the same agent (a restarted agent) keeps pod-b and claims the same subnet.
        let restarted = isolator(network)
        await restarted.recover(agentID: "agent-x", keep: ["pod-b": second])
        let reclaimed = await restarted.subnet
        let again = try XCTUnwrap(reclaimed)
        XCTAssertEqual(again, subnet, "same agent id, same subnet")
        let third = try await restarted.attach(podID: "pod-c", agentID: "agent-x", hostname: "web-3", podNamespace: "shop")
        XCTAssertNotEqual(third, second, "the kept pod's IP stays taken")
        await restarted.recover(agentID: "agent-x", keep: [:])
        XCTAssertEqual(network.namespaces(), [], "namespaces of pods that no longer run are removed")
    }

    func testOffModeSaysWhy() async throws {
        let pods = PodNetworkIsolator(options: PodNetworkOptions(mode: .off), agentTag: "t2", logger: Logger(label: "test"))
        let reason = await pods.unavailableReason()
        XCTAssertEqual(reason, "pod networking is off (--pod-network off)")
        do {
            _ = try await pods.attach(podID: "p", agentID: "a", hostname: "h", podNamespace: "default")
            XCTFail("attach must fail when pod networking is off")
        } catch {
            XCTAssertTrue(error.message.contains("off"), error.message)
        }
    }

    func testFlagValuesAreChecked() throws {
        XCTAssertThrowsError(try PodNetworkOptions(mode: "maybe"))
        XCTAssertThrowsError(try PodNetworkOptions(mode: "on", podCIDR: "10.88.0.1/16"))
        XCTAssertThrowsError(try PodNetworkOptions(mode: "on", bridge: "a-bridge-name-too-long"))
        let options = try PodNetworkOptions(mode: "AUTO", bridge: "br0", podCIDR: "10.77.0.0/16", claimsDirectory: "/tmp/claims")
        XCTAssertEqual(options.mode, .auto)
        XCTAssertEqual(options.configuration(agentTag: "abc").namespacePrefix, "fwpod-abc-")
        XCTAssertEqual(options.configuration(agentTag: "abc").bridgeName, "br0")
    }
}
