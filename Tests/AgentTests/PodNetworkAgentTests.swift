@testable import Agent
import FairwayProto
import Foundation
import XCTest

/// Pods on a real agent with a private test bridge: one namespace and IP per task group.
final class PodNetworkAgentTests: AgentTestCase {
    func testContainersOfAPodShareOneIPAndLocalhostAndTheNetworkGoesWithThePod() async throws {
        let network = try TestPodNetwork(mode: .on)
        defer { network.cleanUp() }
        let master = FakeMaster(autoAcknowledge: true)
        let work = try temporaryDirectory()
        try PodEvents.server.write(toFile: work + "/server.py", atomically: true, encoding: .utf8)
        let agent = try await makeAgent(workDirectory: work, master: master) { $0.podNetwork = network.options }
        try await registered(agent)
        let port = 8080

        var server = PodEvents.container("a", [PodEvents.python, work + "/server.py", "\(port)", "hello-from-a"])
        server.healthCheck = PodEvents.httpLiveness(port: port, path: "/")  // from the agent to the pod IP
        var ready = Fairway_V1_CheckInfo()  // a command run inside the pod's namespace
        ready.type = .command
        ready.command.command.shell = false
        ready.command.command.value = "curl"
        ready.command.command.arguments = ["curl", "-sf", "--max-time", "1", "http://127.0.0.1:\(port)/"]
        ready.delaySeconds = 0
        ready.intervalSeconds = 0.2
        ready.timeoutSeconds = 2
        server.check = ready
        let client = PodEvents.container("b", ["/bin/sh", "-c", """
            for i in $(seq 1 200); do /usr/bin/curl -s --max-time 1 http://127.0.0.1:\(port)/ && exit 0; sleep 0.05; done; exit 1
            """])
        master.send(PodEvents.pod("pod-1", [server, client]))

        let clientDone = try await terminalUpdate("b", on: master)
        XCTAssertEqual(clientDone.status.state, .taskFinished, "container b reaches a on localhost: \(clientDone.status.message)")
        let runningA = try await eventually("a running") { master.updates(for: "a").first { $0.status.state == .taskRunning } }
        let runningB = try XCTUnwrap(master.updates(for: "b").first { $0.status.state == .taskRunning })
        let ip = try XCTUnwrap(runningA.podIP)
        XCTAssertEqual(runningB.podIP, ip, "both containers report the pod's IP")
        XCTAssertTrue(ip.hasPrefix("10.240."), ip)
        XCTAssertNil(runningA.label("fairway.pod/network"), "no host-network note in a pod network")
        let sandbox = try await completedTask("b", on: agent).sandbox
        XCTAssertEqual(contents(sandbox + "/stdout"), "hello-from-a\n")

        // The host reaches the pod by its IP over the bridge.
        let answer = try await eventually("the host to reach \(ip):\(port)") { () -> String? in
            let result = TestPodNetwork.run(["/usr/bin/curl", "-s", "--max-time", "2", "http://\(ip):\(port)/"])
            return result.status == 0 ? result.output : nil
        }
        XCTAssertEqual(answer, "hello-from-a\n")
        XCTAssertEqual(network.namespaces().count, 1)
        let healthy = try await eventually("the liveness probe to pass") {
            master.updates(for: "a").first { $0.status.reason == .taskHealthCheckStatusUpdated && $0.status.healthy }
        }
        XCTAssertEqual(healthy.podIP, ip)
        _ = try await eventually("the readiness command to pass inside the pod") {
            master.updates(for: "a").first { $0.status.reason == .taskCheckStatusUpdated && $0.status.checkStatus.command.exitCode == 0
                && $0.status.checkStatus.command.hasExitCode }
        }
        let inUse = await agent.podIsolator.addressesInUse
        XCTAssertEqual(inUse, [ip])

        master.send(Events.kill("a", gracePeriod: 0))
        let killed = try await terminalUpdate("a", on: master)
        XCTAssertEqual(killed.status.state, .taskKilled)
        try await eventually("the pod's namespace and veth to go") { network.namespaces().isEmpty && network.bridgePorts().isEmpty ? true : nil }
        try await eventually("the pod's IP to be free") { await agent.podIsolator.addressesInUse.isEmpty ? true : nil }
        let groups = await agent.pods.groups
        XCTAssertTrue(groups.isEmpty)
        await agent.shutdown(killTasks: true)
    }

