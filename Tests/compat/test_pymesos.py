"""Compatibility: Mesos framework clients from PyPI, unchanged, run tasks on a real Fairway cluster.

- pymesos 0.3.15 (JSON over a raw socket, RecordIO parsed by hand, implicit acknowledgements);
- the pymesos example in examples/pymesos;
- mesoshttp (JSON over `requests`, RecordIO parsed line by line);
- a framework written here with nothing but http.client, which checks the wire details the
  libraries depend on (status codes, chunking, Mesos-Stream-Id, RecordIO framing).

The packages come from scripts/install-python-deps (run by `make test`). The cluster fixture is in
conftest.py. Expected behaviour is that of the Mesos v1 scheduler HTTP API.
"""

import http.client
import importlib
import json
import os
import pwd
import re
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = REPO_ROOT / "examples" / "pymesos" / "hello_framework.py"
TERMINAL_STATES = {
    "TASK_FINISHED", "TASK_FAILED", "TASK_KILLED", "TASK_ERROR", "TASK_LOST",
    "TASK_DROPPED", "TASK_GONE", "TASK_GONE_BY_OPERATOR",
}
# What a command task that succeeds reports: TASK_STARTING is optional in Mesos.
SUCCESSFUL_SEQUENCES = (
    ["TASK_RUNNING", "TASK_FINISHED"],
    ["TASK_STARTING", "TASK_RUNNING", "TASK_FINISHED"],
)
TASK_TIMEOUT = 60.0


def require(module):
    """Imports a client library; a clear failure when scripts/install-python-deps has not run."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        pytest.fail(f"cannot import {module} ({exc}); install the test clients with "
                    f"scripts/install-python-deps", pytrace=False)


def optional_import(module):
    try:
        return importlib.import_module(module)
    except ImportError:
        return None  # the test that needs it fails through require()


pymesos = optional_import("pymesos")


def current_user():
    return pwd.getpwuid(os.getuid()).pw_name


def collapse_repeats(states):
    """Status updates are delivered at least once: drop consecutive duplicates."""
    collapsed = []
    for state in states:
        if not collapsed or collapsed[-1] != state:
            collapsed.append(state)
    return collapsed


def task_info(task_id, agent_id, command):
    """A command TaskInfo in Mesos JSON, with the resources every test task uses."""
    return {
        "name": task_id,
        "task_id": {"value": task_id},
        "agent_id": {"value": agent_id},
        "resources": [
            {"name": "cpus", "type": "SCALAR", "scalar": {"value": 0.1}},
            {"name": "mem", "type": "SCALAR", "scalar": {"value": 32}},
        ],
        "command": {"value": command, "shell": True},
    }


def offer_fits(offer, cpus=0.1, mem=32):
    totals = {}
    for resource in offer.get("resources", []):
        if resource.get("type") == "SCALAR":
            totals[resource["name"]] = totals.get(resource["name"], 0) + resource["scalar"]["value"]
    return totals.get("cpus", 0) >= cpus and totals.get("mem", 0) >= mem


def assert_task_finished_in_sandbox(cluster, framework_id, task_id, agent_id, file_name, expected):
    """The master lists the task TASK_FINISHED under the framework, on the agent the updates named,
    and the file the task wrote is in its sandbox, readable through the agent's /files/read."""
    task = cluster.wait_until_task_state(framework_id, task_id, "TASK_FINISHED")
    assert task.get("slave_id") == agent_id, f"master places {task_id} on {task.get('slave_id')}, updates said {agent_id}"

    found = cluster.find_executor(framework_id, task_id)
    assert found is not None, f"no agent's /state lists an executor for task {task_id}"
    agent, executor = found
    assert cluster.slave_for(agent)["id"] == agent_id, "the task's sandbox is on another agent than the one that ran it"
    sandbox = Path(executor["directory"])
    assert sandbox.is_absolute() and sandbox.resolve().is_relative_to(agent.work_dir.resolve()), \
        f"sandbox {sandbox} is not under agent{agent.index}'s work dir {agent.work_dir}"

    assert cluster.read_file(agent, sandbox / file_name) == expected
    assert (sandbox / file_name).read_text() == expected


# --- pymesos ------------------------------------------------------------------------------------

