#!/usr/bin/env bash
# Ferry sync from a Pika 3.5 master: full sync of a big blackwidow dump, then the drain of a big
# binlog, each against redis-cli --pipe replaying the same data as typed commands, in the same run.
#
#   bench/pika.sh                        # needs redis-server, redis-cli, java 17, mvn (offline build)
#   KEYS=100000 ITEMS=200000 bench/pika.sh   # a quick, smaller run
#
# Knobs (environment): KEYS (strings, default 500000; KEYS/25 each of small hashes, lists, sets,
# zsets come with them), BIG (elements of the two big keys of each type, default 100000), ITEMS
# (binlog items, default 1000000), FERRY_JAVA_OPTS (default the launcher's -Xmx2g
# -XX:TieredStopAtLevel=1), KEEP=1 keeps the temp dir (Ferry log, GC log, master output),
# PROFILE=1 records Ferry with JFR and prints the most sampled methods, REGEN=1 remakes the data.
#
# The master is FakePikaMaster in synthetic mode (test classpath, its own JVM): Pika 3.5.5's
# handshake from the recording, the generated dump served on port+10001, the binlog pushed on
# port+2000 in pushes of 100 items within Pika's 9000-item window, every ack checked. It holds the
# binlog until the target holds the whole dump, so the two phases are timed apart.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"

KEYS=${KEYS:-500000}
BIG=${BIG:-100000}
ITEMS=${ITEMS:-1000000}
JAVA_OPTS=${FERRY_JAVA_OPTS:--Xmx2g -XX:TieredStopAtLevel=1}
TIMEOUT=${TIMEOUT:-900}

for tool in redis-server redis-cli java mvn; do
  command -v $tool >/dev/null || { echo "pika.sh: $tool is needed (apt-get install -y redis-server redis-tools openjdk-17-jdk-headless maven)" >&2; exit 1; }
done

