import Foundation
import KubeAPI
import XCTest

final class TableTests: XCTestCase {
    let now = Date(timeIntervalSince1970: 1_700_000_200)

    func pod(_ status: String) -> JSON {
        json("""
            {"metadata":{"name":"web","creationTimestamp":"2023-11-14T22:13:20Z"},
             "spec":{"nodeName":"agent-1","containers":[{"name":"a"},{"name":"b"}]},
             "status":\(status)}
            """)
    }

    func row(_ pod: JSON) -> [JSON] { KubeTable.cells(for: .pods, object: pod, now: now) }

    func testPodColumnsAndStatuses() {
        let running = pod(#"{"phase":"Running","podIP":"10.1.0.4","containerStatuses":[{"name":"a","ready":true,"restartCount":2,"state":{"running":{}}},{"name":"b","ready":true,"restartCount":1,"state":{"running":{}}}]}"#)
        XCTAssertEqual(row(running), ["web", "2/2", "Running", 3, "3m20s", "10.1.0.4", "agent-1", "<none>", "<none>"])
        let creating = pod(#"{"phase":"Pending","containerStatuses":[{"name":"a","state":{"waiting":{"reason":"ContainerCreating"}}}]}"#)
        XCTAssertEqual(row(creating)[2], "ContainerCreating")
        let crashing = pod(#"{"phase":"Running","containerStatuses":[{"name":"a","restartCount":5,"state":{"waiting":{"reason":"CrashLoopBackOff"}}},{"name":"b","ready":true,"state":{"running":{}}}]}"#)
        XCTAssertEqual(row(crashing)[1], "1/2")
        XCTAssertEqual(row(crashing)[2], "CrashLoopBackOff")
        let completed = pod(#"{"phase":"Succeeded","containerStatuses":[{"name":"a","state":{"terminated":{"reason":"Completed","exitCode":0}}}]}"#)
        XCTAssertEqual(row(completed)[2], "Completed")
        let failed = pod(#"{"phase":"Failed","containerStatuses":[{"name":"a","state":{"terminated":{"reason":"Error","exitCode":1}}}]}"#)
        XCTAssertEqual(row(failed)[2], "Error")
        let killed = pod(#"{"phase":"Failed","containerStatuses":[{"name":"a","state":{"terminated":{"signal":9,"exitCode":137}}}]}"#)
        XCTAssertEqual(row(killed)[2], "Signal:9")
        XCTAssertEqual(row(pod(#"{"phase":"Pending"}"#))[2], "Pending")
        var terminating = running
        terminating[path: "metadata", "deletionTimestamp"] = "2023-11-14T22:16:00Z"
        XCTAssertEqual(row(terminating)[2], "Terminating")
    }

    func testTableShape() {
        let table = KubeTable.table(for: .pods, objects: [pod(#"{"phase":"Pending"}"#)], resourceVersion: "12", now: now)
        XCTAssertEqual(table.string("kind"), "Table")
        XCTAssertEqual(table.string("apiVersion"), "meta.k8s.io/v1")
        XCTAssertEqual(table.string("metadata", "resourceVersion"), "12")
        let columns = table["columnDefinitions"]?.arrayValue ?? []
        XCTAssertEqual(columns.compactMap { $0.string("name") }, ["Name", "Ready", "Status", "Restarts", "Age", "IP", "Node", "Nominated Node", "Readiness Gates"])
        XCTAssertEqual(columns.compactMap { $0["priority"]?.intValue }, [0, 0, 0, 0, 0, 1, 1, 1, 1])
        let object = table["rows"]?[0]?["object"]
        XCTAssertEqual(object?.string("kind"), "PartialObjectMetadata")
        XCTAssertEqual(object?.string("metadata", "name"), "web")
        XCTAssertNil(object?["spec"])
        let full = KubeTable.table(for: .pods, objects: [pod("{}")], resourceVersion: nil, now: now, includeObject: .object)
        XCTAssertEqual(full["rows"]?[0]?["object"]?.string("spec", "nodeName"), "agent-1")
    }

    func testServiceAndControllerRows() {
        let service = json(#"{"metadata":{"name":"web","creationTimestamp":"2023-11-14T22:13:20Z"},"spec":{"type":"ClusterIP","clusterIP":"10.96.0.10","selector":{"app":"web","tier":"fe"},"ports":[{"port":80,"protocol":"TCP"},{"port":53,"protocol":"UDP"}]}}"#)
        XCTAssertEqual(KubeTable.cells(for: .services, object: service, now: now),
                       ["web", "ClusterIP", "10.96.0.10", "<none>", "80/TCP,53/UDP", "3m20s", "app=web,tier=fe"])
        let rc = json(#"{"metadata":{"name":"web","creationTimestamp":"2023-11-14T22:13:20Z"},"spec":{"replicas":5,"selector":{"app":"web"},"template":{"spec":{"containers":[{"name":"a","image":"busybox"},{"name":"b","image":"nginx"}]}}},"status":{"replicas":3,"readyReplicas":2}}"#)
        XCTAssertEqual(KubeTable.cells(for: .replicationControllers, object: rc, now: now), ["web", 5, 3, 2, "3m20s", "a,b", "busybox,nginx", "app=web"])
        XCTAssertEqual(KubeTable.columns(for: .replicationControllers).map(\.name), ["Name", "Desired", "Current", "Ready", "Age", "Containers", "Images", "Selector"])
        let namespace = json(#"{"metadata":{"name":"team","creationTimestamp":"2023-11-14T22:13:20Z"},"status":{"phase":"Active"}}"#)
        XCTAssertEqual(KubeTable.cells(for: .namespaces, object: namespace, now: now), ["team", "Active", "3m20s"])
    }

    func testAgesAsKubectlPrintsThem() {
        let cases: [(TimeInterval, String)] = [(-5, "<invalid>"), (-1, "0s"), (5, "5s"), (119, "119s"), (200, "3m20s"), (300, "5m"),
                                               (900, "15m"), (3 * 3600 + 300, "3h5m"), (10 * 3600, "10h"), (2 * 86400 + 3 * 3600, "2d3h"),
                                               (9 * 86400, "9d"), (800 * 86400, "2y70d"), (3000 * 86400, "8y")]
        for (interval, text) in cases {
            XCTAssertEqual(Timestamps.humanDuration(interval), text, "\(interval)")
        }
        XCTAssertEqual(Timestamps.format(Date(timeIntervalSince1970: 1_700_000_000.7)), "2023-11-14T22:13:20Z")
        XCTAssertEqual(Timestamps.parse("2023-11-14T22:13:20Z")?.timeIntervalSince1970, 1_700_000_000)
        XCTAssertEqual(Timestamps.parse("2023-11-14T23:13:20.5+01:00")?.timeIntervalSince1970, 1_700_000_000.5)
    }
}

final class KubeConfigTests: XCTestCase {
    func testKubeconfigNamesEverythingFairway() {
        let plain = KubeConfig.yaml(server: "http://127.0.0.1:6443")
        for line in ["current-context: fairway", "    server: \"http://127.0.0.1:6443\"", "    namespace: \"default\"", "    cluster: fairway",
                     "    user: fairway", "- name: fairway", "  user:", "    {}"] {
            XCTAssertTrue(plain.split(separator: "\n").contains(Substring(line)), "\(line) in\n\(plain)")
        }
        let secured = KubeConfig.yaml(server: "https://10.0.0.1:6443", token: "abc\"def", certificateAuthorityData: "Q0E=")
        XCTAssertTrue(secured.contains("    token: \"abc\\\"def\"\n"), secured)
        XCTAssertTrue(secured.contains("    certificate-authority-data: Q0E=\n"), secured)
    }
}
