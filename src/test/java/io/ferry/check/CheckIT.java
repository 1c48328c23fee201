package io.ferry.check;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ferry.cli.Main;
import io.ferry.resp.RedisConnection;
import io.ferry.testing.Fixtures;
import io.ferry.testing.RedisServerProcess;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ferry check} against two real redis-servers: identical data, each kind of difference found once with its
 * kind, expiring keys, rounds settling a fix, an RDB file as source, sampling, the rate limit, levels, filters and
 * failures.
 */
@Timeout(300)
class CheckIT {
    static RedisServerProcess source;
    static RedisServerProcess target;
    static RedisConnection src;
    static RedisConnection tgt;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() {
        source = RedisServerProcess.start();
        target = RedisServerProcess.start();
        src = source.connection();
        tgt = target.connection();
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[] {src, tgt, source, target}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception ignored) {
                // best effort
            }
        }
    }

    @BeforeEach
    void flush() {
        src.call("FLUSHALL");
        tgt.call("FLUSHALL");
    }

    record Run(int status, String out, String err, JsonNode report) {
        /** "db/key" → kinds reported for it (a key reported twice would show two kinds). */
        Map<String, List<String>> differences() {
            Map<String, List<String>> out = new TreeMap<>();
            for (JsonNode d : report.get("differences")) {
                out.computeIfAbsent(d.get("db").asInt() + "/" + key(d.get("key")), k -> new ArrayList<>()).add(d.get("kind").asText());
            }
            return out;
        }

        JsonNode difference(String dbKey) {
            for (JsonNode d : report.get("differences")) {
                if ((d.get("db").asInt() + "/" + key(d.get("key"))).equals(dbKey)) {
                    return d;
                }
            }
            throw new AssertionError("no difference for " + dbKey + " in " + report);
        }

        long summary(String field) {
            return report.get("summary").get(field).asLong();
        }
    }

    static String key(JsonNode k) {
        return k.isTextual() ? k.asText() : "base64:" + k.get("base64").asText();
    }

    Run checkFrom(String sourceArg, String... extra) throws Exception {
        Path report = tmp.resolve("report-" + System.nanoTime() + ".json");
        List<String> args = new ArrayList<>(List.of("check", "--source", sourceArg, "--target", target.uri().toString(),
                "--report", report.toString()));
        args.addAll(List.of(extra));
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        int status;
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            status = Main.run(args.toArray(new String[0]));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        String stdout = o.toString(StandardCharsets.UTF_8);
        out.print(stdout);
        err.print(e.toString(StandardCharsets.UTF_8));
        JsonNode json = Files.exists(report) ? new ObjectMapper().readTree(report.toFile()) : null;
        return new Run(status, stdout, e.toString(StandardCharsets.UTF_8), json);
    }

    Run check(String... extra) throws Exception {
        return checkFrom(source.uri().toString(), extra);
    }

    @Test
    void identicalSourceAndTargetReportNothing() throws Exception {
        CheckData.write(src, false);
        CheckData.write(tgt, false);
        Run r = check("--rounds", "1");
        assertThat(r.status()).as(r.out()).isZero();
        assertThat(r.report().get("differences")).isEmpty();
        assertThat(r.report().get("identical").asBoolean()).isTrue();
        long keys = src.call("DBSIZE").asLong() + 2; // + db 3
        assertThat(r.summary("checked")).isEqualTo(keys);
        assertThat(r.out()).contains("result: no differences").contains("total");
    }

    @Test
    void eachKindOfDifferenceIsReportedOnceWithItsKind() throws Exception {
        CheckData.write(src, false);
        CheckData.write(tgt, true);
        Run r = check("--rounds", "2", "--interval", "100ms");
        assertThat(r.status()).isEqualTo(1);
        Map<String, List<String>> expected = new TreeMap<>();
        CheckData.EXPECTED.forEach((k, kind) -> expected.put(k, List.of(kind)));
        expected.put("0/base64:" + Base64.getEncoder().encodeToString(CheckData.BINARY_KEY), List.of("extra"));
        assertThat(r.differences()).isEqualTo(expected);

        JsonNode hash = r.difference("0/big:hash");
        assertThat(hash.get("source").get("field").asText()).isEqualTo("f:37123");
        assertThat(hash.get("source").get("value").asText()).isEqualTo("v:37123");
        assertThat(hash.get("target").get("value").asText()).isEqualTo("changed");
        JsonNode zset = r.difference("0/big:zset");
        assertThat(zset.get("source").get("member").asText()).isEqualTo("m:15000");
        assertThat(zset.get("source").get("score").asDouble()).isEqualTo(15000.0);
        assertThat(zset.get("target").get("score").asDouble()).isEqualTo(15000.5);
        assertThat(r.difference("0/big:list").get("source").get("index").asLong()).isEqualTo(12_345);
        assertThat(r.difference("0/big:set").get("source").get("member").asText()).isIn("m:17777", "other");
        assertThat(r.difference("0/big:stream").get("source").get("entry").asText()).isEqualTo("1-1500");
        assertThat(r.difference("0/stream:groups").get("source").get("group").asText()).isEqualTo("g");
        assertThat(r.difference("0/only:source").get("target").isNull()).isTrue();
        assertThat(r.difference("0/only:target").get("source").isNull()).isTrue();
        assertThat(r.difference("0/t:key").get("target").get("type").asText()).isEqualTo("list");
        assertThat(r.difference("0/ttl:far").get("target").get("ttl_ms").asLong() - r.difference("0/ttl:far").get("source").get("ttl_ms").asLong())
                .isBetween(8_000L, 12_000L);
        assertThat(r.summary("missing")).isEqualTo(1);
        assertThat(r.summary("extra")).isEqualTo(2);
        assertThat(r.summary("value")).isEqualTo(9);
        assertThat(r.out()).contains("15 keys differ");
        assertThat(r.difference("0/big:string").get("source").get("offset").asLong()).isEqualTo(500_000);
    }

    @Test
    void lowerLevelsCompareLess() throws Exception {
        CheckData.write(src, false);
        CheckData.write(tgt, true);
        Run type = check("--rounds", "1", "--level", "type");
        assertThat(type.differences()).containsOnlyKeys("0/only:source", "0/only:target", "0/t:key", "0/l:size", "0/ttl:far",
                "0/base64:" + Base64.getEncoder().encodeToString(CheckData.BINARY_KEY));
        Run keys = check("--rounds", "1", "--level", "keys");
        assertThat(keys.differences()).containsOnlyKeys("0/only:source", "0/only:target",
                "0/base64:" + Base64.getEncoder().encodeToString(CheckData.BINARY_KEY));
        assertThat(keys.summary("checked")).isEqualTo(src.call("DBSIZE").asLong() + 2 + 2);
    }

    @Test
    void filtersSelectKeysDbsAndTypes() throws Exception {
        CheckData.write(src, false);
        CheckData.write(tgt, true);
        assertThat(check("--rounds", "1", "--key", "big:*").differences())
                .containsOnlyKeys("0/big:hash", "0/big:zset", "0/big:list", "0/big:set", "0/big:stream", "0/big:string");
        assertThat(check("--rounds", "1", "--key", "big:*", "--exclude-key", "big:s*").differences())
                .containsOnlyKeys("0/big:hash", "0/big:zset", "0/big:list");
        assertThat(check("--rounds", "1", "--db", "3").differences()).containsOnlyKeys("3/h3");
        assertThat(check("--rounds", "1", "--type", "hash").differences()).containsOnlyKeys("0/big:hash", "3/h3");
    }

    @Test
    void keysExpiringDuringTheCheckAreNotReported() throws Exception {
        src.call("SET", "exp:a", "v");
        tgt.call("SET", "exp:a", "w"); // differs while it lives
        src.call("SET", "exp:b", "v"); // only on the source while it lives
        src.call("SET", "stays", "v");
        tgt.call("SET", "stays", "v");
        for (RedisConnection c : List.of(src, tgt)) {
            c.call("PEXPIRE", "exp:a", "1500");
        }
        src.call("PEXPIRE", "exp:b", "1500");
        CheckOptions opt = CheckOptions.of(Topology.standalone(source.uri()), null, Topology.standalone(target.uri()))
                .withRounds(3, java.time.Duration.ofMillis(1500));
        opt = new CheckOptions(opt.source(), opt.sourceTls(), null, opt.target(), opt.targetTls(), opt.level(),
                java.time.Duration.ofMillis(200), opt.rounds(), opt.interval(), 0, 1.0, opt.filter(), 0, 100, 500, 256 * 1024, 2, 1000, null);
        Map<Integer, List<String>> perRound = new HashMap<>();
        CheckResult result = new CheckSession(opt).onRoundEnd((round, differing) -> perRound.put(round,
                differing.stream().map(d -> new String(d.key(), StandardCharsets.UTF_8) + ":" + d.kind().label()).sorted().toList())).run();
        assertThat(perRound.get(1)).containsExactly("exp:a:value", "exp:b:missing");
        assertThat(result.identical()).isTrue();
        assertThat(result.differences()).isEmpty();
    }

    @Test
    void aDifferenceFixedBetweenRoundsSettles() throws Exception {
        src.call("HSET", "fixme", "a", "1", "b", "2");
        tgt.call("HSET", "fixme", "a", "1", "b", "3");
        src.call("SET", "broken", "1");
        tgt.call("SET", "broken", "2");
        CheckOptions opt = CheckOptions.of(Topology.standalone(source.uri()), null, Topology.standalone(target.uri()))
                .withRounds(3, java.time.Duration.ofSeconds(1));
        List<Integer> rounds = new ArrayList<>();
        List<List<Difference>> seen = new ArrayList<>();
        CheckResult result = new CheckSession(opt).onRoundEnd((round, differing) -> {
            rounds.add(round);
            seen.add(differing);
            if (round == 1) {
                Thread fixer = new Thread(() -> {
                    try (RedisConnection c = target.connection()) {
                        c.call("HSET", "fixme", "b", "2");
                    }
                });
                fixer.start();
                try {
                    fixer.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }).run();
        assertThat(rounds).containsExactly(1, 2, 3);
        assertThat(seen.get(0)).extracting(d -> new String(d.key(), StandardCharsets.UTF_8)).containsExactly("broken", "fixme");
        assertThat(seen.get(1)).extracting(d -> new String(d.key(), StandardCharsets.UTF_8)).containsExactly("broken");
        assertThat(result.differences()).extracting(d -> new String(d.key(), StandardCharsets.UTF_8)).containsExactly("broken");
        assertThat(result.checkedTotal()).isEqualTo(2);
    }

    @Test
    void anRdbFileAsTheSource() throws Exception {
        CheckData.write(src, false);
        assertThat(src.call("SAVE").asString()).isEqualTo("OK");
        Path dump = tmp.resolve("source.rdb");
        Files.copy(source.dir().resolve("dump.rdb"), dump);
        assertThat(Main.run("restore", dump.toString(), "--target", target.uri().toString())).isZero();

        Run same = checkFrom(dump.toString(), "--rounds", "1", "--chunk", "300");
        assertThat(same.status()).as(same.out()).isZero();
        assertThat(same.summary("checked")).isEqualTo(src.call("DBSIZE").asLong() + 2);

        tgt.call("DEL", "s:5");
        tgt.call("SET", "extra:key", "1");
        tgt.call("HSET", "big:hash", "f:40000", "x");
        tgt.call("LSET", "big:list", "19000", "x");
        tgt.call("SREM", "big:set", "m:5");
        tgt.call("SADD", "big:set", "zzz");
        tgt.call("ZADD", "big:zset", "7.5", "m:7");
        tgt.call("XDEL", "big:stream", "1-100");
        tgt.call("XADD", "big:stream", "1-2001", "f", "x");
        tgt.call("SETRANGE", "big:string", "400000", "X");
        tgt.call("DEL", "l:size");
        tgt.call("RPUSH", "l:size", "a", "b");
        tgt.call("SET", "s:9", "VALUE-9");
        tgt.call("PEXPIRE", "s:7", "100000");
        tgt.call("SELECT", "3");
        tgt.call("HSET", "h3", "y", "1");
        tgt.call("SELECT", "0");
        Run r = checkFrom(dump.toString(), "--rounds", "2", "--interval", "100ms", "--chunk", "300");
        assertThat(r.status()).isEqualTo(1);
        Map<String, List<String>> expected = new TreeMap<>(Map.of(
                "0/s:5", List.of("missing"), "0/extra:key", List.of("extra"), "0/big:hash", List.of("value"),
                "0/big:list", List.of("value"), "0/big:set", List.of("value"), "0/big:zset", List.of("value"),
                "0/big:stream", List.of("value"), "0/s:9", List.of("value"), "0/s:7", List.of("ttl"), "3/h3", List.of("size")));
        expected.put("0/big:string", List.of("value"));
        expected.put("0/l:size", List.of("size"));
        assertThat(r.differences()).isEqualTo(expected);
        assertThat(r.difference("0/big:hash").get("source").get("field").asText()).isEqualTo("f:40000");
        assertThat(r.difference("0/big:list").get("source").get("index").asLong()).isEqualTo(19_000);
        assertThat(r.difference("0/big:zset").get("target").get("score").asDouble()).isEqualTo(7.5);
        assertThat(r.difference("0/big:stream").get("source").get("entry").asText()).isEqualTo("1-100");
        tgt.call("DEL", "s:11");
        tgt.call("RPUSH", "s:11", "now a list");
        assertThat(checkFrom(dump.toString(), "--rounds", "1", "--type", "list").differences())
                .containsOnlyKeys("0/big:list", "0/l:size", "0/s:11");
        assertThat(r.difference("0/big:string").get("source").get("offset").asLong()).isEqualTo(400_000);
    }

    /**
     * A Valkey 9 / Redis RDB 14 file as the source, checked against its restore into Redis 7.0:
     * what 7.0 holds compares equal; what it cannot hold shows as differences (arrays missing; the
     * NACKed entries a typed rewrite cannot recreate, as a stream whose groups differ).
     */
    @Test
    void newerFormatsAsTheSourceCompareWhatTheTargetHolds() throws Exception {
        String[] noModules = {"--type", "string,list,set,zset,hash,stream,array"};
        Path valkey = Fixtures.requireRdbDir().resolve("2026/valkey-9.1.0-rc2.rdb");
        assertThat(Main.run("restore", valkey.toString(), "--target", target.uri().toString())).isZero();
        Run same = checkFrom(valkey.toString(), "--rounds", "1");
        assertThat(same.status()).as(same.out()).isZero();
        assertThat(same.summary("checked")).isEqualTo(88);

        tgt.call("FLUSHALL");
        tgt.call("FUNCTION", "FLUSH");
        Path redis = Fixtures.requireRdbDir().resolve("2026/redis-8.9-unstable.rdb");
        List<String> restore = new ArrayList<>(List.of("restore", redis.toString(), "--target", target.uri().toString()));
        restore.addAll(List.of(noModules));
        assertThat(Main.run(restore.toArray(new String[0]))).isZero();
        List<String> args = new ArrayList<>(List.of("--rounds", "1"));
        args.addAll(List.of(noModules));
        Run r = checkFrom(redis.toString(), args.toArray(new String[0]));
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.differences()).isEqualTo(new TreeMap<>(Map.of(
                "0/array:dense", List.of("missing"), "0/array:sparse", List.of("missing"), "0/array:insert", List.of("missing"),
                "0/array:ring", List.of("missing"), "1/db1:array", List.of("missing"), "0/stream:nack", List.of("value"))));
        tgt.call("FUNCTION", "FLUSH");
    }

    @Test
    void targetsBeforeRedis62AreCheckedWithPipelinedSismemberAndZscore() {
        CheckData.write(src, false);
        CheckData.write(tgt, true);
        CheckOptions opt = CheckOptions.of(Topology.standalone(source.uri()), null, Topology.standalone(target.uri()));
        try (SidePipes s = new SidePipes("source", opt.source(), opt.sourceTls(), null);
                SidePipes t = new SidePipes("target", opt.target(), opt.targetTls(), null)) {
            PairComparer comparer = new PairComparer(s, t, opt, false);
            List<byte[]> keys = List.of("big:set".getBytes(), "big:zset".getBytes(), "set:small".getBytes(), "zset:small".getBytes());
            Verdict[] v = comparer.compare(0, keys, null);
            assertThat(v[0].difference().kind()).isEqualTo(Kind.VALUE);
            assertThat(new String((byte[]) v[0].difference().source().get("member"), StandardCharsets.UTF_8)).isEqualTo("m:17777");
            assertThat(v[1].difference().source().get("score")).isEqualTo(15000.0);
            assertThat(v[1].difference().target().get("score")).isEqualTo(15000.5);
            assertThat(v[2]).isEqualTo(Verdict.SAME);
            assertThat(v[3]).isEqualTo(Verdict.SAME);
        }
    }

    @Test
    void sampleRateAndSampleChecksAShare() throws Exception {
        List<String> kv = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            kv.add("k:" + i);
            kv.add("v");
        }
        for (RedisConnection c : List.of(src, tgt)) {
            c.call(concat("MSET", kv));
        }
        for (int i = 0; i < 5000; i += 10) {
            tgt.call("DEL", "k:" + i);
        }
        Run rate = check("--rounds", "1", "--sample-rate", "0.1");
        assertThat(rate.summary("checked")).isBetween(350L, 650L);
        assertThat(rate.summary("missing")).isBetween(20L, 90L);
        for (String k : rate.differences().keySet()) {
            assertThat(Integer.parseInt(k.substring("0/k:".length())) % 10).isZero();
        }
        Run sample = check("--rounds", "1", "--sample", "300");
        assertThat(sample.summary("checked")).isBetween(200L, 300L);
        Run all = check("--rounds", "1");
        assertThat(all.summary("checked")).isEqualTo(5000);
        assertThat(all.summary("missing")).isEqualTo(500);
    }

    @Test
    void qpsBoundsTheSourceCommandRate() throws Exception {
        List<String> kv = new ArrayList<>();
        for (int i = 0; i < 1500; i++) {
            kv.add("k:" + i);
            kv.add("v");
        }
        for (RedisConnection c : List.of(src, tgt)) {
            c.call(concat("MSET", kv));
        }
        src.call("CONFIG", "RESETSTAT");
        long start = System.nanoTime();
        Run r = check("--rounds", "1", "--qps", "1000"); // full level: two commands per (string) key on the source
        double seconds = (System.nanoTime() - start) / 1e9;
        assertThat(r.status()).isZero();
        long calls = 0;
        for (String line : src.call("INFO", "commandstats").asString().split("\r\n")) {
            if (line.startsWith("cmdstat_") && !line.startsWith("cmdstat_info:") && !line.startsWith("cmdstat_config:")) {
                calls += Long.parseLong(line.replaceAll("^cmdstat_[^:]+:calls=(\\d+),.*", "$1"));
            }
        }
        assertThat(calls).as("source commands").isGreaterThan(3000);
        assertThat(calls / seconds).as("source commands/s over %.1f s", seconds).isLessThan(1000 * 1.25);
        assertThat(seconds).isGreaterThan((calls - 250) / 1000.0 * 0.9);
    }

    @Test
    void failuresAndUsageErrors() throws Exception {
        int closedPort = io.ferry.testing.FreePorts.pick();
        Run unreachable = checkFrom("redis://127.0.0.1:" + closedPort, "--rounds", "1");
        assertThat(unreachable.status()).isEqualTo(1);
        assertThat(unreachable.err()).contains("source").contains("cannot connect to 127.0.0.1:" + closedPort);
        assertThat(unreachable.err().lines().count()).isEqualTo(1);

        try (RedisServerProcess locked = RedisServerProcess.start("requirepass s3cret")) {
            Run wrong = checkFrom("redis://:n0tit@127.0.0.1:" + locked.port(), "--rounds", "1");
            assertThat(wrong.status()).isEqualTo(1);
            assertThat(wrong.err()).contains("authentication failed").doesNotContain("n0tit");
            assertThat(wrong.err().lines().count()).isEqualTo(1);
        }
        assertThat(check("--sample", "10", "--sample-rate", "0.5").status()).isEqualTo(2);
        assertThat(check("--ttl-tolerance", "soon").status()).isEqualTo(2);
        assertThat(check("--level", "deep").status()).isEqualTo(2);
        assertThat(checkFrom(tmp.resolve("absent.rdb").toString()).status()).isEqualTo(1);
    }

    private static String[] concat(String command, List<String> args) {
        List<String> all = new ArrayList<>();
        all.add(command);
        all.addAll(args);
        return all.toArray(new String[0]);
    }
}
