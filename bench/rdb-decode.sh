#!/usr/bin/env bash
# Benchmark: decoding a large RDB with Ferry's reader and with `ferry decode`, against two
# references measured in the same run (redis-check-rdb, the server's own loader code, and
# redis-replicator 3.11.0, a Java RDB parser).
#
#   bench/rdb-decode.sh [KEYS]      KEYS string keys from DEBUG POPULATE (default 1000000),
#                                   plus ~300k small collections, counters, streams and 5 big keys
#
# The RDB is generated once with a throw-away local redis-server and kept in bench/out/
# (REGEN=1 rebuilds it). BENCH_HEAP (default 512m) is the -Xmx of every JVM, BENCH_ROUNDS
# (default 3) the runs per mode, of which the best is reported.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
keys=${1:-1000000}
heap=${BENCH_HEAP:-512m}
rounds=${BENCH_ROUNDS:-3}
out=bench/out
rdb=$out/dump-$keys.rdb
mkdir -p "$out"
for tool in redis-server redis-cli redis-benchmark redis-check-rdb mvn java python3; do
  command -v "$tool" >/dev/null || { echo "rdb-decode.sh: $tool is needed (apt-get install redis-server redis-tools maven openjdk-17-jdk-headless)" >&2; exit 1; }
done

generate() {
  local port dir pid
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  dir=$(mktemp -d)
  redis-server --bind 127.0.0.1 --port "$port" --dir "$dir" --save "" --appendonly no --daemonize no \
    --enable-debug-command yes --logfile "$dir/redis.log" &
  pid=$!
  trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; rm -rf "$dir"' RETURN
  local cli=(redis-cli -p "$port") i
  for i in $(seq 100); do "${cli[@]}" PING >/dev/null 2>&1 && break; sleep 0.1; done
  local b=(redis-benchmark -p "$port" -q -P 64 -c 4)
  echo "generating: $keys strings, small and big collections, streams, expiries (redis-server $(redis-server --version | grep -o 'v=[^ ]*'))" >&2
  "${cli[@]}" DEBUG POPULATE "$keys" key 32 >/dev/null
  # every 5th string gets an expiry (EXPIRETIME_MS records)
  "${cli[@]}" EVAL "for i = 0, tonumber(ARGV[1]) - 1, 5 do redis.call('PEXPIRE', 'key:' .. i, 86400000) end" 0 "$keys" >/dev/null
  "${b[@]}" -n 100000 -r 100000 INCR 'counter:__rand_int__' >/dev/null                       # int-encoded strings
  "${b[@]}" -n 200000 -r 50000 RPUSH 'list:__rand_int__' '__rand_int__' 'item' >/dev/null      # listpack quicklists
  "${b[@]}" -n 200000 -r 50000 SADD 'set:__rand_int__' 'm:__rand_int__' >/dev/null           # small hashtable sets
  "${b[@]}" -n 100000 -r 50000 SADD 'intset:__rand_int__' '42' '7' '100000' >/dev/null        # intsets
  "${b[@]}" -n 200000 -r 50000 ZADD 'zset:__rand_int__' '__rand_int__' 'm:__rand_int__' >/dev/null
  "${b[@]}" -n 200000 -r 50000 HSET 'hash:__rand_int__' 'f:__rand_int__' 'v:__rand_int__' >/dev/null
  "${b[@]}" -n 50000 -r 10000 XADD 'stream:__rand_int__' '*' f '__rand_int__' >/dev/null
  "${b[@]}" -n 500000 -r 1000000 RPUSH 'big:list' '__rand_int__' >/dev/null                   # multi-node quicklist
  "${b[@]}" -n 300000 -r 1000000 HSET 'big:hash' 'f:__rand_int__' 'v:__rand_int__' >/dev/null # hashtable
  "${b[@]}" -n 300000 -r 1000000 ZADD 'big:zset' '__rand_int__' 'm:__rand_int__' >/dev/null   # skiplist
  "${b[@]}" -n 300000 -r 1000000 SADD 'big:set' '__rand_int__' >/dev/null                     # hashtable
  "${b[@]}" -n 200000 -r 1000000 XADD 'big:stream' '*' f '__rand_int__' g v >/dev/null
  "${cli[@]}" SAVE >/dev/null
  cp "$dir/dump.rdb" "$rdb.tmp" && mv "$rdb.tmp" "$rdb"
}

if [[ ! -s $rdb || ${REGEN:-0} == 1 ]]; then
  generate