tmp="$(mktemp -d -t ferry-pika-bench.XXXXXX)"
pids=()
ferry_pid=""
cleanup() {
  set +e
  if [[ -n "$ferry_pid" ]] && kill -0 "$ferry_pid" 2>/dev/null; then kill -TERM "$ferry_pid"; wait "$ferry_pid" 2>/dev/null; fi
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null; done
  if [[ "${KEEP:-0}" == 1 ]]; then echo "(kept $tmp)" >&2; else rm -rf "$tmp"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

now_ms() { date +%s%3N; }
log() { echo "[$(date +%T)] $*" >&2; }
die() { echo "pika.sh: $*" >&2; [[ -f "$tmp/ferry.log" ]] && tail -n 30 "$tmp/ferry.log" >&2; exit 1; }

used_ports=" "
free_port() { # a loopback port nobody listens on (checked with bash's /dev/tcp)
  local p
  while :; do
    p=$((20000 + RANDOM % 30000))
    [[ "$used_ports" == *" $p "* ]] && continue
    if ! (exec 3<>/dev/tcp/127.0.0.1/$p) 2>/dev/null; then used_ports+="$p "; echo $p; return; fi
  done
}
start_redis() { # name port
  mkdir -p "$tmp/$1"
  redis-server --port "$2" --bind 127.0.0.1 --dir "$tmp/$1" --save '' --appendonly no --logfile "$tmp/$1.log" --daemonize no &
  pids+=($!)
  for _ in $(seq 200); do redis-cli -p "$2" ping >/dev/null 2>&1 && return; sleep 0.05; done
  die "redis-server $1 did not start (see $tmp/$1.log)"
}
# the target's commands by name since the last call (INFO commandstats, then CONFIG RESETSTAT)
commands() {
  redis-cli -p "$1" INFO commandstats | awk -F'[:=,]' '/^cmdstat_/ { sub(/cmdstat_/, "", $1); n[$1] = $3; tot += $3 }
    END { for (c in n) if (n[c] * 100 >= tot) printf "%s %d\n", c, n[c] }' | sort -k2 -rn | awk '{ printf "%s%s %d", sep, $1, $2; sep = ", " } END { print "" }'
  redis-cli -p "$1" CONFIG RESETSTAT >/dev/null
}
cpu_s() { awk '{printf "%.2f", ($14 + $15 + $16 + $17) / 100}' "/proc/$1/stat" 2>/dev/null || echo 0; }
field() { sed -n "s/.*$1=\([^ ]*\).*/\1/p" <<<"$2" | head -1; }

# ---------------------------------------------------------------- build
jar="$root/target/ferry.jar"
if [[ ! -f "$jar" || -n "$(find "$root/src/main" "$root/pom.xml" -newer "$jar" -print -quit)" ]]; then
  log "building Ferry"
  (cd "$root" && mvn -q -o package -DskipTests) >&2
fi
"$root/ferry" --version >/dev/null # the launcher makes its class-data archive once per build, before any timing
mkdir -p "$root/bench/out"
(cd "$root" && mvn -q -o test-compile dependency:build-classpath -Dmdep.outputFile=bench/out/cp.txt -Dmdep.includeScope=test) >&2
cp="$root/target/classes:$root/target/test-classes:$(cat "$root/bench/out/cp.txt")"
bench() { java -Xmx2g -cp "$cp" io.ferry.bench.PikaSyncBench "$@"; }

echo "== Ferry sync from a Pika 3.5 master  $(date -u +%FT%TZ)  commit $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo '?')"
echo "   machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), $(free -g | awk '/Mem:/{print $2}') GB;" \
     "load average $(cut -d' ' -f1-3 /proc/loadavg) at start. Master, target, Ferry (and redis-cli) share these cores."
echo "   $(redis-server --version | cut -d' ' -f1-3), $(java -version 2>&1 | head -1), Ferry JVM: $JAVA_OPTS"

# The data is generated once per size into bench/out/ (REGEN=1 makes it again): it is deterministic.
data="$root/bench/out/pika-$KEYS-$BIG-$ITEMS"
if [[ ! -s "$data/gen.txt" || "${REGEN:-0}" == 1 ]]; then
  log "generating: $KEYS strings, $((KEYS / 25)) each of small hashes/lists/sets/zsets, 2 of each with $BIG elements; $ITEMS binlog items"
  rm -rf "$data"; mkdir -p "$data"
  bench gen "$data" "$KEYS" "$BIG" "$ITEMS" | grep '^dump_keys' >"$data/gen.txt.tmp" && mv "$data/gen.txt.tmp" "$data/gen.txt"
fi
gen=$(cat "$data/gen.txt")
expected=$(field dump_keys "$gen"); dump_bytes=$(field dump_bytes "$gen")
echo "   data: $KEYS strings, $((KEYS / 25)) each of small hashes/lists/sets/zsets (5 elements), 2 of each type with $BIG elements; $ITEMS binlog items"
echo "   dump: $expected keys, $(awk -v b="$dump_bytes" 'BEGIN{printf "%.1f MB", b/1e6}') of RocksDB files (snappy);" \
     "reference files: dump $(du -m "$data/dump.resp" | cut -f1) MB, binlog $(du -m "$data/binlog.resp" | cut -f1) MB of RESP"

# ---------------------------------------------------------------- reference: redis-cli --pipe
REF=$(free_port)
start_redis ref "$REF"
ref_pid=${pids[-1]}
t0=$(now_ms); redis-cli -p "$REF" --pipe <"$data/dump.resp" >"$tmp/ref-dump.out"; ref_full_ms=$(( $(now_ms) - t0 ))
ref_full_cmds=$(commands "$REF")
[[ "$(redis-cli -p "$REF" DBSIZE)" == "$expected" ]] || die "reference holds $(redis-cli -p "$REF" DBSIZE) keys, not $expected"
t0=$(now_ms); redis-cli -p "$REF" --pipe <"$data/binlog.resp" >"$tmp/ref-binlog.out"; ref_drain_ms=$(( $(now_ms) - t0 ))
ref_drain_cmds=$(commands "$REF")
grep -q 'errors: 0' "$tmp/ref-binlog.out" || die "reference binlog replay had errors: $(tail -1 "$tmp/ref-binlog.out")"
ref_total=$(redis-cli -p "$REF" DBSIZE)
ref_digest=$(redis-cli -p "$REF" DEBUG DIGEST 2>/dev/null || echo '?')
redis-cli -p "$REF" SHUTDOWN NOSAVE >/dev/null 2>&1 || true

# ---------------------------------------------------------------- Ferry from the synthetic master
TGT=$(free_port)
start_redis target "$TGT"
tgt_pid=${pids[-1]}
bench master "$data" "$tmp" "$KEYS" "$BIG" "$ITEMS" >"$tmp/master.out" 2>"$tmp/master.err" &
pids+=($!); master_pid=$!
for _ in $(seq 1200); do grep -q '^port=' "$tmp/master.out" 2>/dev/null && break; kill -0 "$master_pid" 2>/dev/null || die "master exited: $(tail -5 "$tmp/master.err")"; sleep 0.05; done
MPORT=$(sed -n 's/^port=//p' "$tmp/master.out")
[[ -n "$MPORT" ]] && log "master on $MPORT" || die "master did not start"

# Ferry's checkpoint keys (counted server-side: a --scan of every key would delay the poll by seconds)
ckpt_keys() { redis-cli -p "$TGT" EVAL "return #redis.call('KEYS', '__ferry_checkpoint:*')" 0; }
# keys on the target, the checkpoint keys excluded (counted only once DBSIZE could be complete)
target_keys() {
  local n; n=$(redis-cli -p "$TGT" DBSIZE)
  if (( n < expected )); then echo "$n"; return; fi
  echo $(( n - $(ckpt_keys) ))
}
tgt_cpu0=$(cpu_s "$tgt_pid"); m_cpu0=$(cpu_s "$master_pid")
t0=$(now_ms)
prof=""; [[ "${PROFILE:-0}" == 1 ]] && prof="-XX:StartFlightRecording=filename=$tmp/ferry.jfr,settings=profile"
FERRY_JAVA_OPTS="$JAVA_OPTS -Xlog:gc:file=$tmp/gc.log $prof" "$root/ferry" sync -s "pika://127.0.0.1:$MPORT" -t "redis://127.0.0.1:$TGT" \
  --state-dir "$tmp/state" 2>"$tmp/ferry.log" &
ferry_pid=$!
while :; do
  kill -0 "$ferry_pid" 2>/dev/null || die "Ferry exited"
  [[ "$(target_keys 2>/dev/null)" == "$expected" ]] && break
  (( $(now_ms) - t0 > TIMEOUT * 1000 )) && die "Ferry did not copy the dump within $TIMEOUT s"
  sleep 0.05
done
ferry_full_ms=$(( $(now_ms) - t0 ))
full_cpu=$(cpu_s "$ferry_pid"); full_tgt_cpu=$(awk -v a="$tgt_cpu0" -v b="$(cpu_s "$tgt_pid")" 'BEGIN{printf "%.2f", b-a}')
full_cmds=$(commands "$TGT")
full_hwm=$(awk '/VmHWM/{printf "%.0f", $2/1024}' "/proc/$ferry_pid/status")

# ---------------------------------------------------------------- the binlog drain
tgt_cpu0=$(cpu_s "$tgt_pid")
touch "$tmp/release"
t1=$(now_ms)
while [[ ! -s "$tmp/drain.txt" ]]; do
  kill -0 "$ferry_pid" 2>/dev/null || die "Ferry exited during the drain"
  (( $(now_ms) - t1 > TIMEOUT * 1000 )) && die "the binlog was not acked within $TIMEOUT s"
  sleep 0.05
done
drain=$(head -1 "$tmp/drain.txt")
[[ "$(field violations "$drain")" == 0 ]] || die "the master saw protocol violations: $(tail -n +2 "$tmp/drain.txt" | head -5)"
drain_cpu=$(awk -v a="$full_cpu" -v b="$(cpu_s "$ferry_pid")" 'BEGIN{printf "%.2f", b-a}')
drain_tgt_cpu=$(awk -v a="$tgt_cpu0" -v b="$(cpu_s "$tgt_pid")" 'BEGIN{printf "%.2f", b-a}')
hwm=$(awk '/VmHWM/{printf "%.0f", $2/1024}' "/proc/$ferry_pid/status")
drain_cmds=$(commands "$TGT")
sleep 0.5 # acked means applied; the digest compares what the target holds with the reference
tgt_total=$(( $(redis-cli -p "$TGT" DBSIZE) - $(ckpt_keys) ))
for k in $(redis-cli -p "$TGT" --scan --pattern '__ferry_checkpoint:*'); do redis-cli -p "$TGT" DEL "$k" >/dev/null; done
tgt_digest=$(redis-cli -p "$TGT" DEBUG DIGEST 2>/dev/null || echo '?')
kill -TERM "$ferry_pid"; wait "$ferry_pid" 2>/dev/null || true; ferry_pid=""

heap=$(awk '/GC\(/ { if (match($0, /[0-9]+M->[0-9]+M\([0-9]+M\)/)) { split(substr($0, RSTART, RLENGTH), a, /M->|M\(|M\)/);
    if (a[1] + 0 > peak) peak = a[1] + 0; if (a[2] + 0 > live) live = a[2] + 0; if (a[3] + 0 > cap) cap = a[3] + 0 } n++ }
  END { printf "peak used %d MiB before a GC, %d MiB committed, at most %d MiB live after a GC, %d GC events", peak, cap, live, n }' "$tmp/gc.log")

