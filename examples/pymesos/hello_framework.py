#!/usr/bin/env python3
"""A small Mesos framework written with pymesos (from PyPI, unchanged) that runs on Fairway.

It subscribes to the master, launches N shell tasks on the resource offers it receives, declines
what it does not need, prints every status update (pymesos acknowledges each one for us), and
stops when every task has reached a terminal state.

    python3 examples/pymesos/hello_framework.py 127.0.0.1:5050 --tasks 3

Exit status: 0 when every task finished (TASK_FINISHED), 1 otherwise (a task failed, was lost or
killed, the master reported an error, or --timeout passed).

pymesos speaks the Mesos v1 scheduler HTTP API in JSON only; install it with
scripts/install-python-deps (it needs a rebuilt http-parser on Python 3.11).
"""

import argparse
import getpass
import sys
import threading
import time

from pymesos import MesosSchedulerDriver, Scheduler

DEFAULT_CMD = "echo hello from $MESOS_TASK_ID > out.txt; echo done"
TERMINAL_STATES = {
    "TASK_FINISHED", "TASK_FAILED", "TASK_KILLED", "TASK_ERROR", "TASK_LOST",
    "TASK_DROPPED", "TASK_GONE", "TASK_GONE_BY_OPERATOR",
}


def say(message):
    print(message, flush=True)


def unreserved_scalars(offer):
    """Sums the unreserved scalar resources (cpus, mem, ...) in an offer."""
    totals = {}
    for resource in offer.get("resources", []):
        if resource.get("type") != "SCALAR":
            continue
        if resource.get("role", "*") != "*" or resource.get("reservations"):
            continue
        name = resource["name"]
        totals[name] = totals.get(name, 0.0) + resource["scalar"]["value"]
    return totals


class HelloScheduler(Scheduler):
    """Launches `task_count` copies of a shell command and records how each one ends.

    pymesos calls these methods from its own I/O thread; `done` tells the main thread to stop.
    """

    def __init__(self, task_count, command, cpus, mem):
        self.task_count = task_count
        self.command = command
        self.cpus = cpus
        self.mem = mem
        self.launched = 0
        self.final_states = {}  # task id -> terminal state
        self.error = None
        self.stopping = False
        self.done = threading.Event()
        self.lock = threading.Lock()

    # Subscription -------------------------------------------------------------------------

    def registered(self, driver, framework_id, master_info):
        say("registered as framework %s with master %s:%s" % (
            framework_id["value"], master_info.get("hostname"), master_info.get("port")))

    def reregistered(self, driver, master_info):
        say("re-registered with master %s:%s" % (
            master_info.get("hostname"), master_info.get("port")))

    def disconnected(self, driver):
        if not self.stopping:  # pymesos also calls this when we stop it ourselves
            say("disconnected from the master; pymesos will reconnect")

    def error(self, driver, message):
        say("error from the master: %s" % message)
        with self.lock:
            self.error = message
        self.done.set()

    # Offers -------------------------------------------------------------------------------

    def resourceOffers(self, driver, offers):
        for offer in offers:
            tasks = self.tasks_for(offer)
            if tasks:
                say("offer %s from %s: launching %s" % (
                    offer["id"]["value"], offer["hostname"],
                    ", ".join(t["task_id"]["value"] for t in tasks)))
                driver.launchTasks(offer["id"], tasks)
            else:
                # Nothing (more) to run here: decline, and ask not to see these resources again
                # for a while once every task is launched.
                with self.lock:
                    all_launched = self.launched >= self.task_count
                driver.declineOffer(offer["id"], filters={"refuse_seconds": 60 if all_launched else 5})

    def tasks_for(self, offer):
        """Builds TaskInfos (Mesos JSON) for as many pending tasks as fit in the offer."""
        available = unreserved_scalars(offer)
        # Whole thousandths, as Mesos keeps scalars, so 0.1 + 0.1 + 0.1 fits in 0.3.
        cpus_left = round(available.get("cpus", 0.0) * 1000)
        mem_left = round(available.get("mem", 0.0) * 1000)
        cpus_each, mem_each = round(self.cpus * 1000), round(self.mem * 1000)
        tasks = []
        with self.lock:
            while self.launched < self.task_count and cpus_left >= cpus_each and mem_left >= mem_each:
                self.launched += 1
                cpus_left -= cpus_each
                mem_left -= mem_each
                task_id = "hello-%d" % self.launched
                tasks.append({
                    "name": task_id,
                    "task_id": {"value": task_id},
                    "agent_id": {"value": offer["agent_id"]["value"]},
                    "resources": [
                        {"name": "cpus", "type": "SCALAR", "scalar": {"value": self.cpus}},
                        {"name": "mem", "type": "SCALAR", "scalar": {"value": self.mem}},
                    ],
                    # Mesos does not put the task id in a command task's environment; set it
                    # so the default --cmd (and yours) can use $MESOS_TASK_ID.
                    "command": {
                        "value": self.command,
                        "shell": True,
                        "environment": {"variables": [{"name": "MESOS_TASK_ID", "value": task_id}]},
                    },
                })
        return tasks

    # Status updates -----------------------------------------------------------------------

    def statusUpdate(self, driver, status):
        task_id = status["task_id"]["value"]
        state = status["state"]
        details = [status[key] for key in ("reason", "message") if status.get(key)]
        say(("%-10s %-15s %s" % (task_id, state, " - ".join(details))).rstrip())
        if state in TERMINAL_STATES:
            with self.lock:
                self.final_states[task_id] = state
                finished_all = len(self.final_states) >= self.task_count
            if finished_all:
                self.done.set()

    def succeeded(self):
        with self.lock:
            return (self.error is None
                    and len(self.final_states) == self.task_count
                    and all(s == "TASK_FINISHED" for s in self.final_states.values()))


