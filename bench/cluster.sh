#!/usr/bin/env bash
# Ferry into a Redis Cluster next to Ferry into a standalone server, measured in the same run:
# full sync time and the drain rate of a stream backlog, total and per master.
#
#   bench/cluster.sh     # needs redis-server, redis-cli, redis-benchmark, java 17, mvn
#
# Knobs: KEYS (DEBUG POPULATE count, default 500000), DRAIN_N (redis-benchmark -n per test while
# Ferry is stopped, default 300000), MASTERS (target masters, default 3), LANES (default 8),
# SOURCE=cluster (the source is a 3-master cluster too, filled with redis-benchmark --cluster:
# about 0.63 x KEYS distinct keys; one partition per source master). Servers run on free loopback
# ports in a temp dir removed on exit.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
KEYS=${KEYS:-500000}
DRAIN_N=${DRAIN_N:-300000}
MASTERS=${MASTERS:-3}
SOURCE=${SOURCE:-standalone}
LANES=${LANES:-8}
tmp="$(mktemp -d -t ferry-cluster-bench.XXXXXX)"
pids=()
cleanup() {
  set +e
  pkill -TERM -f "state-dir $tmp/" 2>/dev/null
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null; done
  rm -rf "$tmp"
}
trap cleanup EXIT
now_ms() { date +%s%3N; }
cpu_ticks() { # pids... → utime+stime ticks summed
  local t=0 p
  for p in "$@"; do t=$((t + $(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0))); done
  echo $t
}
port_pid() { redis-cli -p "$1" INFO server | awk -F: '/^process_id/{print $2+0}'; }
used=" "
free_port() {
  local p
  while :; do
    p=$((20000 + RANDOM % 25000))
    [[ "$used" == *" $p "* || "$used" == *" $((p + 10000)) "* ]] && continue
    if ! (exec 3<>/dev/tcp/127.0.0.1/$p) 2>/dev/null && ! (exec 3<>/dev/tcp/127.0.0.1/$((p + 10000))) 2>/dev/null; then
      used+="$p $((p + 10000)) "; echo $p; return
    fi
  done
}
start_redis() { # dir port args...
  local d=$1 port=$2; shift 2
  mkdir -p "$tmp/$d"
  redis-server --port "$port" --bind 127.0.0.1 --dir "$tmp/$d" --save '' --appendonly no --logfile "$tmp/$d.log" "$@" &
  pids+=($!)
  for _ in $(seq 200); do redis-cli -p "$port" ping >/dev/null 2>&1 && return; sleep 0.05; done
  echo "redis-server on $port did not start" >&2; exit 1
}

jar="$root/target/ferry.jar"
if [[ ! -f "$jar" || -n "$(find "$root/src/main" "$root/pom.xml" -newer "$jar" -print -quit)" ]]; then
  (cd "$root" && { mvn -q -o package -DskipTests || mvn -q package -DskipTests; }) >&2
fi
"$root/ferry" --version >/dev/null

source_opts=(--enable-debug-command yes --repl-diskless-sync yes --repl-diskless-sync-delay 0
  --repl-backlog-size 512mb --repl-timeout 600 --client-output-buffer-limit "replica 0 0 0")
srcs=()
if [[ $SOURCE == cluster ]]; then
  for ((i = 0; i < 3; i++)); do
    p=$(free_port); start_redis "source$i" "$p" "${source_opts[@]}" --cluster-enabled yes --cluster-config-file nodes.conf; srcs+=("$p")
  done
  redis-cli --cluster create "${srcs[@]/#/127.0.0.1:}" --cluster-yes >/dev/null
  for _ in $(seq 200); do redis-cli -p "${srcs[0]}" cluster info | grep -q cluster_state:ok && break; sleep 0.05; done
else
  p=$(free_port); start_redis source "$p" "${source_opts[@]}"; srcs+=("$p")
fi
SRC=${srcs[0]}
ONE=$(free_port)
start_redis one "$ONE"
nodes=()
for ((i = 0; i < MASTERS; i++)); do
  p=$(free_port); start_redis "node$i" "$p" --cluster-enabled yes --cluster-config-file nodes.conf; nodes+=("127.0.0.1:$p")
done
if ((MASTERS >= 3)); then
  redis-cli --cluster create "${nodes[@]}" --cluster-yes >/dev/null
else # redis-cli creates 3 masters at least: split the slots by hand, then let the nodes meet
  for ((i = 0; i < MASTERS; i++)); do
    redis-cli -p "${nodes[$i]#*:}" CLUSTER ADDSLOTSRANGE $((i * 16384 / MASTERS)) $(((i + 1) * 16384 / MASTERS - 1)) >/dev/null
    ((i > 0)) && redis-cli -p "${nodes[$i]#*:}" CLUSTER MEET 127.0.0.1 "${nodes[0]#*:}" >/dev/null
  done
fi
for _ in $(seq 200); do redis-cli -p "${nodes[0]#*:}" cluster info | grep -q cluster_state:ok && break; sleep 0.05; done
if [[ $SOURCE == cluster ]]; then
  redis-benchmark --cluster -p "$SRC" -n "$KEYS" -r "$KEYS" -d 32 -P 64 -t set -q >/dev/null 2>&1
else
  redis-cli -p "$SRC" DEBUG POPULATE "$KEYS" key 32 >/dev/null
fi

echo "== Ferry from a $([[ $SOURCE == cluster ]] && echo "3-master cluster" || echo "standalone server") into a ${MASTERS}-master Redis Cluster vs into one server  $(date -u +%FT%TZ)  commit $(git -C "$root" rev-parse --short HEAD)"
echo "   $(nproc) cores shared by the source, the targets, redis-benchmark and Ferry; $KEYS keys; --lanes $LANES"

