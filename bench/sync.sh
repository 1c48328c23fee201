#!/usr/bin/env bash
# Ferry sync benchmark: full sync vs native REPLICAOF, incremental throughput, lag at a steady rate.
#
#   bench/sync.sh        # one command; needs redis-server, redis-cli, redis-benchmark, java 17 (javac), mvn
#
# Knobs (environment): KEYS (DEBUG POPULATE count, default 1000000), EXTRA (hashes, lists and zsets,
# that many of each, default 50000), BENCH_N (redis-benchmark -n per test, default 2000000),
# DRAIN_N (-n per test while Ferry is stopped, default 1000000), RATE (steady writes/s, default
# 50000), STEADY_SECONDS (default 20), LANES (default 8), ACK_MS (default 50), FERRY_JAVA_OPTS
# (default -Xmx2g), KEEP=1 keeps the temp dir (logs, GC log) after the run.
#
# Every server runs on a free loopback port in a temp dir that is removed on exit. Measurements
# are taken from outside: INFO replication on the source (master_repl_offset, and the offset= of
# the replica line, which is what Ferry ACKs as applied on the target) and key counts.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"

KEYS=${KEYS:-1000000}
EXTRA=${EXTRA:-50000}
BENCH_N=${BENCH_N:-2000000}
DRAIN_N=${DRAIN_N:-1000000}
RATE=${RATE:-50000}
STEADY_SECONDS=${STEADY_SECONDS:-20}
LANES=${LANES:-8}
ACK_MS=${ACK_MS:-50}
JAVA_OPTS=${FERRY_JAVA_OPTS:--Xmx2g -XX:TieredStopAtLevel=1}  # the launcher's default for sync
TIMEOUT=${TIMEOUT:-900}
TESTS=set,incr,lpush,hset

for tool in redis-server redis-cli redis-benchmark java javac; do
  command -v $tool >/dev/null || { echo "sync.sh: $tool is needed (apt-get install -y redis-server redis-tools openjdk-17-jdk-headless)" >&2; exit 1; }
done

