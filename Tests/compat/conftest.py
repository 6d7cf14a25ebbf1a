"""Fixtures for the client compatibility tests: a real Fairway cluster on loopback.

Each test that asks for `cluster` gets its own master and two agents, started from the binary at
$FAIRWAY_BIN (default: .build/debug/fairway in the repository), on free loopback ports, with work
directories under the test's tmp_path. When the test ends, pass or fail, every process the
cluster started is killed: the master and agents by process group, and the tasks the agents
started (which live in process groups of their own) found through the process tree, through an
environment marker, and through this process acting as their subreaper.

Everything waits on conditions with deadlines; nothing sleeps to synchronise.
"""

import ctypes
import http.client
import json
import os
import signal
import socket
import subprocess
import time
import urllib.parse
import uuid
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_BINARY = REPO_ROOT / ".build" / "debug" / "fairway"
AGENT_RESOURCES = "cpus:2;mem:2048;disk:10000;ports:[31000-32000]"
MARKER_ENV = "FAIRWAY_COMPAT_CLUSTER"

# Generous: a debug build on a busy 2-core machine can be slow to start.
MASTER_START_TIMEOUT = 60.0
AGENT_REGISTER_TIMEOUT = 60.0
GRACEFUL_STOP_TIMEOUT = 10.0
HTTP_TIMEOUT = 10.0


# --- small helpers ------------------------------------------------------------------------------

_ports_handed_out = set()


def free_port():
    """A loopback TCP port that was free a moment ago (bind to port 0, read it, close)."""
    for _ in range(100):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        if port not in _ports_handed_out:
            _ports_handed_out.add(port)
            return port
    raise RuntimeError("could not find a free loopback port")


def wait_until(predicate, timeout, what, interval=0.1, check=None):
    """Polls `predicate` until it returns something truthy, which is returned.

    Fails the test with a message naming `what` (and the last exception the predicate raised, if
    any) when `timeout` seconds pass. `check`, if given, runs on every round and may raise to
    stop early (for example when a process the test depends on has died).
    """
    deadline = time.monotonic() + timeout
    last_error = None
    while True:
        if check is not None:
            check()
        try:
            value = predicate()
            if value:
                return value
        except Exception as exc:  # the condition is not observable yet (e.g. connection refused)
            last_error = exc
        if time.monotonic() >= deadline:
            detail = f" (last error: {last_error!r})" if last_error is not None else ""
            pytest.fail(f"timed out after {timeout:g}s waiting for {what}{detail}", pytrace=False)
        time.sleep(interval)


def http_request(port, method, path, body=None, headers=None, timeout=HTTP_TIMEOUT):
    """One HTTP request to 127.0.0.1:port on a fresh connection; returns (status, headers, body)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        resp = conn.getresponse()
        return resp.status, resp.headers, resp.read()
    finally:
        conn.close()


def get_json(port, path, timeout=HTTP_TIMEOUT):
    status, _, body = http_request(port, "GET", path, timeout=timeout)
    if status != 200:
        raise AssertionError(f"GET 127.0.0.1:{port}{path} answered {status}: {body[:500]!r}")
    return json.loads(body)


def current_user():
    import pwd
    return pwd.getpwuid(os.getuid()).pw_name


# --- process bookkeeping ------------------------------------------------------------------------

def _become_subreaper():
    """Makes this process adopt orphaned descendants (Linux PR_SET_CHILD_SUBREAPER), so that task
    processes outliving a killed agent stay findable as our children instead of moving to init."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(36, 1, 0, 0, 0) == 0  # PR_SET_CHILD_SUBREAPER
    except Exception:
        return False


def _proc_table():
    """{pid: (ppid, pgid, state, starttime)} for every process we can see."""
    table = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as f:
                raw = f.read().decode("utf-8", "replace")
        except OSError:
            continue
        # The command name is in parentheses and may contain spaces: split after the last ')'.
        fields = raw[raw.rfind(")") + 2:].split()
        table[int(entry)] = (int(fields[1]), int(fields[2]), fields[0], int(fields[19]))
    return table


def _descendants(roots, table):
    children = {}
    for pid, entry in table.items():
        children.setdefault(entry[0], []).append(pid)
    found, todo = set(), list(roots)
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def _pids_with_marker(marker):
    needle = f"{MARKER_ENV}={marker}".encode()
    pids = set()
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/environ", "rb") as f:
                if needle in f.read().split(b"\0"):
                    pids.add(int(entry))
        except OSError:
            continue
    return pids


def _identities(pids, table):
    """{pid: starttime}: a pid plus its start time names one process even if the pid is reused."""
    return {pid: table[pid][3] for pid in pids if pid in table}