    func testARestartedAgentKeepsTheNamespacesOfRunningPodsAndRemovesTheRest() async throws {
        let network = try TestPodNetwork(mode: .on)
        defer { network.cleanUp() }
        let directory = try temporaryDirectory()
        let firstMaster = FakeMaster(autoAcknowledge: true)
        let first = try await makeAgent(workDirectory: directory, master: firstMaster) { $0.podNetwork = network.options }
        try await registered(first)
        firstMaster.send(PodEvents.pod("pod-keep", [PodEvents.container("sleeper", ["/bin/sh", "-c", "echo $$ > pid; exec sleep 300"],
                                                                        policy: "Always")]))
        let running = try await eventually("the pod to run") { firstMaster.updates(for: "sleeper").first { $0.status.state == .taskRunning } }
        let ip = try XCTUnwrap(running.podIP)
        let sandboxFound = await first.state.task(TaskKey(frameworkID: "fw-1", taskID: "sleeper"))?.sandbox
        let sandbox = try XCTUnwrap(sandboxFound)
        let written = try await eventually("the container to write its pid") { self.contents(sandbox + "/pid") }
        XCTAssertEqual(Int32(written.trimmingCharacters(in: .whitespacesAndNewlines)), Int32(bitPattern: running.status.containerStatus.executorPid),
                       "behind `ip netns exec` the container keeps the pid the agent started")
        let kept = first.podIsolator.network.namespaceName(podID: "pod-keep")
        let stale = first.podIsolator.network.namespaceName(podID: "pod-gone")
        XCTAssertEqual(TestPodNetwork.run(["/usr/sbin/ip", "netns", "add", stale]).status, 0)
        await first.shutdown()  // the pod keeps running

        let secondMaster = FakeMaster(autoAcknowledge: true)
        let second = try await makeAgent(workDirectory: directory, master: secondMaster) { $0.podNetwork = network.options }
        try await registered(second)
        XCTAssertEqual(network.namespaces(), [kept], "the running pod keeps its namespace; the leftover is removed")
        let inUse = await second.podIsolator.addressesInUse
        XCTAssertEqual(inUse, [ip], "the running pod's IP stays taken")
        let restored = await second.pods.groups[ExecutorKey(frameworkID: "fw-1", executorID: "pod-keep")]
        XCTAssertEqual(restored?.ip, ip)

        secondMaster.send(Events.kill("sleeper", gracePeriod: 0))
        let killed = try await terminalUpdate("sleeper", on: secondMaster)
        XCTAssertEqual(killed.status.state, .taskKilled)
        XCTAssertEqual(killed.podIP, ip)
        try await eventually("the namespace to go with the pod") { network.namespaces().isEmpty ? true : nil }
        await second.shutdown(killTasks: true)
    }

    func testAnAgentStoppingRightAfterItsPodsEndedStillRemovesTheirNamespaces() async throws {
        let network = try TestPodNetwork(mode: .on)
        defer { network.cleanUp() }
        let master = FakeMaster(autoAcknowledge: true)
        let agent = try await makeAgent(workDirectory: try temporaryDirectory(), master: master) { $0.podNetwork = network.options }
        try await registered(agent)
        let pods = (1...5).map { "p\($0)" }
        for pod in pods { master.send(PodEvents.pod("pod-\(pod)", [PodEvents.container(pod, ["/bin/sleep", "300"])])) }
        try await eventually("every pod to run") {
            pods.allSatisfy { pod in master.updates(for: pod).contains { $0.status.state == .taskRunning } } ? true : nil
        }
        XCTAssertEqual(network.namespaces().count, 5)
        for pod in pods { master.send(Events.kill(pod, gracePeriod: 0)) }
        for pod in pods { _ = try await terminalUpdate(pod, on: master) }
        await agent.shutdown()  // at once: no agent comes back for these pods
        XCTAssertEqual(network.namespaces(), [], "the namespaces of ended pods are removed before the agent stops")
    }

    func testWithPodNetworkingOffAPodRunsOnTheHostNetworkAndSaysSo() async throws {
        let master = FakeMaster(autoAcknowledge: true)
        let agent = try await makeAgent(workDirectory: try temporaryDirectory(), master: master) {
            $0.podNetwork = PodNetworkOptions(mode: .off)
        }
        try await registered(agent)

        master.send(PodEvents.pod("pod-host", [PodEvents.container("only", ["/bin/sh", "-c", "echo hi"]),
                                               PodEvents.container("other", ["/bin/sh", "-c", "echo ho"])]))
        let finished = try await terminalUpdate("only", on: master)
        XCTAssertEqual(finished.status.state, .taskFinished, finished.status.message)
        _ = try await terminalUpdate("other", on: master)
        let running = try XCTUnwrap(master.updates(for: "only").first { $0.status.state == .taskRunning })
        XCTAssertEqual(running.podIP, "127.0.0.1", "the agent's own IP")
        XCTAssertEqual(running.label("fairway.pod/network"), "host (pod networking is off (--pod-network off))")
        XCTAssertEqual(finished.label("fairway.pod/network"), "host (pod networking is off (--pod-network off))")
        let notes = (master.updates(for: "only") + master.updates(for: "other")).filter { $0.status.message.contains("host network") }
        XCTAssertEqual(Set(notes.map(\.status.uuid)).count, 1, "said once per pod")
        XCTAssertEqual(finished.label("fairway.pod/exit-code"), "0")
    }
}