tmp="$(mktemp -d -t ferry-bench.XXXXXX)"
pids=()
ferry_pid=""
cleanup() {
  set +e
  if [[ -n "$ferry_pid" ]] && kill -0 "$ferry_pid" 2>/dev/null; then
    kill -CONT "$ferry_pid"; kill -TERM "$ferry_pid"; wait "$ferry_pid" 2>/dev/null
  fi
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null; done
  if [[ "${KEEP:-0}" == 1 ]]; then echo "(kept $tmp)" >&2; else rm -rf "$tmp"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

now_ms() { date +%s%3N; }
log() { echo "[$(date +%T)] $*" >&2; }
die() { echo "sync.sh: $*" >&2; [[ -f "$tmp/ferry.log" ]] && tail -n 30 "$tmp/ferry.log" >&2; exit 1; }

# A loopback port nobody listens on (checked with bash's /dev/tcp).
used_ports=" "
free_port() {
  local p
  while :; do
    p=$((20000 + RANDOM % 30000))
    [[ "$used_ports" == *" $p "* ]] && continue
    if ! (exec 3<>/dev/tcp/127.0.0.1/$p) 2>/dev/null; then used_ports+="$p "; echo $p; return; fi
  done
}

declare -A server_pid
start_redis() { # name port extra-args...
  local name=$1 port=$2; shift 2
  mkdir -p "$tmp/$name"
  redis-server --port "$port" --bind 127.0.0.1 --dir "$tmp/$name" --save '' --appendonly no \
    --logfile "$tmp/$name.log" --daemonize no "$@" &
  pids+=($!); server_pid[$name]=$!
  for _ in $(seq 200); do redis-cli -p "$port" ping >/dev/null 2>&1 && return; sleep 0.05; done
  die "redis-server $name did not start (see $tmp/$name.log)"
}

# CPU seconds a process used (with its reaped children: the source's snapshot fork).
cpu_s() { awk '{printf "%.2f", ($14 + $15 + $16 + $17) / 100}' "/proc/$1/stat" 2>/dev/null || echo 0; }
# Ferry's CPU seconds per thread group: the applier (main), JIT, lane readers, source link, GC, rest.
ferry_threads() {
  for t in /proc/"$ferry_pid"/task/*; do
    echo "$(awk '{print $14 + $15}' "$t/stat" 2>/dev/null || echo 0) $(cat "$t/comm" 2>/dev/null)"
  done | awk '{ n = $2; g = (n == "java") ? "main" : (n ~ /^C[12]/) ? "JIT" : (n ~ /^ferry-pipeline/) ? "lanes" : (n ~ /^ferry-source/) ? "source-link" : (n ~ /^GC|^G1/) ? "GC" : (n ~ /^ferry-ack/) ? "ack" : "other"; c[g] += $1 }
               END { for (g in c) printf "%s=%d ", g, c[g] }'
}
threads_delta() { # before after -> "main 1.2 s, JIT 0.8 s, ..."
  awk -v a="$1" -v b="$2" 'BEGIN { n = split(a, x, " "); for (i = 1; i <= n; i++) { split(x[i], kv, "="); before[kv[1]] = kv[2] }
    n = split(b, y, " "); for (i = 1; i <= n; i++) { split(y[i], kv, "="); d = (kv[2] - before[kv[1]]) / 100; if (d >= 0.01) { out = out sprintf("%s%s %.2f s", sep, kv[1], d); sep = ", "; tot += d } }
    printf "%.2f s (%s)", tot, out }'
}
ferry_cpu_report() { # label threads-before
  local now; now=$(ferry_threads)
  echo "  CPU during $1: Ferry $(threads_delta "$2" "$now"); target redis $(awk -v a="$3" -v b="$(cpu_s "${server_pid[target]}")" 'BEGIN{printf "%.2f", b-a}') s;" \
       "source redis $(awk -v a="$4" -v b="$(cpu_s "${server_pid[source]}")" 'BEGIN{printf "%.2f", b-a}') s"
}
hwm() { awk '/VmHWM/{printf "%.0f MiB", $2/1024}' "/proc/$ferry_pid/status"; }

# ---------------------------------------------------------------- build
jar="$root/target/ferry.jar"
if [[ ! -f "$jar" || -n "$(find "$root/src/main" "$root/pom.xml" -newer "$jar" -print -quit)" ]]; then
  log "building Ferry"
  (cd "$root" && { mvn -q -o package -DskipTests || mvn -q package -DskipTests; }) >&2
fi
"$root/ferry" --version >/dev/null # the launcher makes its class-data archive once per build, before any timing
javac -d "$tmp/probe" "$here/BenchProbe.java"
probe() { java -cp "$tmp/probe" BenchProbe "$@"; }

SRC=$(free_port); NATIVE=$(free_port); TGT=$(free_port)

echo "== Ferry sync benchmark  $(date -u +%FT%TZ)  commit $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo '?')"
echo "   machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), $(free -g | awk '/Mem:/{print $2}') GB;" \
     "load average $(cut -d' ' -f1-3 /proc/loadavg) at start."
echo "   Source, targets, load generators and Ferry all share these cores (and whatever else runs on the machine):"
echo "   wall-clock rates are bounded by that; the CPU lines show what each process consumed."
echo "   $(redis-server --version | cut -d' ' -f1-3), $(java -version 2>&1 | head -1), Ferry JVM: $JAVA_OPTS, --lanes $LANES, --ack-interval $ACK_MS ms"

# ---------------------------------------------------------------- source data
# repl-timeout and an unlimited replica output buffer let the source hold the stream while Ferry is stopped (2b).
start_redis source "$SRC" --enable-debug-command yes --repl-diskless-sync yes --repl-diskless-sync-delay 0 \
  --repl-backlog-size 256mb --repl-timeout 600 --client-output-buffer-limit "replica 0 0 0"
log "populating the source: $KEYS strings + $EXTRA each of hashes, lists, zsets (+100 big ones of each)"
redis-cli -p "$SRC" DEBUG POPULATE "$KEYS" key 32 >/dev/null
redis-cli -p "$SRC" EVAL "
  local n = tonumber(ARGV[1])
  for i = 1, n do
    redis.call('HSET', 'hash:'..i, 'f1', i, 'f2', 'value-'..i, 'f3', i * 3, 'f4', 'x', 'f5', 'y')
    redis.call('RPUSH', 'list:'..i, 'a', 'b', 'c', i, 'value-'..i)
    redis.call('ZADD', 'zset:'..i, 1, 'a', 2, 'b', 3, 'c', i, 'm'..i)
  end
  for i = 1, 100 do
    for j = 1, 1000, 100 do
      local h, l, z = {}, {}, {}
      for k = j, j + 99 do
        h[#h+1] = 'field:'..k; h[#h+1] = 'value-'..k..'-'..i
        l[#l+1] = 'element-'..k
        z[#z+1] = k; z[#z+1] = 'member:'..k
      end
      redis.call('HSET', 'bighash:'..i, unpack(h))
      redis.call('RPUSH', 'biglist:'..i, unpack(l))
      redis.call('ZADD', 'bigzset:'..i, unpack(z))
    end
  end
  return 1" 0 "$EXTRA" >/dev/null
expected=$(redis-cli -p "$SRC" DBSIZE)
mem=$(redis-cli -p "$SRC" INFO memory | awk -F: '/^used_memory_human/{print $2}' | tr -d '\r')
echo
echo "== 1. Full sync of $expected keys ($mem on the source; 1000-element hashes/lists/zsets among them), diskless transfer (repl-diskless-sync yes, delay 0)"

# -- native reference: REPLICAOF into an empty redis-server
start_redis native "$NATIVE"
src_cpu0=$(cpu_s "${server_pid[source]}")
t0=$(now_ms)
redis-cli -p "$NATIVE" REPLICAOF 127.0.0.1 "$SRC" >/dev/null
while :; do
  if redis-cli -p "$NATIVE" INFO replication | grep -q '^master_link_status:up'; then
    [[ "$(redis-cli -p "$NATIVE" DBSIZE)" == "$expected" ]] && break
  fi
  (( $(now_ms) - t0 > TIMEOUT * 1000 )) && die "native replica did not finish within $TIMEOUT s"
  sleep 0.02
done
native_ms=$(( $(now_ms) - t0 ))
native_cpu=$(cpu_s "${server_pid[native]}")
native_src_cpu=$(awk -v a="$src_cpu0" -v b="$(cpu_s "${server_pid[source]}")" 'BEGIN{printf "%.2f", b-a}')
redis-cli -p "$NATIVE" REPLICAOF NO ONE >/dev/null
redis-cli -p "$NATIVE" SHUTDOWN NOSAVE >/dev/null 2>&1 || true
for _ in $(seq 100); do [[ "$(redis-cli -p "$SRC" INFO replication | awk -F: '/^connected_slaves/{print $2+0}')" == 0 ]] && break; sleep 0.05; done

# -- Ferry into another empty redis-server
start_redis target "$TGT"
ckpt_keys=(); for ((i = 0; i < LANES; i++)); do ckpt_keys+=("__ferry_checkpoint:$i"); done
target_keys() { # DBSIZE minus Ferry's checkpoint keys
  local n c
  n=$(redis-cli -p "$TGT" DBSIZE); c=$(redis-cli -p "$TGT" EXISTS "${ckpt_keys[@]}")
  echo $((n - c))
}
src_cpu0=$(cpu_s "${server_pid[source]}"); tgt_cpu0=$(cpu_s "${server_pid[target]}")
t0=$(now_ms)
FERRY_JAVA_OPTS="$JAVA_OPTS -Xlog:gc:file=$tmp/gc.log" "$root/ferry" sync --source "redis://127.0.0.1:$SRC" --target "redis://127.0.0.1:$TGT" \
  --state-dir "$tmp/state" --lanes "$LANES" --ack-interval "$ACK_MS" 2>"$tmp/ferry.log" &
ferry_pid=$!
while :; do
  kill -0 "$ferry_pid" 2>/dev/null || die "Ferry exited"
  [[ "$(target_keys 2>/dev/null)" == "$expected" ]] && break
  (( $(now_ms) - t0 > TIMEOUT * 1000 )) && die "Ferry did not copy the snapshot within $TIMEOUT s"
  sleep 0.02
done
ferry_ms=$(( $(now_ms) - t0 ))
th_snap=$(ferry_threads)
for _ in $(seq 500); do grep -q 'snapshot applied' "$tmp/ferry.log" && break; sleep 0.02; done
# JVM start -> first log line (start-up), from Ferry's own timestamps.
first_log=$(head -1 "$tmp/ferry.log" | cut -d' ' -f1)
startup_ms=$(( $(date -d "$(date -d @$((t0 / 1000)) +%F) $first_log" +%s%3N) - t0 ))

awk -v n="$expected" -v a="$native_ms" -v b="$ferry_ms" -v s="$startup_ms" 'BEGIN {
  printf "  native REPLICAOF : %7.2f s  %9.0f keys/s  (REPLICAOF sent -> link up and DBSIZE matches)\n", a/1000, n/(a/1000)
  printf "  Ferry            : %7.2f s  %9.0f keys/s  (JVM start -> target DBSIZE matches, checkpoint keys excluded;\n", b/1000, n/(b/1000)
  printf "                                                 of which %.2f s JVM start-up before Ferry'"'"'s first log line)\n", s/1000
  printf "  ratio Ferry/native time: %.2f  (goal <= 1.00: %s)\n", b/a, (b <= a ? "MET" : "MISSED")
}'
echo "  Ferry log: $(grep -o 'snapshot applied.*' "$tmp/ferry.log" || echo '?')"
echo "  CPU: native replica $native_cpu s (source $native_src_cpu s); Ferry $(threads_delta "" "$th_snap"), target redis" \
     "$(awk -v a="$tgt_cpu0" -v b="$(cpu_s "${server_pid[target]}")" 'BEGIN{printf "%.2f", b-a}') s (source $(awk -v a="$src_cpu0" -v b="$(cpu_s "${server_pid[source]}")" 'BEGIN{printf "%.2f", b-a}') s)"
echo "  Ferry peak RSS so far: $(hwm)"

# ---------------------------------------------------------------- 2. incremental throughput
echo
echo "== 2a. Incremental, live: redis-benchmark -t $TESTS -n $BENCH_N -P 32 -r 100000 on the source, one run per test, Ferry applying meanwhile"
echo "      (LPUSH goes to the single key 'mylist' and HSET to the single key 'myhash': those two tests run on one lane)"
sleep 1
mark=$(wc -l <"$tmp/ferry.log"); th0=$(ferry_threads); t_cpu=$(cpu_s "${server_pid[target]}"); s_cpu=$(cpu_s "${server_pid[source]}")
probe stream "$SRC" "$BENCH_N" "$TESTS" -- redis-benchmark -p "$SRC" -n "$BENCH_N" -P 32 -r 100000 -q | tee "$tmp/p2.txt"
ferry_cpu_report "2a" "$th0" "$t_cpu" "$s_cpu"
echo "  Ferry status lines:"; tail -n +"$((mark + 1))" "$tmp/ferry.log" | grep -o 'incremental: .*' | sed 's/^/    /' || true
src_n=$(redis-cli -p "$SRC" DBSIZE); tgt_n=$(target_keys)
src_l=$(redis-cli -p "$SRC" LLEN mylist); tgt_l=$(redis-cli -p "$TGT" LLEN mylist)
src_h=$(redis-cli -p "$SRC" HLEN myhash); tgt_h=$(redis-cli -p "$TGT" HLEN myhash)
echo "  totals: keys source $src_n / target $tgt_n; LLEN mylist $src_l / $tgt_l; HLEN myhash $src_h / $tgt_h" \
     "($([[ "$src_n $src_l $src_h" == "$tgt_n $tgt_l $tgt_h" ]] && echo identical || echo DIFFERENT))"

echo
echo "== 2b. Incremental, apply capacity: Ferry stopped (SIGSTOP) while redis-benchmark -t $TESTS -n $DRAIN_N -P 32 -r 100000 runs,"
echo "      then resumed (SIGCONT): the backlog is applied as fast as Ferry and the target can, with the source and load generator idle"
sleep 1
th0=$(ferry_threads); t_cpu=$(cpu_s "${server_pid[target]}"); s_cpu=$(cpu_s "${server_pid[source]}")
probe drain "$SRC" "$DRAIN_N" "$TESTS" "$ferry_pid" -- redis-benchmark -p "$SRC" -n "$DRAIN_N" -P 32 -r 100000 -q | tee "$tmp/p2b.txt"
ferry_cpu_report "2b (including the benchmark while Ferry was stopped)" "$th0" "$t_cpu" "$s_cpu"
echo "  Ferry peak RSS so far: $(hwm)"

# ---------------------------------------------------------------- 3. lag at a steady rate
echo
echo "== 3. Lag at a steady $RATE writes/s for $STEADY_SECONDS s, sampled every 100 ms"
echo "     (Ferry runs with --ack-interval $ACK_MS: the acked offset the source shows is up to $ACK_MS ms old by design, ~$((ACK_MS / 2)) ms on average)"
sleep 1
mark=$(wc -l <"$tmp/ferry.log"); th0=$(ferry_threads); t_cpu=$(cpu_s "${server_pid[target]}"); s_cpu=$(cpu_s "${server_pid[source]}")
probe steady "$SRC" "$RATE" "$STEADY_SECONDS" | tee "$tmp/p3.txt"
ferry_cpu_report "3" "$th0" "$t_cpu" "$s_cpu"
echo "  Ferry status lines (its own lag estimate, every 5 s):"; tail -n +"$((mark + 1))" "$tmp/ferry.log" | grep -o 'incremental: .*' | sed 's/^/    /' || true
src_n=$(redis-cli -p "$SRC" DBSIZE); tgt_n=$(target_keys)
echo "  totals: keys source $src_n / target $tgt_n ($([[ "$src_n" == "$tgt_n" ]] && echo identical || echo DIFFERENT))"

# ---------------------------------------------------------------- memory
echo
echo "== Ferry process memory ($JAVA_OPTS)"
echo "  peak RSS (VmHWM): $(hwm)"
awk '/GC\(/ {
    n++; if (match($0, /[0-9]+M->[0-9]+M\([0-9]+M\)/)) { split(substr($0, RSTART, RLENGTH), a, /M->|M\(|M\)/); if (a[1] + 0 > peak) peak = a[1] + 0; if (a[2] + 0 > live) live = a[2] + 0; if (a[3] + 0 > cap) cap = a[3] + 0 }
    if (match($0, /[0-9.]+ms$/)) pause += substr($0, RSTART, RLENGTH - 2)
  } END { printf "  heap: peak used %d MiB (before a GC), peak committed %d MiB, at most %d MiB still live after a GC; %d GC events, %.0f ms paused in total\n", peak, cap, live, n, pause
          printf "  (the heap grows with -Xmx because G1 sizes its young generation to it; the live data is what Ferry actually holds)\n" }' "$tmp/gc.log"

# ---------------------------------------------------------------- summary
val() { grep -h '^RESULT' "$2" 2>/dev/null | sed -n "s/.*$1=\([0-9.]*\).*/\1/p" | head -1; }
applied=$(val applied_cmds_per_s "$tmp/p2.txt"); drain=$(val drain_cmds_per_s "$tmp/p2b.txt")
lag50=$(val lag_p50_ms "$tmp/p3.txt"); lag99=$(val lag_p99_ms "$tmp/p3.txt"); lagmax=$(val lag_max_ms "$tmp/p3.txt"); wrate=$(val writes_per_s "$tmp/p3.txt")
echo
echo "== Summary ($(nproc) shared cores; load average now $(cut -d' ' -f1-3 /proc/loadavg))"
awk -v a="$native_ms" -v b="$ferry_ms" -v s="$startup_ms" -v n="$expected" -v r="${applied:-0}" -v d="${drain:-0}" -v w="${wrate:-0}" \
    -v l50="${lag50:-0}" -v l99="${lag99:-0}" -v lm="${lagmax:-0}" 'BEGIN {
  printf "  1. full sync of %d keys: Ferry %.2f s vs native %.2f s = %.2fx native time (%.2fx without JVM start-up)   goal <= 1.00x: %s\n", n, b/1000, a/1000, b/a, (b-s)/a, (b <= a ? "MET" : "MISSED")
  printf "  2. incremental: %.0f commands/s applied live (bounded by what the source accepted), %.0f commands/s draining a backlog   goal >= 150000: %s\n", r, d, (r >= 150000 ? "MET" : (d >= 150000 ? "MET only when draining" : "MISSED"))
  printf "  3. lag at %.0f writes/s: p50 %.1f ms, p99 %.1f ms, max %.1f ms (ack interval %d ms included)   goal < 100 ms: %s\n", w, l50, l99, lm, '"$ACK_MS"', (l99 < 100 ? "MET at p99" : (l50 < 100 ? "MET at p50, MISSED at p99" : "MISSED"))
}'
