#!/usr/bin/env bash
# Benchmark of `ferry check --level full`: N keys (default 1,000,000) made with DEBUG POPULATE on a source
# redis-server, copied to a target with REPLICAOF (then REPLICAOF NO ONE), then compared. Prints keys/s, and as a
# reference measured in the same run the time both servers need for DEBUG DIGEST (each server reading its own
# whole dataset, no network).
#
#   bench/check.sh [KEYS] [extra ferry check options…]      e.g. bench/check.sh 1000000 --parallel 8
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
keys="${1:-1000000}"
shift || true
redis_server="${REDIS_SERVER:-redis-server}"
command -v "$redis_server" >/dev/null || { echo "check.sh: redis-server is needed (apt-get install redis-server)" >&2; exit 1; }
command -v redis-cli >/dev/null || { echo "check.sh: redis-cli is needed (apt-get install redis-tools)" >&2; exit 1; }

work="$(mktemp -d -t ferry-bench-check-XXXXXX)"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

start_server() { # name port
  mkdir -p "$work/$1"
  "$redis_server" --port "$2" --bind 127.0.0.1 --dir "$work/$1" --save "" --appendonly no \
    --enable-debug-command yes --repl-diskless-sync yes --repl-diskless-sync-delay 0 \
    --logfile "$work/$1/redis.log" &
  pids+=($!)
  for _ in $(seq 1 100); do
    redis-cli -p "$2" ping >/dev/null 2>&1 && return 0
    kill -0 "${pids[-1]}" 2>/dev/null || { cat "$work/$1/redis.log" >&2; exit 1; }
    sleep 0.1
  done
  echo "check.sh: redis-server on port $2 did not start" >&2; exit 1
}

sport="$(free_port)"; start_server source "$sport"
tport="$(free_port)"; start_server target "$tport"
src=(redis-cli -p "$sport"); dst=(redis-cli -p "$tport")

echo "populating $keys keys on the source (DEBUG POPULATE)…" >&2
"${src[@]}" debug populate "$keys" >/dev/null
echo "copying to the target (REPLICAOF, then REPLICAOF NO ONE)…" >&2
"${dst[@]}" replicaof 127.0.0.1 "$sport" >/dev/null
for _ in $(seq 1 600); do
  info="$("${dst[@]}" info replication | tr -d '\r')"
  if grep -q '^master_link_status:up' <<<"$info" && grep -q '^master_sync_in_progress:0' <<<"$info" \
     && [[ "$("${dst[@]}" dbsize)" == "$keys" ]]; then break; fi
  sleep 0.2
done
"${dst[@]}" replicaof no one >/dev/null
[[ "$("${dst[@]}" dbsize)" == "$keys" ]] || { echo "check.sh: the target did not get all keys" >&2; exit 1; }

# Reference: both servers digest their whole dataset themselves.
t0=$(date +%s.%N)
"${src[@]}" debug digest >/dev/null
"${dst[@]}" debug digest >/dev/null
t1=$(date +%s.%N)
digest=$(python3 -c "print(f'{$t1-$t0:.2f}')")

(cd "$here" && ./ferry --version >/dev/null) # build once, outside the measurement
t0=$(date +%s.%N)
set +e
FERRY_NO_PROGRESS_BAR=1 "$here/ferry" check --source "redis://127.0.0.1:$sport" --target "redis://127.0.0.1:$tport" \
  --level full --rounds 1 "$@" | tee "$work/out.txt"
status=${PIPESTATUS[0]}
set -e
t1=$(date +%s.%N)
wall=$(python3 -c "print(f'{$t1-$t0:.2f}')")
[[ $status -eq 0 ]] || { echo "check.sh: ferry check exited $status (differences or failure)" >&2; exit 1; }

line="$(grep '^round 1:' "$work/out.txt")"
rate="$(sed -E 's/.*\(([0-9,]+) keys\/s\).*/\1/' <<<"$line")"
echo
echo "keys: $keys  level: full  wall time (with JVM start): ${wall}s"
echo "ferry check: $rate keys/s"
echo "reference: DEBUG DIGEST on both servers ${digest}s ($(python3 -c "print(f'{$keys/max($digest,1e-3):,.0f}')") keys/s)"