def _alive(pid, starttime, table):
    entry = table.get(pid)
    return entry is not None and entry[3] == starttime and entry[2] != "Z"


def _reap(pid):
    try:
        os.waitpid(pid, os.WNOHANG)
    except (ChildProcessError, OSError):
        pass


class Daemon:
    """One long-running fairway process (master or agent) in its own process group."""

    def __init__(self, name, argv, log_path, env, cwd):
        self.name = name
        self.argv = argv
        self.log_path = log_path
        self._log = open(log_path, "wb")
        self.popen = subprocess.Popen(
            argv, stdin=subprocess.DEVNULL, stdout=self._log, stderr=subprocess.STDOUT,
            env=env, cwd=cwd, start_new_session=True)

    @property
    def pid(self):
        return self.popen.pid

    def running(self):
        return self.popen.poll() is None

    def log_tail(self, lines=60):
        try:
            text = Path(self.log_path).read_text(errors="replace")
        except OSError as exc:
            return f"(cannot read {self.log_path}: {exc})"
        return "\n".join(text.splitlines()[-lines:]) or "(empty)"

    def close_log(self):
        self._log.close()


class Agent:
    def __init__(self, index, port, work_dir, daemon):
        self.index = index
        self.port = port
        self.work_dir = work_dir
        self.daemon = daemon


# --- the cluster --------------------------------------------------------------------------------