def parse_args(argv):
    parser = argparse.ArgumentParser(
        description="Run N shell tasks on a Fairway (or Mesos) cluster with pymesos, print every "
                    "status update, and exit 0 when all of them finished, 1 otherwise.")
    parser.add_argument("master", nargs="?", default="127.0.0.1:5050",
                        help="the master as HOST:PORT (default: %(default)s)")
    parser.add_argument("--tasks", type=int, default=3, metavar="N",
                        help="how many tasks to launch (default: %(default)s)")
    parser.add_argument("--cmd", default=DEFAULT_CMD,
                        help="the shell command each task runs in its sandbox, where "
                             "$MESOS_TASK_ID is the task's id (default: %(default)r)")
    parser.add_argument("--cpus", type=float, default=0.1,
                        help="cpus per task (default: %(default)s)")
    parser.add_argument("--mem", type=float, default=32,
                        help="memory per task in MB (default: %(default)s)")
    parser.add_argument("--name", default="hello-pymesos",
                        help="the framework name shown by the master (default: %(default)s)")
    parser.add_argument("--timeout", type=float, default=120, metavar="SECONDS",
                        help="give up (exit 1) if the tasks are not all done by then; "
                             "0 waits forever (default: %(default)s)")
    args = parser.parse_args(argv)
    if args.tasks < 1:
        parser.error("--tasks must be at least 1")
    if ":" not in args.master:
        args.master += ":5050"
    return args


def main(argv=None):
    args = parse_args(argv)
    scheduler = HelloScheduler(args.tasks, args.cmd, args.cpus, args.mem)
    framework = {"user": getpass.getuser(), "name": args.name}
    driver = MesosSchedulerDriver(scheduler, framework, args.master)
    say("connecting to %s to run %d task(s)" % (args.master, args.tasks))

    deadline = time.monotonic() + args.timeout if args.timeout > 0 else None
    try:
        driver.start()
        # Short waits so that an error raised in pymesos's I/O thread (delivered to this thread as
        # an interrupt) surfaces promptly.
        while not scheduler.done.wait(0.2):
            if deadline is not None and time.monotonic() > deadline:
                say("timed out after %gs waiting for the tasks" % args.timeout)
                break
    except KeyboardInterrupt:
        say("interrupted; tearing the framework down")
        scheduler.stopping = True
        driver.stop()
        return 130
    except Exception as exc:  # pymesos re-raises its I/O thread's failure here
        say("error: %s" % exc)
        scheduler.stopping = True
        driver.stop()
        return 1

    scheduler.stopping = True
    driver.stop()  # not failover: pymesos sends TEARDOWN, the framework is removed
    driver.join()

    finished = sum(1 for s in scheduler.final_states.values() if s == "TASK_FINISHED")
    say("%d/%d task(s) finished" % (finished, args.tasks))
    if scheduler.succeeded():
        say("read a task's output with: fairway logs hello-1")
        return 0
    return 1


if __name__ == "__main__":
    sys.exit(main())