class RecordingScheduler(pymesos.Scheduler if pymesos else object):
    """A pymesos scheduler that launches one task on the first offer that fits, declines every
    other offer, and records what it is told. pymesos.Scheduler supplies the callbacks not
    overridden here."""

    def __init__(self, task_id, command):
        self.task_id = task_id
        self.command = command
        self.lock = threading.Lock()
        self.framework_id = None
        self.launched_on = None  # agent id
        self.updates = []  # the status dicts, in arrival order
        self.errors = []

    # pymesos.Scheduler's methods (pymesos calls them from its I/O thread)

    def registered(self, driver, framework_id, master_info):
        with self.lock:
            self.framework_id = framework_id["value"]

    def resourceOffers(self, driver, offers):
        for offer in offers:
            with self.lock:
                launch = self.launched_on is None and offer_fits(offer)
                if launch:
                    self.launched_on = offer["agent_id"]["value"]
            if launch:
                driver.launchTasks(offer["id"], [task_info(self.task_id, self.launched_on, self.command)])
            else:
                driver.declineOffer(offer["id"], filters={"refuse_seconds": 60})

    def statusUpdate(self, driver, status):
        with self.lock:
            self.updates.append(dict(status))

    def error(self, driver, message):
        with self.lock:
            self.errors.append(message)

    # For the test

    def states(self):
        with self.lock:
            return [u["state"] for u in self.updates]

    def terminal(self):
        return any(s in TERMINAL_STATES for s in self.states()) or bool(self.errors)


def record_acknowledgements(driver):
    """Observes pymesos's implicit acknowledgements: pymesos sends ACKNOWLEDGE for every update
    that carries a uuid and raises if the master does not answer 2xx. Returns the list of
    (task id, state) acknowledged, filled as acknowledgements succeed."""
    acknowledged = []
    send_acknowledgement = driver.acknowledgeStatusUpdate

    def acknowledge(status):
        send_acknowledgement(status)
        if "uuid" in status:
            acknowledged.append((status["task_id"]["value"], status["state"]))

    driver.acknowledgeStatusUpdate = acknowledge
    return acknowledged


def stop_pymesos(driver, timeout=15.0):
    driver.stop()  # not a failover: pymesos sends TEARDOWN
    joiner = threading.Thread(target=driver.join, daemon=True)
    joiner.start()
    joiner.join(timeout)


def test_pymesos_launches_a_task_that_writes_a_file(cluster):
    require("pymesos")
    token = uuid.uuid4().hex[:12]
    task_id = f"pymesos-{token}"
    expected = f"hello from pymesos {token}\n"
    scheduler = RecordingScheduler(task_id, f"echo 'hello from pymesos {token}' > pymesos.txt")
    driver = pymesos.MesosSchedulerDriver(
        scheduler, {"user": current_user(), "name": "compat-pymesos"}, cluster.master_address)
    acknowledged = record_acknowledgements(driver)

    driver.start()
    try:
        cluster.wait_until(scheduler.terminal, TASK_TIMEOUT, f"pymesos to see task {task_id} end")
        assert scheduler.errors == [], f"the master sent ERROR events: {scheduler.errors}"
        assert scheduler.framework_id, "pymesos never called registered()"
        states = scheduler.states()
        assert collapse_repeats(states) in SUCCESSFUL_SEQUENCES, f"status updates for {task_id}: {states}"

        for update in scheduler.updates:
            assert update["task_id"]["value"] == task_id
            # pymesos acknowledges only updates with a uuid, and needs agent_id to do so.
            assert "uuid" in update, f"{update['state']} update has no uuid, so it cannot be acknowledged"
            assert update.get("agent_id", {}).get("value") == scheduler.launched_on, \
                f"{update['state']} update names agent {update.get('agent_id')}, task was launched on {scheduler.launched_on}"
        cluster.wait_until(
            lambda: {"TASK_RUNNING", "TASK_FINISHED"} <= {s for t, s in acknowledged if t == task_id},
            10, "pymesos's acknowledgements of TASK_RUNNING and TASK_FINISHED to be accepted")

        assert_task_finished_in_sandbox(cluster, scheduler.framework_id, task_id, scheduler.launched_on,
                                        "pymesos.txt", expected)
    finally:
        stop_pymesos(driver)