class FairwayCluster:
    """A master and agents started from the real fairway binary, on loopback."""

    def __init__(self, binary, base_dir, agent_count=2, agent_resources=AGENT_RESOURCES):
        self.binary = Path(binary)
        self.base_dir = Path(base_dir)
        self.agent_count = agent_count
        self.agent_resources = agent_resources
        self.marker = uuid.uuid4().hex
        self.master_port = None
        self.master = None
        self.agents = []
        self.extra_processes = []  # frameworks run as subprocesses by tests
        self._subreaper = False
        # A pod network of the cluster's own, so a dev cluster's bridge `fairway0` is never touched.
        self.pod_bridge = f"fwc{os.getpid() & 0xffff:04x}"
        self.pod_cidr = f"10.{220 + os.getpid() % 10}.0.0/16"

    # Addresses

    @property
    def master_address(self):
        return f"127.0.0.1:{self.master_port}"

    @property
    def master_url(self):
        return f"http://{self.master_address}"

    def env(self):
        env = dict(os.environ)
        env[MARKER_ENV] = self.marker
        return env

    # Start

    def start(self):
        self._subreaper = _become_subreaper()
        self.base_dir.mkdir(parents=True, exist_ok=True)
        self.master_port = free_port()
        master_dir = self.base_dir / "master"
        master_dir.mkdir()
        self.master = Daemon(
            "master",
            [str(self.binary), "master", "--ip", "127.0.0.1", "--port", str(self.master_port),
             "--work-dir", str(master_dir)],
            self.base_dir / "master.log", self.env(), self.base_dir)
        wait_until(lambda: http_request(self.master_port, "GET", "/health", timeout=2)[0] == 200,
                   MASTER_START_TIMEOUT, f"the master to answer 200 on GET /health (port {self.master_port})",
                   check=self.check_running)

        for index in range(self.agent_count):
            port = free_port()
            work_dir = self.base_dir / f"agent{index}"
            work_dir.mkdir()
            daemon = Daemon(
                f"agent{index}",
                [str(self.binary), "agent", "--master", self.master_address, "--ip", "127.0.0.1",
                 "--port", str(port), "--work-dir", str(work_dir), "--resources", self.agent_resources,
                 "--pod-bridge", self.pod_bridge, "--pod-cidr", self.pod_cidr,
                 "--pod-network-claims", str(self.base_dir / "pod-network-claims")],
                self.base_dir / f"agent{index}.log", self.env(), self.base_dir)
            self.agents.append(Agent(index, port, work_dir, daemon))

        for agent in self.agents:
            wait_until(lambda: self.slave_for(agent) is not None, AGENT_REGISTER_TIMEOUT,
                       f"agent{agent.index} (port {agent.port}) to appear in the master's /master/state",
                       check=self.check_running)

    def daemons(self):
        return [d for d in [self.master] + [a.daemon for a in self.agents] if d is not None]

    def check_running(self):
        """Fails the test at once, with the process's log, if a master or agent has exited."""
        for daemon in self.daemons():
            code = daemon.popen.poll()
            if code is not None:
                pytest.fail(
                    f"fairway {daemon.name} exited with status {code}\n"
                    f"command: {' '.join(daemon.argv)}\n"
                    f"--- last lines of {daemon.log_path} ---\n{daemon.log_tail()}",
                    pytrace=False)

    # Waiting and observation

    def wait_until(self, predicate, timeout, what, interval=0.1):
        """`wait_until` that also fails at once, with the log, if a master or agent dies."""
        return wait_until(predicate, timeout, what, interval, check=self.check_running)

    def wait_until_task_state(self, framework_id, task_id, state, timeout=30.0):
        """Waits for the master's /master/state to show the task in `state`; returns the task."""
        def task_in_state():
            task = self.task_in_master(framework_id, task_id)
            return task if task is not None and task.get("state") == state else None
        return self.wait_until(task_in_state, timeout,
                               f"the master's /master/state to show task {task_id} of framework "
                               f"{framework_id} in {state}")

    @staticmethod
    def request(port, method, path, body=None, headers=None, timeout=HTTP_TIMEOUT):
        """One HTTP request to 127.0.0.1:port; returns (status, headers, body bytes)."""
        return http_request(port, method, path, body, headers, timeout)

    @staticmethod
    def get_json(port, path, timeout=HTTP_TIMEOUT):
        """GET 127.0.0.1:port/path, which must answer 200 with JSON."""
        return get_json(port, path, timeout)

    def master_state(self):
        return get_json(self.master_port, "/master/state")

    def agent_state(self, agent):
        return get_json(agent.port, "/state")

    def slave_for(self, agent, state=None):
        """The master's /master/state entry for `agent`, or None while it is not registered."""
        state = state if state is not None else self.master_state()
        for slave in state.get("slaves", []):
            if slave.get("port") == agent.port or str(slave.get("pid", "")).endswith(f":{agent.port}"):
                return slave
        return None

    def agent_with_id(self, agent_id):
        state = self.master_state()
        for agent in self.agents:
            slave = self.slave_for(agent, state)
            if slave is not None and slave.get("id") == agent_id:
                return agent
        return None

    def framework_in_master(self, framework_id, state=None):
        state = state if state is not None else self.master_state()
        for framework in state.get("frameworks", []) + state.get("completed_frameworks", []):
            if framework.get("id") == framework_id:
                return framework
        return None

    def task_in_master(self, framework_id, task_id):
        """The master's view of a task (from `tasks` or `completed_tasks` of its framework)."""
        framework = self.framework_in_master(framework_id)
        if framework is None:
            return None
        for task in framework.get("tasks", []) + framework.get("completed_tasks", []):
            if task.get("id") == task_id:
                return task
        return None

    def find_executor(self, framework_id, task_id):
        """(agent, executor) for the task from the agents' /state; for a command task the
        executor id equals the task id. None while no agent reports it."""
        for agent in self.agents:
            state = self.agent_state(agent)
            for framework in state.get("frameworks", []) + state.get("completed_frameworks", []):
                if framework.get("id") != framework_id:
                    continue
                for executor in framework.get("executors", []) + framework.get("completed_executors", []):
                    task_ids = {t.get("id") for key in ("tasks", "queued_tasks", "completed_tasks")
                                for t in executor.get(key, [])}
                    if executor.get("id") == task_id or task_id in task_ids:
                        return agent, executor
        return None

    def read_file(self, agent, path, chunk=65536):
        """A sandbox file's whole content through the agent's GET /files/read."""
        data, offset = b"", 0
        while True:
            query = urllib.parse.urlencode({"path": str(path), "offset": offset, "length": chunk})
            reply = get_json(agent.port, f"/files/read?{query}")
            piece = reply["data"].encode("utf-8")
            if not piece:
                return data.decode("utf-8")
            data += piece
            offset += len(piece)

    # Subprocess frameworks

    def run_framework(self, argv, timeout):
        """Runs a framework to completion as a subprocess in its own process group; returns
        (exit status, combined output). Killed and reported if it outlives `timeout`."""
        popen = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                 stderr=subprocess.STDOUT, env=self.env(), cwd=REPO_ROOT,
                                 start_new_session=True)
        self.extra_processes.append(popen)
        try:
            output, _ = popen.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            _killpg(popen.pid, signal.SIGKILL)
            output, _ = popen.communicate()
            pytest.fail(f"{' '.join(map(str, argv))} did not finish within {timeout:g}s; its output:\n"
                        f"{output.decode(errors='replace')}", pytrace=False)
        return popen.returncode, output.decode(errors="replace")

    def log_tails(self):
        return [(d.name, d.log_tail()) for d in self.daemons()]

    # Stop

    def stop(self):
        """Stops everything this cluster started and leaves no process behind."""
        own = [d.popen for d in self.daemons()] + self.extra_processes
        own_pids = {p.pid for p in own}
        table = _proc_table()
        suspects = _identities(_descendants(own_pids, table) | _pids_with_marker(self.marker), table)

        # Politely first: agents, then the master, each by process group; then SIGKILL.
        for daemon in [a.daemon for a in self.agents] + ([self.master] if self.master else []):
            if daemon.running():
                _killpg(daemon.pid, signal.SIGTERM)
        deadline = time.monotonic() + GRACEFUL_STOP_TIMEOUT
        for popen in own:
            try:
                popen.wait(timeout=max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                _killpg(popen.pid, signal.SIGKILL)
                popen.wait()
        for daemon in self.daemons():
            daemon.close_log()

        # Then whatever they started and left running: tasks (in process groups of their own)
        # and their children, anything carrying our marker, and orphans this process adopted as
        # their subreaper. Processes are named by (pid, start time) so a reused pid is left alone.
        deadline = time.monotonic() + 10.0
        while True:
            table = _proc_table()
            found = _pids_with_marker(self.marker)
            if self._subreaper:
                found |= {pid for pid, entry in table.items() if entry[0] == os.getpid()}
            found |= _descendants(found | set(suspects), table)
            found -= own_pids | {os.getpid()}
            for pid, starttime in _identities(found, table).items():
                suspects.setdefault(pid, starttime)
            living = [pid for pid, starttime in suspects.items() if _alive(pid, starttime, table)]
            for pid in suspects:
                _reap(pid)  # zombies we adopted
            if not living:
                self._remove_pod_network()
                return
            if time.monotonic() >= deadline:
                pytest.fail(f"processes left behind by the cluster survive SIGKILL: {sorted(living)}",
                            pytrace=False)
            for pid in living:
                pgid = table[pid][1]
                if pgid not in own_pids:  # a group whose leader we already reaped could be reused
                    _killpg(pgid, signal.SIGKILL)
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            time.sleep(0.05)


    def _remove_pod_network(self):
        """Deletes the network namespaces of the pods the agents ran (stopped agents keep them, to
        recover their pods) and the cluster's bridge."""
        prefixes = [f"fwpod-{_fnv1a(os.path.realpath(agent.work_dir))[:8]}-" for agent in self.agents]
        try:
            names = os.listdir("/run/netns")
        except OSError:
            names = []
        for name in names:
            if any(name.startswith(prefix) for prefix in prefixes):
                subprocess.run(["ip", "netns", "del", name], capture_output=True)
                subprocess.run(["rm", "-rf", f"/etc/netns/{name}"], capture_output=True)
        subprocess.run(["ip", "link", "del", self.pod_bridge], capture_output=True)


def _fnv1a(text):
    """64-bit FNV-1a in hex, as the agent names its pods' namespaces after its work dir."""
    value = 0xcbf29ce484222325
    for byte in text.encode():
        value = ((value ^ byte) * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
    return format(value, "x")


def _killpg(pgid, sig):
    if pgid in (0, 1) or pgid == os.getpgid(0):
        return
    try:
        os.killpg(pgid, sig)
    except (ProcessLookupError, PermissionError):
        pass


# --- fixtures -----------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def fairway_bin():
    """The fairway executable; a clear failure (not a skip) when it is missing."""
    configured = os.environ.get("FAIRWAY_BIN")
    path = Path(configured).resolve() if configured else DEFAULT_BINARY
    if not path.is_file() or not os.access(path, os.X_OK):
        how = "FAIRWAY_BIN" if configured else "the default location (FAIRWAY_BIN is not set)"
        pytest.fail(
            f"the fairway binary is missing: {path} (from {how}) is not an executable file.\n"
            f"Build it with `swift build` in {REPO_ROOT} (`make test` does this), or point "
            f"FAIRWAY_BIN at a built fairway.",
            pytrace=False)
    return path


@pytest.fixture
def cluster(fairway_bin, tmp_path, request):
    """A fresh master and two agents for one test; every process is gone when the test ends."""
    cluster = FairwayCluster(fairway_bin, tmp_path / "cluster")
    request.node._fairway_cluster = cluster
    try:
        cluster.start()
        yield cluster
    finally:
        cluster.stop()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """On a failing test, attach the master's and agents' recent log lines to the report."""
    report = yield
    cluster = getattr(item, "_fairway_cluster", None)
    if cluster is not None and report.failed and report.when in ("setup", "call"):
        for name, tail in cluster.log_tails():
            report.sections.append((f"fairway {name} log (last lines)", tail))
    return report