# ---------------------------------------------------------------- summary
echo
echo "== Summary (load average now $(cut -d' ' -f1-3 /proc/loadavg))"
awk -v n="$expected" -v by="$dump_bytes" -v f="$ferry_full_ms" -v r="$ref_full_ms" -v items="$(field drain_items "$drain")" \
    -v ds="$(field drain_s "$drain")" -v rd="$ref_drain_ms" -v fc="$full_cpu" -v ftc="$full_tgt_cpu" -v dc="$drain_cpu" -v dtc="$drain_tgt_cpu" 'BEGIN {
  printf "  %-44s %9s %12s %9s %s\n", "", "seconds", "rate", "MB/s", "ratio to the reference (rate)"
  printf "  %-44s %9.2f %8.0f keys/s %9.1f %.2f\n", "full sync, Ferry (JVM start -> all keys)", f/1000, n/(f/1000), by/1e6/(f/1000), r/f
  printf "  %-44s %9.2f %8.0f keys/s %9s\n", "full sync, reference redis-cli --pipe", r/1000, n/(r/1000), ""
  printf "  %-44s %9.2f %7.0f items/s %9s %.2f\n", "binlog drain, Ferry (release -> last ack)", ds, items/ds, "", (rd/1000)/ds
  printf "  %-44s %9.2f %7.0f items/s\n", "binlog drain, reference redis-cli --pipe", rd/1000, items/(rd/1000)
  printf "  CPU: Ferry %.2f s during the full sync (target %.2f s), %.2f s during the drain (target %.2f s)\n", fc, ftc, dc, dtc
}'
echo "  Ferry memory: peak RSS (VmHWM) ${full_hwm} MiB after the full sync, ${hwm} MiB at the end; heap: $heap"
echo "  target after the drain: $tgt_total keys, reference $ref_total; DEBUG DIGEST $([[ "$tgt_digest" == "$ref_digest" ]] && echo identical || echo "DIFFERENT ($tgt_digest vs $ref_digest)")"
echo "  target commands (≥ 1% of the calls), full sync: Ferry: $full_cmds"
echo "                                                  reference: $ref_full_cmds"
echo "                                        drain:    Ferry: $drain_cmds"
echo "                                                  reference: $ref_drain_cmds"
echo "  master: $drain"
echo "  Ferry: $(grep -o 'snapshot applied.*' "$tmp/ferry.log" | head -1 || echo '?')"
if [[ -n "$prof" ]]; then # the methods most often on top of a sampled stack, per thread
  echo "  profile (JFR execution samples, top frames):"
  jfr print --events jdk.ExecutionSample --stack-depth 1 "$tmp/ferry.jfr" | awk '
    /sampledThread/ { t = $0; sub(/.*= "/, "", t); sub(/".*/, "", t); sub(/[0-9]+$/, "", t) }
    /line:/ { f = $0; sub(/^ +/, "", f); sub(/\(.*/, "", f); n[t " | " f]++; tot++ }
    END { for (k in n) printf "%6d %5.1f%%  %s\n", n[k], 100 * n[k] / tot, k }' | sort -rn | head -25 | sed 's/^/    /'
fi