def test_hello_framework_example_finishes_three_tasks(cluster):
    status, output = cluster.run_framework(
        [sys.executable, str(EXAMPLE), cluster.master_address, "--tasks", "3", "--timeout", "90"],
        timeout=120)
    assert status == 0, f"hello_framework.py exited {status}; its output:\n{output}"
    finished = set(re.findall(r"^(\S+)\s+TASK_FINISHED\b", output, re.M))
    assert len(finished) == 3, f"expected 3 distinct tasks to print TASK_FINISHED:\n{output}"
    # Each task wrote out.txt in its sandbox, under one of the agents' work directories.
    files = {path.resolve() for agent in cluster.agents for path in agent.work_dir.rglob("out.txt")}
    written = sorted(path.read_text() for path in files)
    assert written == sorted(f"hello from {task_id}\n" for task_id in finished), \
        f"out.txt files in the agents' sandboxes: {written}"


# --- mesoshttp ----------------------------------------------------------------------------------

@pytest.mark.filterwarnings("ignore:The 'warn' method is deprecated:DeprecationWarning")
def test_mesoshttp_launches_a_task_to_finished(cluster, monkeypatch):
    requests = require("requests")
    mesoshttp_client = require("mesoshttp.client")
    MesosClient = mesoshttp_client.MesosClient

    # mesoshttp ignores the status of its calls; record them by observing requests.post.
    calls = []
    real_post = requests.post

    def recording_post(url, data=None, *args, **kwargs):
        response = real_post(url, data, *args, **kwargs)
        try:
            call_type = json.loads(data)["type"]
        except Exception:
            call_type = "?"
        calls.append((call_type, response.status_code))
        return response

    monkeypatch.setattr(requests, "post", recording_post)

    token = uuid.uuid4().hex[:12]
    task_id = f"mesoshttp-{token}"
    expected = f"hello from mesoshttp {token}\n"
    command = f"echo 'hello from mesoshttp {token}' > mesoshttp.txt"
    lock = threading.Lock()
    seen = {"launched_on": None, "states": [], "updates": [], "errors": [], "driver": None}

    client = MesosClient(mesos_urls=[cluster.master_url], frameworkName="compat-mesoshttp",
                         frameworkUser=current_user(), max_reconnect=1)

    def on_subscribed(driver):
        with lock:
            seen["driver"] = driver

    def on_offers(offers):
        for offer in offers:
            info = offer.get_offer()
            with lock:
                launch = seen["launched_on"] is None and offer_fits(info)
                if launch:
                    seen["launched_on"] = info["agent_id"]["value"]
            if launch:
                offer.accept([task_info(task_id, info["agent_id"]["value"], command)])
            else:
                offer.decline({"filters": {"refuse_seconds": 60}})

    def on_update(update):  # mesoshttp has acknowledged it already
        with lock:
            seen["updates"].append(update["status"])
            seen["states"].append(update["status"]["state"])

    def on_error(message):
        with lock:
            seen["errors"].append(message)

    client.on(MesosClient.SUBSCRIBED, on_subscribed)
    client.on(MesosClient.OFFERS, on_offers)
    client.on(MesosClient.UPDATE, on_update)
    client.on(MesosClient.ERROR, on_error)
    registered = []
    loop = threading.Thread(target=lambda: registered.append(client.register()), daemon=True,
                            name="mesoshttp")
    loop.start()

    def ended():
        if not loop.is_alive():
            pytest.fail(f"mesoshttp's register() returned {registered} before the task ended; "
                        f"calls so far: {calls}", pytrace=False)
        with lock:
            return bool(seen["errors"]) or any(s in TERMINAL_STATES for s in seen["states"])

    try:
        # mesoshttp splits the stream on newlines, so it hands over each event only once the next
        # record's length has arrived: up to one heartbeat interval (15 s) late.
        cluster.wait_until(ended, TASK_TIMEOUT + 30, f"mesoshttp to see task {task_id} end")
        assert seen["errors"] == [], f"the master sent ERROR events: {seen['errors']}"
        assert collapse_repeats(seen["states"]) in SUCCESSFUL_SEQUENCES, \
            f"status updates for {task_id}: {seen['states']}"
        assert ("SUBSCRIBE", 200) in calls, f"mesoshttp calls: {calls}"
        assert ("ACCEPT", 202) in calls, f"mesoshttp calls: {calls}"
        acknowledgements = [status for call, status in calls if call == "ACKNOWLEDGE"]
        assert len(acknowledgements) >= len(seen["updates"]) and set(acknowledgements) == {202}, \
            f"every update should be acknowledged with 202; mesoshttp calls: {calls}"
        assert_task_finished_in_sandbox(cluster, client.frameworkId, task_id, seen["launched_on"],
                                        "mesoshttp.txt", expected)
    finally:
        client.stop = True  # mesoshttp's loop checks this on its next event
        with lock:
            driver = seen["driver"]
        if driver is not None:
            driver.tearDown()
        loop.join(timeout=5)
    assert ("TEARDOWN", 202) in calls, f"mesoshttp calls: {calls}"


