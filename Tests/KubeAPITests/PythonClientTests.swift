import Foundation
import KubeAPI
import XCTest

/// The Python `kubernetes` client from PyPI (no discovery, fixed paths, strict models) lists,
/// creates, patches, reads logs, deletes and watches pods.
final class PythonClientTests: XCTestCase {
    var api: ServedAPI!

    override func tearDown() async throws {
        await api?.shutdown()
        api = nil
    }

    func testListCreateDeleteWatch() async throws {
        guard let python = findOnPath("python3") else { throw XCTSkip("no python3 on PATH") }
        api = try await ServedAPI.start(logs: FakeLogSource())
        let probe = try await runProcess(python, ["-c", "import kubernetes; print(kubernetes.__version__)"], directory: api.directory)
        guard probe.status == 0 else {
            throw XCTSkip("the Python kubernetes client is not installed (pip install kubernetes): \(probe.errors)")
        }
        let script = try api.directory.write("client.py", Self.script)
        let result = try await runProcess(python, [script, api.kubeconfig], directory: api.directory, timeout: 120)
        XCTAssertEqual(result.status, 0, result.combined)
        let lines = result.output.split(separator: "\n").map(String.init)
        for expected in ["listed 0", "created py-1", "labels app=py", "patched tier=fe", "log main", "scaled 4",
                         "watch ADDED py-1", "watch DELETED py-1", "raw-watch ADDED py-2", "not found 404", "deleted py-2", "listed 0"] {
            XCTAssertTrue(lines.contains(expected), "missing \(expected) in:\n\(result.combined)")
        }
        let watchers = await api.store.watcherCount
        XCTAssertEqual(watchers, 0)
    }

    static let script = #"""
    import json, sys, urllib.request
    from kubernetes import client, config, watch
    from kubernetes.client.rest import ApiException

    config.load_kube_config(config_file=sys.argv[1])
    v1 = client.CoreV1Api()
    print("listed", len(v1.list_namespaced_pod("default").items))
    before = v1.list_namespaced_pod("default").metadata.resource_version
    pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "py-1", "labels": {"app": "py"}},
           "spec": {"containers": [{"name": "main", "image": "busybox", "command": ["sleep", "60"]}]}}
    created = v1.create_namespaced_pod("default", pod)
    print("created", created.metadata.name)
    found = v1.list_namespaced_pod("default", label_selector="app=py").items
    print("labels", ",".join(k + "=" + v for k, v in found[0].metadata.labels.items()))
    patched = v1.patch_namespaced_pod("py-1", "default", {"metadata": {"labels": {"tier": "fe"}}})
    print("patched tier=" + patched.metadata.labels["tier"])
    print("log", v1.read_namespaced_pod_log("py-1", "default").split("\n")[0])
    rc = {"apiVersion": "v1", "kind": "ReplicationController", "metadata": {"name": "py-rc"},
          "spec": {"replicas": 1, "template": {"metadata": {"labels": {"app": "py-rc"}},
                   "spec": {"containers": [{"name": "main", "command": ["sleep", "60"]}]}}}}
    v1.create_namespaced_replication_controller("default", rc)
    scale = v1.patch_namespaced_replication_controller_scale("py-rc", "default", {"spec": {"replicas": 4}})
    print("scaled", scale.spec.replicas)
    v1.read_namespaced_replication_controller("py-rc", "default")
    v1.delete_namespaced_pod("py-1", "default")
    w = watch.Watch()
    for event in w.stream(v1.list_namespaced_pod, "default", resource_version=before, timeout_seconds=2):
        print("watch", event["type"], event["object"].metadata.name)
    # The older client (22.6) sends watch=True with a capital T: the server must still watch.
    list_rv = v1.list_namespaced_pod("default").metadata.resource_version
    v1.create_namespaced_pod("default", dict(pod, metadata={"name": "py-2"}))
    host = v1.api_client.configuration.host
    url = host + "/api/v1/namespaces/default/pods?watch=True&timeoutSeconds=1&resourceVersion=" + list_rv
    with urllib.request.urlopen(url) as response:
        for line in response:
            event = json.loads(line)
            print("raw-watch", event["type"], event["object"]["metadata"]["name"])
    try:
        v1.read_namespaced_pod("nope", "default")
    except ApiException as error:
        print("not found", error.status)
    v1.delete_namespaced_pod("py-2", "default")
    print("deleted py-2")
    print("listed", len(v1.list_namespaced_pod("default").items))
    """#
}
