"""The Python kubernetes client from PyPI, unchanged, against `fairway pods` on a real cluster:
it lists, creates, watches and deletes pods, and reads a pod's log."""

import threading

import pytest

from conftest import Daemon, free_port, http_request

kubernetes = pytest.importorskip("kubernetes", reason="pip install kubernetes (scripts/install-python-deps does)")
from kubernetes import client, watch  # noqa: E402


@pytest.fixture
def api(cluster):
    port = free_port()
    work_dir = cluster.base_dir / "pods"
    daemon = Daemon("pods",
                    [str(cluster.binary), "pods", "--master", cluster.master_address, "--ip", "127.0.0.1",
                     "--api-port", str(port), "--work-dir", str(work_dir), "--no-service-network"],
                    cluster.base_dir / "pods.log", cluster.env(), cluster.base_dir)
    cluster.extra_processes.append(daemon.popen)
    cluster.wait_until(lambda: http_request(port, "GET", "/healthz", timeout=2)[0] == 200, 60,
                       f"fairway pods to answer /healthz on port {port}")
    configuration = client.Configuration()
    configuration.host = f"http://127.0.0.1:{port}"
    yield client.CoreV1Api(client.ApiClient(configuration))


def pod(name):
    return client.V1Pod(
        metadata=client.V1ObjectMeta(name=name, labels={"app": "py"}),
        spec=client.V1PodSpec(containers=[client.V1Container(
            name="main", image="busybox", command=["/bin/sh", "-c", f"echo hi from {name}; exec sleep 600"],
            resources=client.V1ResourceRequirements(requests={"cpu": "100m", "memory": "32Mi"}))]))


def test_list_create_watch_delete_pods(cluster, api):
    assert api.list_namespaced_pod("default").items == []

    events = []
    started = threading.Event()

    def collect():
        stream = watch.Watch()
        started.set()
        for event in stream.stream(api.list_namespaced_pod, "default", label_selector="app=py", timeout_seconds=30):
            events.append((event["type"], event["object"].metadata.name, event["object"].status.phase))
            if event["type"] == "DELETED":
                stream.stop()

    watcher = threading.Thread(target=collect, daemon=True)
    watcher.start()
    started.wait(5)

    created = api.create_namespaced_pod("default", pod("py-1"))
    assert created.metadata.uid
    assert created.metadata.resource_version

    cluster.wait_until(lambda: api.read_namespaced_pod("py-1", "default").status.phase == "Running", 60,
                       "pod py-1 to run")
    names = [p.metadata.name for p in api.list_namespaced_pod("default", label_selector="app=py").items]
    assert names == ["py-1"]
    cluster.wait_until(lambda: "hi from py-1" in api.read_namespaced_pod_log("py-1", "default"), 30,
                       "the pod's log to show its output")

    api.delete_namespaced_pod("py-1", "default")
    watcher.join(30)
    assert not watcher.is_alive(), "the watch ended after the DELETED event"
    types = [t for t, _, _ in events]
    assert types[0] == "ADDED"
    assert "MODIFIED" in types
    assert types[-1] == "DELETED"
    assert ("MODIFIED", "py-1", "Running") in events

    with pytest.raises(client.exceptions.ApiException) as missing:
        api.read_namespaced_pod("py-1", "default")
    assert missing.value.status == 404
