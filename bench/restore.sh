#!/usr/bin/env bash
# Benchmark: `ferry restore` of an RDB with >= 1M keys into an empty redis-server, against the
# reference measured in the same run: the same keys as `RESTORE key 0 payload` commands (made with
# DUMP on the source) piped by `redis-cli --pipe` into an empty redis-server.
#
# Usage: bench/restore.sh            (environment knobs below)
#   STRINGS=800000 HASHES=150000 LISTS=20000 SETS=20000 ZSETS=20000 VALUE_SIZE=32
#   REUSE=1   keep bench/out/bench.rdb and restore.resp from an earlier run with the same sizes
#   LANES="1 2 4 8"   REPEAT=3   EXTRA_FERRY_ARGS=""
#   JVMS="default=;tuned=-Xmx2g -XX:+UseParallelGC -XX:TieredStopAtLevel=1"
#        JVM option sets to compare, ';'-separated NAME=OPTIONS, passed as FERRY_JAVA_OPTS (empty: the
#        launcher's default). "tuned" trades C2's JIT work (about 2-3 s of CPU in a run this size,
#        which competes with redis-server on a small host) for slower steady-state code.
# Goal: Ferry's best time <= 1.3x the reference.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
out="$here/out"
mkdir -p "$out"

STRINGS=${STRINGS:-800000}
HASHES=${HASHES:-150000}
LISTS=${LISTS:-20000}
SETS=${SETS:-20000}
ZSETS=${ZSETS:-20000}
VALUE_SIZE=${VALUE_SIZE:-32}
LANES=${LANES:-"1 2 4 8"}
REPEAT=${REPEAT:-3}
JVMS=${JVMS:-"default=;tuned=-Xmx2g -XX:+UseParallelGC -XX:TieredStopAtLevel=1"}
EXTRA_FERRY_ARGS=${EXTRA_FERRY_ARGS:-}
total=$((STRINGS + HASHES + LISTS + SETS + ZSETS))

for c in redis-server redis-cli java awk; do
  command -v "$c" >/dev/null || { echo "bench: $c is needed" >&2; exit 1; }
done

pids=()
cleanup() {
  for p in "${pids[@]:-}"; do [[ -n "$p" ]] && kill "$p" 2>/dev/null || true; done
  rm -rf "$out"/srv-*
}
trap cleanup EXIT

free_port() {
  local p
  while :; do
    p=$((20000 + RANDOM % 40000))
    redis-cli -p "$p" ping >/dev/null 2>&1 || { echo "$p"; return; }
  done
}

# new_server [extra config...]: starts a fresh, empty, non-persistent redis-server on a free port
# and sets PORT (retrying when another process takes the port first).
new_server() {
  local attempt port dir
  for attempt in 1 2 3 4 5; do
    port=$(free_port)
    dir="$out/srv-$port"
    rm -rf "$dir"; mkdir -p "$dir"
    redis-server --port "$port" --bind 127.0.0.1 --save "" --appendonly no --dir "$dir" --logfile "$dir/log" "$@" >/dev/null 2>&1 &
    pids+=($!)
    for _ in $(seq 200); do
      if redis-cli -p "$port" ping 2>/dev/null | grep -q PONG; then PORT=$port; return; fi
      kill -0 "${pids[-1]}" 2>/dev/null || break
      sleep 0.05
    done
    grep -q "Address already in use" "$dir/log" 2>/dev/null || { echo "bench: redis-server on port $port did not start:" >&2; cat "$dir/log" >&2; exit 1; }
  done
  echo "bench: no free port for redis-server after 5 attempts" >&2; exit 1
}

stop_server() {
  redis-cli -p "$1" shutdown nosave >/dev/null 2>&1 || true
  wait 2>/dev/null || true
  rm -rf "$out/srv-$1"
}

now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }

echo "== Ferry restore benchmark: $total keys ($STRINGS strings of $VALUE_SIZE B, $HASHES hashes, $LISTS lists, $SETS sets, $ZSETS zsets)"
echo "   redis-server $(redis-server --version | sed 's/.*v=\([^ ]*\).*/\1/'), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"