fi

echo "building (mvn test-compile, package)..." >&2
mvn -q -o -DskipTests package >&2 2>/dev/null || mvn -q -DskipTests package >&2
mvn -q -o test-compile dependency:build-classpath -Dmdep.outputFile="$out/cp.txt" -Dmdep.includeScope=test >&2 2>/dev/null \
  || mvn -q test-compile dependency:build-classpath -Dmdep.outputFile="$out/cp.txt" -Dmdep.includeScope=test >&2
cp="target/classes:target/test-classes:$(cat "$out/cp.txt")"

bytes=$(stat -c %s "$rdb")
echo
echo "RDB $rdb: $(awk -v b="$bytes" 'BEGIN { printf "%.1f MB", b / 1e6 }'), header $(head -c 9 "$rdb"); JVMs with -Xmx$heap, best of $rounds runs"
echo

results=()
for mode in reader decode replicator; do
  line=$(java -Xmx"$heap" -cp "$cp" io.ferry.bench.RdbDecodeBench "$mode" "$rdb" "$rounds" 2>/dev/null | grep "^$mode")
  results+=("$line")
done
# the reader again with a small heap: it streams values, so it must not need much
small=$(java -Xmx64m -cp "$cp" io.ferry.bench.RdbDecodeBench reader "$rdb" 1 2>&1 | grep -E '^reader|OutOfMemoryError' | head -1)

# outside the JVM, wall clock with process start: the CLI as operators run it, and
# redis-check-rdb (the server's own rdbLoad code, which builds every value in memory)
cli_time=$( { /usr/bin/time -f '%e %M' java -Xmx"$heap" -jar target/ferry.jar decode "$rdb" -o /dev/null; } 2>&1 | tail -1)
check_time=$( { /usr/bin/time -f '%e %M' redis-check-rdb "$rdb" >/dev/null; } 2>&1 | tail -1)

field() { sed -n "s/.* $2=\([^ ]*\).*/\1/p" <<<"$1"; }
nkeys=$(field "${results[0]}" keys)
read -r cli_s cli_rss <<<"$cli_time"
read -r check_s check_rss <<<"$check_time"
{
  echo "ferry reader (counting handler)|$(field "${results[0]}" seconds)|$(field "${results[0]}" peak_heap_mb) MB|$(field "${results[0]}" live_heap_mb) MB"
  echo "ferry decode -o /dev/null (in JVM)|$(field "${results[1]}" seconds)|$(field "${results[1]}" peak_heap_mb) MB|$(field "${results[1]}" live_heap_mb) MB"
  echo "redis-replicator 3.11.0 (counting)|$(field "${results[2]}" seconds)|$(field "${results[2]}" peak_heap_mb) MB|$(field "${results[2]}" live_heap_mb) MB"
  echo "ferry decode CLI (JVM start incl.)|$cli_s|RSS $((cli_rss / 1024)) MB|"
  echo "redis-check-rdb (reference)|$check_s|RSS $((check_rss / 1024)) MB|"
} | awk -F'|' -v keys="$nkeys" -v bytes="$bytes" '
  function commas(n,   s, out) { s = sprintf("%d", n); while (length(s) > 3) { out = "," substr(s, length(s) - 2) out; s = substr(s, 1, length(s) - 3) } return s out }
  BEGIN { printf "%-36s %8s %12s %8s %14s %11s\n", "", "seconds", "keys/s", "MB/s", "peak heap", "live heap" }
  { printf "%-36s %8.2f %12s %8.1f %14s %11s\n", $1, $2, commas(keys / $2), bytes / 1e6 / $2, $3, $4; t[NR] = $2 }
  END {
    printf "\nkeys: %s\n", commas(keys)
    printf "ratios: the reader runs %.2fx as fast as redis-replicator and %.2fx as fast as redis-check-rdb;\n", t[3] / t[1], t[5] / t[1]
    printf "        JSON output (ferry decode) costs %.2fx the bare reader\n", t[2] / t[1]
  }'
if [[ $small == reader* ]]; then
  echo "bounded memory: the reader also decodes this file with -Xmx64m (live heap $(field "$small" live_heap_mb) MB: streams are held whole)"
else
  echo "bounded memory: the reader FAILED with -Xmx64m: $small"
fi
echo "peak heap: sum of the heap pools' peaks during the timed runs (garbage included); live heap: largest heap left after a GC"
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at the end (other jobs skew wall times)"
