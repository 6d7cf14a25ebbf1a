#!/usr/bin/env bash
# Starts a master and N agents on this machine, each agent with its own work dir, port and
# attributes (rack:rN), logs under STATE_DIR. Like `fairway dev`, but with any number of agents
# and the processes left running in the background; stop them with `local-cluster.sh stop`.
#
#   deploy/local-cluster.sh start [AGENTS=3] [STATE_DIR=./.fairway-local] [PORT=5050]
#   deploy/local-cluster.sh stop  [STATE_DIR]
set -euo pipefail
command=${1:-start}
agents=${2:-3}
state=${3:-./.fairway-local}
port=${4:-5050}
bin=${FAIRWAY_BIN:-$(cd "$(dirname "$0")/.." && swift build --show-bin-path)/fairway}

case "$command" in
  start)
    mkdir -p "$state"
    "$bin" master --ip 127.0.0.1 --port "$port" --work-dir "$state/master" >"$state/master.log" 2>&1 &
    echo $! >"$state/master.pid"
    for i in $(seq 1 "$agents"); do
      "$bin" agent --master "127.0.0.1:$port" --ip 127.0.0.1 --port $((port + i)) --work-dir "$state/agent$i" \
        --attributes "rack:r$i" >"$state/agent$i.log" 2>&1 &
      echo $! >"$state/agent$i.pid"
    done
    echo "master http://127.0.0.1:$port with $agents agents; logs in $state; stop with: $0 stop $state"
    ;;
  stop)
    state=${2:-./.fairway-local}
    for pidfile in "$state"/*.pid; do
      [ -e "$pidfile" ] || continue
      kill "$(cat "$pidfile")" 2>/dev/null || true
      rm -f "$pidfile"
    done
    ;;
  *)
    echo "usage: $0 start [AGENTS] [STATE_DIR] [PORT] | stop [STATE_DIR]" >&2
    exit 2
    ;;
esac
