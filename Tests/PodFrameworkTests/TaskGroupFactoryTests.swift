import FairwayCore
import FairwayProto
import KubeAPI
import PodCore
@testable import PodFramework
import XCTest

final class TaskGroupFactoryTests: XCTestCase {
    static let pod: JSON = [
        "apiVersion": "v1", "kind": "Pod",
        "metadata": ["name": "web-1", "namespace": "shop", "uid": "0f7a6f0e-1111-2222-3333-444455556666",
                     "creationTimestamp": "2026-11-26T05:00:00Z",
                     "ownerReferences": [["kind": "ReplicationController", "name": "web", "uid": "rc-uid", "controller": true]]],
        "spec": [
            "restartPolicy": "OnFailure",
            "nodeSelector": ["disk": "ssd"],
            "containers": [
                ["name": "app", "image": "python", "command": ["python3", "-m", "http.server"], "args": ["$(PORT)"],
                 "workingDir": "/srv", "env": [["name": "PORT", "value": "8080"], ["name": "URL", "value": "http://x:$(PORT)/$$(PORT)"]],
                 "ports": [["name": "http", "containerPort": 8080]],
                 "resources": ["requests": ["cpu": "250m", "memory": "64Mi"], "limits": ["cpu": "1"]],
                 "readinessProbe": ["httpGet": ["path": "/healthz", "port": 8080], "periodSeconds": 2],
                 "livenessProbe": ["exec": ["command": ["true"]], "failureThreshold": 5]],
                ["name": "side", "image": "busybox", "command": ["sleep", "600"]],
            ],
        ],
    ]

    func testAPodManifestReadsWhatPlacementAndLaunchNeed() {
        let manifest = PodManifest(json: Self.pod)
        XCTAssertEqual(manifest.containers.map(\.name), ["app", "side"])
        XCTAssertEqual(manifest.containers[0].cpus, 0.25)
        XCTAssertEqual(manifest.containers[0].memoryMB, 64)
        XCTAssertEqual(manifest.containers[1].cpus, PodManifest.defaultCPUs, "no requests: the default")
        XCTAssertEqual(manifest.controllerKey, "replicationcontroller/shop/web")
        XCTAssertEqual(manifest.definition.request.nodeSelector, ["disk": "ssd"])
        XCTAssertEqual(manifest.definition.probedContainers, ["app"])
        XCTAssertEqual(manifest.definition.request.createdAt, 1_795_669_200)
    }

    func testAPodBecomesOneGroupWithATaskPerContainer() throws {
        var agent = Fairway_V1_AgentID()
        agent.value = "A1"
        let manifest = PodManifest(json: Self.pod)
        let slices = manifest.containers.map { Resources(scalars: ["cpus": $0.cpus, "mem": $0.memoryMB]) }
        let (executor, tasks) = TaskGroupFactory().group(for: manifest, agentID: agent, resources: slices,
                                                         serviceEnvironment: [("DB_SERVICE_HOST", "10.96.0.7")])
        XCTAssertEqual(executor.executorID.value, "pod-0f7a6f0e-1111-2222-3333-444455556666")
        XCTAssertEqual(executor.container.networkInfos.first?.name, TaskGroupFactory.podNetworkName)
        XCTAssertEqual(executor.container.hostname, "web-1")
        XCTAssertEqual(tasks.map(\.taskID.value), manifest.definition.taskIDs)
        let app = tasks[0]
        XCTAssertEqual(app.command.shell, false)
        XCTAssertEqual(app.command.arguments, ["/bin/sh", "-c", "cd \"$0\" && exec \"$@\"", "/srv", "python3", "-m", "http.server", "8080"])
        let environment = Dictionary(app.command.environment.variables.map { ($0.name, $0.value) }, uniquingKeysWith: { $1 })
        XCTAssertEqual(environment["URL"], "http://x:8080/$(PORT)", "$(VAR) expands, $$ escapes")
        XCTAssertEqual(environment["DB_SERVICE_HOST"], "10.96.0.7")
        XCTAssertEqual(environment["HOSTNAME"], "web-1")
        XCTAssertEqual(app.labels.labels.first { $0.key == TaskGroupFactory.restartPolicyLabel }?.value, "OnFailure")
        XCTAssertEqual(app.check.type, .http)
        XCTAssertEqual(app.check.http.port, 8080)
        XCTAssertEqual(app.check.intervalSeconds, 2)
        XCTAssertEqual(app.healthCheck.type, .command)
        XCTAssertEqual(app.healthCheck.consecutiveFailures, 5)
        XCTAssertFalse(tasks[1].hasCheck)
        XCTAssertEqual(try Resources(proto: app.resources).scalar("cpus"), 0.25)
    }
}

final class ContainerUpdateStatusTests: XCTestCase {
    func testAMesosStatusBecomesAContainerUpdate() {
        var status = Fairway_V1_TaskStatus()
        status.taskID.value = "uid.app"
        status.agentID.value = "A1"
        status.state = .taskFailed
        status.message = "Command exited with status 3: oops"
        var address = Fairway_V1_NetworkInfo.IPAddress()
        address.ipAddress = "10.88.1.5"
        var network = Fairway_V1_NetworkInfo()
        network.ipAddresses = [address]
        status.containerStatus.networkInfos = [network]
        var update = ContainerUpdate(status: status)
        XCTAssertEqual(update.kind, .failed)
        XCTAssertEqual(update.exitCode, 3)
        XCTAssertEqual(update.podIP, "10.88.1.5")
        XCTAssertNil(update.ready)

        status.state = .taskRunning
        status.checkStatus.type = .http
        status.checkStatus.http.statusCode = 503
        var restarts = Fairway_V1_Label()
        restarts.key = ContainerUpdate.restartsLabel
        restarts.value = "2"
        status.labels.labels = [restarts]
        update = ContainerUpdate(status: status)
        XCTAssertEqual(update.ready, false)
        XCTAssertEqual(update.restartCount, 2)
        XCTAssertEqual(ContainerUpdate.exitCode(inMessage: "Command terminated by signal SIGKILL"), 137)
    }

    func testAPodStatusSurvivesARoundTripThroughJSON() {
        var status = PodStatusView()
        status.nodeName = "agent1"
        status.podIP = "10.88.1.5"
        status.startTime = 1_795_669_200
        status.containers = [ContainerStatusView(name: "app", state: .running(startedAt: 1_795_669_201), ready: true, restartCount: 1),
                             ContainerStatusView(name: "side", state: .terminated(ContainerTermination(exitCode: 2, reason: "Error",
                                                                                                          finishedAt: 1_795_669_210)))]
        status.setCondition("PodScheduled", true, now: 1_795_669_200)
        status.refresh(now: 1_795_669_202)
        var pod: JSON = ["spec": ["nodeName": "agent1"]]
        pod["status"] = status.json
        let back = PodStatusView(json: pod)
        XCTAssertEqual(back, status)
    }
}