# --- the wire, with no library ------------------------------------------------------------------

class RecordIOStream:
    """Reads RecordIO records ("<decimal length>\\n<that many bytes>", nothing in between) from a
    streaming HTTP response, whose chunking has nothing to do with record boundaries."""

    MAX_LENGTH_DIGITS = 20

    def __init__(self, response, sock):
        self.response = response
        self.sock = sock

    def _read(self, count, deadline):
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError("deadline passed while reading the event stream")
        self.sock.settimeout(remaining)
        try:
            data = self.response.read(count)
        except (TimeoutError, OSError) as exc:
            raise TimeoutError(f"no data on the event stream in time ({exc!r})") from exc
        if not data:
            raise EOFError("the master closed the event stream")
        return data

    def next_record(self, deadline):
        digits = b""
        while True:
            byte = self._read(1, deadline)
            if byte == b"\n":
                break
            assert byte.isdigit(), f"RecordIO: expected a decimal length, got {digits + byte!r}"
            digits += byte
            assert len(digits) <= self.MAX_LENGTH_DIGITS, f"RecordIO: length {digits!r}... is too long"
        assert digits, "RecordIO: empty record length"
        length = int(digits)
        data = b""
        while len(data) < length:
            data += self._read(length - len(data), deadline)
        return data

    def next_event(self, timeout=30.0):
        record = self.next_record(time.monotonic() + timeout)
        # mesoshttp reads the stream line by line and counts characters: records must be
        # single-line, ASCII-only JSON.
        assert b"\n" not in record, f"event JSON spans several lines: {record[:200]!r}"
        assert record.isascii(), f"event JSON is not ASCII-only: {record[:200]!r}"
        return json.loads(record)


class Subscription:
    """A SUBSCRIBE call whose response is the open event stream."""

    def __init__(self, port, body, headers):
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.connection.request("POST", "/api/v1/scheduler", body=body, headers=headers)
        sock = self.connection.sock
        self.response = self.connection.getresponse()
        self.events = RecordIOStream(self.response, sock)

    def close(self):
        self.response.close()
        self.connection.close()


def subscribe_body(name):
    return json.dumps({"type": "SUBSCRIBE", "subscribe": {"framework_info": {
        "user": current_user(), "name": name, "failover_timeout": 0}}})


JSON_HEADERS = {"Content-Type": "application/json", "Accept": "application/json"}


def scheduler_call(cluster, body, content_type="application/json", stream_id=None):
    """A non-subscribe call on its own connection; returns (status, body text)."""
    headers = {}
    if content_type is not None:
        headers["Content-Type"] = content_type
    if stream_id is not None:
        headers["Mesos-Stream-Id"] = stream_id
    if isinstance(body, dict):
        body = json.dumps(body)
    status, _, reply = cluster.request(cluster.master_port, "POST", "/api/v1/scheduler",
                                       body=body.encode(), headers=headers)
    return status, reply.decode(errors="replace")