# ---- (a) the RDB, made by a real server ----
rdb="$out/bench.rdb"
resp="$out/restore.resp"
params="$STRINGS $HASHES $LISTS $SETS $ZSETS $VALUE_SIZE"
if [[ "${REUSE:-0}" == 1 && -f "$rdb" && -f "$resp" && "$(cat "$out/params" 2>/dev/null)" == "$params" ]]; then
  echo "   reusing $rdb and $resp"
else
  rm -f "$out/params"
  new_server --enable-debug-command yes
  src=$PORT
  redis-cli -p "$src" debug populate "$STRINGS" string "$VALUE_SIZE" >/dev/null
  awk -v hashes="$HASHES" -v lists="$LISTS" -v sets="$SETS" -v zsets="$ZSETS" -v seed=42 -f "$here/collections.awk" \
    | redis-cli -p "$src" --pipe >/dev/null
  n=$(redis-cli -p "$src" dbsize)
  [[ "$n" -eq "$total" ]] || { echo "bench: source holds $n keys, expected $total" >&2; exit 1; }
  redis-cli -p "$src" save >/dev/null
  cp "$out/srv-$src/dump.rdb" "$rdb"
  # ---- the reference's input: RESTORE key 0 <DUMP payload> for every key ----
  dumped=$(java "$here/DumpRestoreStream.java" 127.0.0.1 "$src" "$resp")
  stop_server "$src"
  [[ "$dumped" -eq "$total" ]] || { echo "bench: dumped $dumped keys, expected $total" >&2; exit 1; }
  echo "$params" > "$out/params"
fi
echo "   RDB $(du -m "$rdb" | cut -f1) MiB; RESTORE stream $(du -m "$resp" | cut -f1) MiB"

# Build Ferry outside the timing.
"$root/ferry" --version >/dev/null

check_target() { # port what
  local got; got=$(redis-cli -p "$1" dbsize)
  [[ "$got" -eq "$total" ]] || { echo "bench: $2 left $got keys on the target, expected $total" >&2; exit 1; }
}

