package io.ferry.check;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ferry.resp.RedisConnection;
import io.ferry.testing.FakePikaReads;
import io.ferry.testing.FerryCli;
import io.ferry.testing.Fixtures;
import io.ferry.testing.PikaExpected;
import io.ferry.testing.RedisServerProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code ferry check --source pika://…} against a fake Pika holding each recorded dataset (3.3.6, 3.5.5, 4.0.1) and a
 * real redis-server loaded as the sync writes that dataset under each {@code --pika-type-conflict} policy (the
 * expectation is {@link PikaExpected}'s own reading of the policy, not the production rule): identical → exit 0;
 * then one changed score (an infinite one), one dropped key and one wrongly renamed same-name value → each reported.
 */
@Timeout(300)
class PikaCheckIT {
    static RedisServerProcess target;
    static RedisConnection tgt;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() {
        target = RedisServerProcess.start();
        tgt = target.connection();
    }

    @AfterAll
    static void stop() {
        tgt.close();
        target.close();
    }

    @BeforeEach
    void flush() {
        tgt.call("FLUSHALL");
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"3.3.6,first", "3.3.6,suffix", "3.3.6,skip", "3.5.5,first", "3.5.5,suffix", "3.5.5,skip",
        "4.0.1,first", "4.0.1,suffix", "4.0.1,skip"})
    void pikaSourceAgainstItsSyncedTarget(String version, String policy) throws Exception {
        Path dir = Fixtures.requirePikaDir(version);
        Path json = dir.resolve("snapshot.expected.json");
        Map<String, PikaExpected.Key> expected = new TreeMap<>(PikaExpected.read(json, policy));
        expected.putAll(streams(json, policy)); // PikaExpected leaves streams out (a 3.5 dump has none); check compares them
        load(expected);
        List<String> multi = PikaExpected.multiTypeNames(json);
        try (FakePikaReads pika = FakePikaReads.of(version)) {
            JsonNode same = check(pika, policy);
            assertThat(same.get("status").asInt()).as(same.toString()).isZero();
            JsonNode report = same.get("report");
            assertThat(report.get("identical").asBoolean()).isTrue();
            assertThat(report.get("summary").get("checked").asLong()).isEqualTo(expected.size());
            JsonNode notes = report.path("source_notes");
            assertThat(notes.path("pika_hll_strings").asLong()).isEqualTo(expected.containsKey("hll:visitors") ? 1 : 0);
            if (!version.startsWith("4.")) {
                assertThat(multi).isNotEmpty();
                assertThat(notes.path("multi_type_pairs").asLong()).isPositive();
                assertThat(notes.path("left_out_by_policy").asLong() > 0).isEqualTo(!policy.equals("suffix"));
            } else {
                assertThat(notes.has("multi_type_pairs")).isFalse();
            }

            // one changed value: the -inf member of zset:scores gets the lowest finite score (exact comparison)
            String ninf = version.equals("3.3.6") ? "inf:neg" : "ninf";
            tgt.call("ZADD", "zset:scores", "-1.7976931348623157e308", ninf);
            // one dropped key
            tgt.call("DEL", "hash:small");
            // one same-name value under the wrong name
            String wrong;
            String right = null;
            if (multi.isEmpty()) { // 4.0: no same-name values; a suffixed copy is wrong under every policy
                wrong = "list:mix:list";
                tgt.call("RENAME", "list:mix", wrong);
                right = "list:mix";
            } else if (policy.equals("suffix")) {
                tgt.call("RENAME", "dup:sh:hash", "dup:sh:set");
                wrong = "dup:sh:set";
                right = "dup:sh:hash";
            } else {
                tgt.call("HSET", "dup:sh:hash", "f", "as-hash"); // first/skip leave the hash of dup:sh out
                wrong = "dup:sh:hash";
            }
            JsonNode diff = check(pika, policy);
            assertThat(diff.get("status").asInt()).isEqualTo(1);
            Map<String, String> kinds = new TreeMap<>();
            for (JsonNode d : diff.get("report").get("differences")) {
                kinds.put(d.get("key").asText(), d.get("kind").asText());
            }
            Map<String, String> want = new TreeMap<>(Map.of("zset:scores", "value", "hash:small", "missing", wrong, "extra"));
            if (right != null) {
                want.put(right, "missing");
            }
            assertThat(kinds).isEqualTo(want);
            JsonNode z = first(diff.get("report").get("differences"), "zset:scores");
            assertThat(z.get("source").get("member").asText()).isEqualTo(ninf);
            assertThat(z.get("source").get("score").asText()).isEqualTo("-Infinity");
        }
    }

    /** The streams of the dataset as the sync names them (the stream is a name's last type). */
    private static Map<String, PikaExpected.Key> streams(Path json, String policy) throws Exception {
        JsonNode types = new ObjectMapper().readTree(json.toFile()).get("types");
        Map<String, PikaExpected.Key> out = new TreeMap<>();
        types.path("streams").fields().forEachRemaining(e -> {
            int others = 0;
            for (String t : List.of("strings", "hashes", "lists", "zsets", "sets")) {
                others += types.path(t).has(e.getKey()) ? 1 : 0;
            }
            if (others > 0 && !policy.equals("suffix")) {
                return;
            }
            out.put(others > 0 ? e.getKey() + ":stream" : e.getKey(), new PikaExpected.Key("stream", e.getValue().get("value"), null));
        });
        return out;
    }

    @SuppressWarnings("unchecked")
    private static void load(Map<String, PikaExpected.Key> keys) {
        keys.forEach((name, k) -> {
            byte[] n = l1(name);
            switch (k.type()) {
                case "string" -> tgt.call(l1("SET"), n, l1((String) k.value()));
                case "list" -> rpush("RPUSH", n, (List<String>) k.value());
                case "set" -> rpush("SADD", n, (List<String>) k.value());
                case "hash" -> ((Map<String, String>) k.value()).forEach((f, v) -> tgt.call(l1("HSET"), n, l1(f), l1(v)));
                case "zset" -> {
                    for (Object p : (List<Object>) k.value()) {
                        List<Object> mp = (List<Object>) p;
                        tgt.call(l1("ZADD"), n, l1(score((Double) mp.get(1))), l1((String) mp.get(0)));
                    }
                }
                case "stream" -> {
                    for (JsonNode e : (JsonNode) k.value()) {
                        List<byte[]> argv = new ArrayList<>(List.of(l1("XADD"), n, l1(e.get("id").asText())));
                        e.get("fields").forEach(f -> argv.add(l1(f.asText())));
                        tgt.call(argv.toArray(new byte[0][]));
                    }
                }
                default -> throw new IllegalArgumentException(k.type());
            }
            if (k.ttlSeconds() != null) {
                tgt.call(l1("PEXPIREAT"), n, l1(Long.toString(k.ttlSeconds() * 1000)));
            }
        });
    }

    private static String score(double d) {
        return d == Double.POSITIVE_INFINITY ? "inf" : d == Double.NEGATIVE_INFINITY ? "-inf" : Double.toString(d);
    }

    private static void rpush(String cmd, byte[] n, List<String> items) {
        List<byte[]> argv = new ArrayList<>(List.of(l1(cmd), n));
        items.forEach(x -> argv.add(l1(x)));
        tgt.call(argv.toArray(new byte[0][]));
    }

    private static byte[] l1(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private JsonNode check(FakePikaReads pika, String policy) throws Exception {
        Path report = tmp.resolve("report-" + System.nanoTime() + ".json");
        FerryCli.Result r = FerryCli.run("check", "--source", pika.uri(), "--target", target.uri().toString(), "--rounds", "1",
                "--pika-type-conflict", policy, "--report", report.toString());
        ObjectMapper m = new ObjectMapper();
        var out = m.createObjectNode();
        out.put("status", r.exit());
        out.set("report", report.toFile().exists() ? m.readTree(report.toFile()) : m.nullNode());
        out.put("stdout", r.out());
        return out;
    }

    private static JsonNode first(JsonNode diffs, String key) {
        for (JsonNode d : diffs) {
            if (d.get("key").asText().equals(key)) {
                return d;
            }
        }
        throw new AssertionError("no difference for " + key);
    }
}