def test_scheduler_api_wire_details(cluster):
    subscription = Subscription(cluster.master_port, subscribe_body("compat-wire"), JSON_HEADERS)
    try:
        response = subscription.response
        assert response.status == 200, f"SUBSCRIBE answered {response.status}: {response.read(2000)!r}"
        assert "chunked" in (response.getheader("Transfer-Encoding") or "").lower(), \
            f"SUBSCRIBE response is not chunked (pymesos requires it); headers: {response.getheaders()}"
        assert response.getheader("Content-Length") is None
        assert (response.getheader("Content-Type") or "").startswith("application/json")
        stream_id = response.getheader("Mesos-Stream-Id")
        assert stream_id, f"no Mesos-Stream-Id header; headers: {response.getheaders()}"
        assert len(stream_id.encode()) <= 128

        first = subscription.events.next_event()
        assert first.get("type") == "SUBSCRIBED", f"first event: {first}"
        subscribed = first["subscribed"]
        framework_id = subscribed["framework_id"]["value"]
        assert framework_id
        interval = subscribed["heartbeat_interval_seconds"]
        assert isinstance(interval, (int, float)) and interval > 0, f"heartbeat_interval_seconds: {interval!r}"
        master_info = subscribed["master_info"]
        assert master_info.get("id"), f"master_info: {master_info}"
        assert master_info.get("port") == cluster.master_port, f"master_info: {master_info}"

        second = subscription.events.next_event()
        assert second.get("type") == "HEARTBEAT", f"the event after SUBSCRIBED should be HEARTBEAT: {second}"

        revive = {"type": "REVIVE", "framework_id": {"value": framework_id}}
        status, text = scheduler_call(cluster, revive, stream_id=stream_id)
        assert status == 202, f"REVIVE with the right stream id: {status} {text!r}"

        status, text = scheduler_call(cluster, revive)
        assert status == 400, f"a call without Mesos-Stream-Id: expected 400, got {status} {text!r}"

        status, text = scheduler_call(cluster, revive, stream_id=str(uuid.uuid4()))
        assert status == 400, f"a call with a wrong Mesos-Stream-Id: expected 400, got {status} {text!r}"

        status, text = scheduler_call(cluster, revive, content_type="text/plain", stream_id=stream_id)
        assert status == 415, f"Content-Type text/plain: expected 415, got {status} {text!r}"

        status, text = scheduler_call(cluster, revive, content_type=None, stream_id=stream_id)
        assert status == 400, f"no Content-Type: expected 400, got {status} {text!r}"

        status, text = scheduler_call(cluster, '{"type": "REVIVE", "framework_id": {', stream_id=stream_id)
        assert status == 400, f"invalid JSON: expected 400, got {status} {text!r}"
        assert text.strip(), "invalid JSON was refused without a message saying why"

        # The master kept serving: the stream goes on and carries offers from the two agents.
        deadline = time.monotonic() + 30
        event = subscription.events.next_event(timeout=deadline - time.monotonic())
        while event.get("type") == "HEARTBEAT":
            event = subscription.events.next_event(timeout=deadline - time.monotonic())
        assert event.get("type") == "OFFERS", f"expected OFFERS, got {event}"
        offers = event["offers"]["offers"]
        assert offers
        agent_ids = {a["id"] for a in cluster.master_state()["slaves"]}
        for offer in offers:
            assert offer["framework_id"]["value"] == framework_id
            assert offer["agent_id"]["value"] in agent_ids
            assert offer["id"]["value"] and offer["hostname"]
            cpus = [r for r in offer["resources"] if r["name"] == "cpus"]
            assert cpus and cpus[0]["type"] == "SCALAR" and isinstance(cpus[0]["scalar"]["value"], (int, float))

        decline = {"type": "DECLINE", "framework_id": {"value": framework_id},
                   "decline": {"offer_ids": [o["id"] for o in offers], "filters": {"refuse_seconds": 60}}}
        status, text = scheduler_call(cluster, decline, stream_id=stream_id)
        assert status == 202, f"DECLINE: {status} {text!r}"

        teardown = {"type": "TEARDOWN", "framework_id": {"value": framework_id}}
        status, text = scheduler_call(cluster, teardown, stream_id=stream_id)
        assert status == 202, f"TEARDOWN: {status} {text!r}"
    finally:
        subscription.close()
    assert cluster.request(cluster.master_port, "GET", "/health")[0] == 200


def test_subscribe_carrying_a_stream_id_is_refused(cluster):
    headers = dict(JSON_HEADERS, **{"Mesos-Stream-Id": str(uuid.uuid4())})
    status, _, body = cluster.request(cluster.master_port, "POST", "/api/v1/scheduler",
                                      body=subscribe_body("compat-bad-subscribe").encode(), headers=headers)
    assert status == 400, f"SUBSCRIBE with a Mesos-Stream-Id header: expected 400, got {status} {body[:300]!r}"


def test_version_is_purely_numeric(cluster):
    reply = cluster.get_json(cluster.master_port, "/version")
    version = reply.get("version")
    # pymesos splits it on "." and int()s each part.
    assert isinstance(version, str) and re.fullmatch(r"\d+\.\d+\.\d+", version), f"/version: {reply}"
    assert tuple(int(part) for part in version.split(".")) >= (1, 0, 0)