best() { printf '%s\n' "$@" | sort -g | head -1; }
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR] = $1} END {printf "%.2f\n", (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }

tick=$(getconf CLK_TCK)
server_cpu() { awk -v t="$tick" '{printf "%.2f", ($14 + $15) / t}' "/proc/$1/stat"; }

# Both runners print "WALL CLIENT_CPU SERVER_CPU" in seconds: the client's and the target's CPU
# time are much steadier than wall time when other processes share the host.
run_reference() {
  local t s e c0 c1 spid; new_server; t=$PORT; spid=${pids[-1]}
  c0=$(server_cpu "$spid")
  s=$(now)
  { TIMEFORMAT='%3U %3S'; time redis-cli -p "$t" --pipe < "$resp" > "$out/pipe.log"; } 2> "$out/cpu.txt"
  e=$(now)
  c1=$(server_cpu "$spid")
  grep -q "errors: 0," "$out/pipe.log" || { echo "bench: redis-cli --pipe reported errors:" >&2; cat "$out/pipe.log" >&2; exit 1; }
  check_target "$t" "redis-cli --pipe"; stop_server "$t"
  echo "$(secs "$s" "$e") $(awk '{printf "%.2f", $1 + $2}' "$out/cpu.txt") $(secs "$c0" "$c1")"
}

run_ferry() { # lanes java-options
  local t s e c0 c1 spid; new_server; t=$PORT; spid=${pids[-1]}
  c0=$(server_cpu "$spid")
  s=$(now)
  { TIMEFORMAT='%3U %3S'; time FERRY_JAVA_OPTS="$2" FERRY_NO_PROGRESS_BAR=1 "$root/ferry" restore "$rdb" \
      --target "redis://127.0.0.1:$t" --lanes "$1" $EXTRA_FERRY_ARGS 2> "$out/ferry.log"; } 2> "$out/cpu.txt" \
    || { echo "bench: ferry restore failed:" >&2; cat "$out/ferry.log" >&2; exit 1; }
  e=$(now)
  c1=$(server_cpu "$spid")
  check_target "$t" "ferry restore"; stop_server "$t"
  echo "$(secs "$s" "$e") $(awk '{printf "%.2f", $1 + $2}' "$out/cpu.txt") $(secs "$c0" "$c1")"
}

# Each round runs the reference and then every Ferry variant, so both see the same machine load
# (other processes on a shared host shift timings by a factor of two); the ratio of a round
# compares runs made seconds apart.
IFS=';' read -r -a jvm_sets <<< "$JVMS"
configs=()
for lanes in $LANES; do
  for j in "${jvm_sets[@]}"; do configs+=("$lanes|$j"); done
done
label() { # config
  local lanes=${1%%|*} j=${1#*|}
  if [[ ${#jvm_sets[@]} -gt 1 ]]; then echo "--lanes $lanes (${j%%=*})"; else echo "--lanes $lanes"; fi
}
ref_times=(); ref_ccpu=(); ref_scpu=()
declare -A ferry_times ferry_ccpu ferry_scpu ratios
for r in $(seq "$REPEAT"); do
  read -r ref_t cc sc <<< "$(run_reference)"
  ref_times+=("$ref_t"); ref_ccpu+=("$cc"); ref_scpu+=("$sc")
  line="   round $r: reference ${ref_t}s"
  for c in "${configs[@]}"; do
    lanes=${c%%|*}; j=${c#*|}
    read -r f cc sc <<< "$(run_ferry "$lanes" "${j#*=}")"
    ferry_times[$c]+="$f "; ferry_ccpu[$c]+="$cc "; ferry_scpu[$c]+="$sc "
    ratios[$c]+="$(awk -v f="$f" -v r="$ref_t" 'BEGIN{printf "%.3f", f/r}') "
    line+=", ferry $(label "$c") ${f}s"
  done
  echo "$line"
done
ref=$(best "${ref_times[@]}")
declare -A ferry_best
for c in "${configs[@]}"; do
  # shellcheck disable=SC2086
  ferry_best[$c]=$(best ${ferry_times[$c]})
done

echo
printf '%-34s %8s %10s %7s %8s %11s %11s\n' "run" "best s" "keys/s" "ratio" "median" "client CPU" "server CPU"
printf '%-34s %8s %10.0f %7s %8s %11s %11s\n' "reference: redis-cli --pipe" "$ref" "$(awk -v n="$total" -v t="$ref" 'BEGIN{print n/t}')" \
  "1.00" "1.00" "$(median "${ref_ccpu[@]}")" "$(median "${ref_scpu[@]}")"
overall=""
for c in "${configs[@]}"; do
  f=${ferry_best[$c]}
  # shellcheck disable=SC2086
  m=$(median ${ratios[$c]})
  # shellcheck disable=SC2086
  printf '%-34s %8s %10.0f %7.2f %8.2f %11s %11s\n' "ferry restore $(label "$c")" "$f" \
    "$(awk -v n="$total" -v t="$f" 'BEGIN{print n/t}')" "$(awk -v f="$f" -v r="$ref" 'BEGIN{print f/r}')" "$m" \
    "$(median ${ferry_ccpu[$c]})" "$(median ${ferry_scpu[$c]})"
  if [[ -z "$overall" ]] || awk -v a="$f" -v b="$overall" 'BEGIN{exit !(a < b)}'; then overall=$f; best_config=$(label "$c"); best_median=$m; fi
done
echo "(best s: fastest of $REPEAT rounds; ratio: best over best; median: median of the per-round ratios; CPU: median seconds)"
ratio=$(awk -v f="$overall" -v r="$ref" 'BEGIN{printf "%.2f", f/r}')
echo
verdict=$(awk -v x="$ratio" 'BEGIN{print (x <= 1.3) ? "meets" : "MISSES"}')
echo "best: ferry $best_config ${overall}s vs reference ${ref}s: ratio $ratio (median of its rounds $best_median; $verdict the goal of <= 1.30)"