user_keys() { # target → keys without Ferry's checkpoint keys
  local n=0 c=0
  if [[ $1 == one ]]; then
    n=$(redis-cli -p "$ONE" DBSIZE); c=$(redis-cli -p "$ONE" EVAL "return #redis.call('keys','__ferry_checkpoint:*')" 0)
  else
    for node in "${nodes[@]}"; do
      n=$((n + $(redis-cli -p "${node#*:}" DBSIZE)))
      c=$((c + $(redis-cli -p "${node#*:}" EVAL "return #redis.call('keys','__ferry_checkpoint:*')" 0)))
    done
  fi
  echo $((n - c))
}
acked() { redis-cli -p "$1" INFO replication | sed -n 's/^slave0:.*offset=\([0-9]*\).*/\1/p'; }
master_offset() { redis-cli -p "$1" INFO replication | awk -F: '/^master_repl_offset/{print $2+0}'; }
source_keys() { local n=0 p; for p in "${srcs[@]}"; do n=$((n + $(redis-cli -p "$p" DBSIZE))); done; echo $n; }
offsets() { local p; for p in "${srcs[@]}"; do master_offset "$p"; done; }
caught_up() { # target offsets, one per source master → every replica link acked them
  local i=0 want p a
  for want in "$@"; do
    p=${srcs[$i]}; i=$((i + 1)); a=$(acked "$p")
    [[ -n "$a" && "$a" -ge "$want" ]] || return 1
  done
}

run() { # name target-uri
  local name=$1 uri=$2 state="$tmp/state-$1" t0 full drain_ms cmds expected
  expected=$(source_keys) # the first run's drain adds keys
  t0=$(now_ms)
  "$root/ferry" sync -s "redis://127.0.0.1:$SRC" -t "$uri" --state-dir "$state" --lanes "$LANES" 2>"$tmp/$name-ferry.log" &
  local pid=$!
  until [[ "$(user_keys "$name")" == "$expected" ]]; do sleep 0.05; kill -0 $pid || { tail "$tmp/$name-ferry.log"; exit 1; }; done
  full=$(( $(now_ms) - t0 ))
  until caught_up $(offsets); do sleep 0.05; done
  kill -TERM $pid; wait $pid || true
  redis-benchmark $([[ $SOURCE == cluster ]] && echo --cluster) -p "$SRC" -n "$DRAIN_N" -r 100000 -P 64 -t set,incr,lpush,hset -q >/dev/null 2>&1
  cmds=$((DRAIN_N * 4))
  local target_offsets; target_offsets=$(offsets)
  "$root/ferry" sync -s "redis://127.0.0.1:$SRC" -t "$uri" --state-dir "$state" --lanes "$LANES" 2>>"$tmp/$name-ferry.log" &
  pid=$!
  t0=$(now_ms)
  local tpids=() c0 f0
  if [[ $name == one ]]; then tpids=("$(port_pid "$ONE")"); else for node in "${nodes[@]}"; do tpids+=("$(port_pid "${node#*:}")"); done; fi
  c0=$(cpu_ticks "${tpids[@]}")
  until caught_up $target_offsets; do sleep 0.02; kill -0 $pid || { tail "$tmp/$name-ferry.log"; exit 1; }; done
  drain_ms=$(( $(now_ms) - t0 ))
  f0=$(cpu_ticks "$pid")
  local busiest; busiest=$(for t in /proc/$pid/task/*; do awk '{print $14 + $15}' "$t/stat"; done | sort -rn | head -1)
  echo "   drain into $name: target CPU $(awk -v t=$(( $(cpu_ticks "${tpids[@]}") - c0 )) -v hz="$(getconf CLK_TCK)" 'BEGIN{printf "%.2f", t/hz}') s, Ferry CPU (JVM start included) $(awk -v t="$f0" -v hz="$(getconf CLK_TCK)" 'BEGIN{printf "%.2f", t/hz}') s, its busiest thread $(awk -v t="$busiest" -v hz="$(getconf CLK_TCK)" 'BEGIN{printf "%.2f", t/hz}') s" >&2
  kill -TERM $pid; wait $pid || true
  echo "$name $full $drain_ms $cmds $expected"
}
read -r _ one_full one_drain cmds one_keys < <(run one "redis://127.0.0.1:$ONE")
read -r _ cl_full cl_drain _ cl_keys < <(run cluster "redis://${nodes[0]}")
echo "   full sync of $one_keys keys into one server, of $cl_keys keys into the cluster (the first drain added keys)"
awk -v k="$one_keys" -v kc="$cl_keys" -v c="$cmds" -v m="$MASTERS" -v of="$one_full" -v od="$one_drain" -v cf="$cl_full" -v cd="$cl_drain" 'BEGIN {
  printf "  full sync   one server: %6.2f s (%8.0f keys/s)   cluster: %6.2f s (%8.0f keys/s, %7.0f per master)   keys/s cluster/one %.2f\n", of/1000, k/(of/1000), cf/1000, kc/(cf/1000), kc/(cf/1000)/m, (kc/cf)/(k/of)
  printf "  drain (JVM start included) one server: %6.2f s (%8.0f cmds/s)   cluster: %6.2f s (%8.0f cmds/s, %7.0f per master)   cluster/one rate %.2f\n", od/1000, c/(od/1000), cd/1000, c/(cd/1000), c/(cd/1000)/m, od/cd
}'
