package io.ferry.rdb;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ferry.cli.Main;
import io.ferry.testing.Dataset;
import io.ferry.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every RDB written by a real server (Redis 2.8 → 8.0, Valkey 8, and in rdb/2026 Valkey 9 and
 * Redis RDB 13/14) decodes to exactly its expected
 * contents: keys, types, values, expiries, field TTLs, stream groups, LFU/LRU hints, functions.
 * Runs through the {@code ferry decode} command, so the JSON output is checked too.
 */
class FixtureCorpusTest {
    static List<Path> fixtures() throws Exception {
        return Fixtures.rdbFilesWithExpectations();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void decodesToExpectedContents(Path rdb, @TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("out.jsonl");
        int status = Main.run("decode", rdb.toString(), "-o", out.toString());
        assertThat(status).as("exit status").isZero();

        Dataset expected = Dataset.fromExpected(Fixtures.expectationOf(rdb));
        Dataset decoded = Dataset.fromDecodeOutput(out);
        if (rdb.toString().endsWith(".aof")) {
            // The RDB preamble holds only part of the keys; the rest is in the AOF tail.
            expected.dbs.get(0).keySet().retainAll(decoded.dbs.get(0).keySet());
            assertThat(decoded.keyCount()).isPositive();
        }
        assertThat(decoded.functions).as("functions").isEqualTo(expected.functions);
        assertThat(decoded.dbs.keySet()).as("databases").isEqualTo(expected.dbs.keySet());
        for (Map.Entry<Integer, Map<String, Dataset.KeyData>> db : expected.dbs.entrySet()) {
            Map<String, Dataset.KeyData> got = decoded.dbs.get(db.getKey());
            assertThat(got.keySet()).as("keys of db %d", db.getKey()).isEqualTo(db.getValue().keySet());
            for (var k : db.getValue().entrySet()) {
                Dataset.KeyData want = k.getValue();
                Dataset.KeyData have = got.get(k.getKey());
                if (want.lfu() == null) {
                    have = new Dataset.KeyData(have.type(), have.expireAtMs(), have.value(), have.fieldTtls(), null, have.idle());
                }
                assertThat(have).as("db %d key %s", db.getKey(), k.getKey()).isEqualTo(want);
            }
        }
    }

    static List<Path> keyMetadataFixtures() throws Exception {
        return Fixtures.rdb2026Files().stream().filter(p -> p.getFileName().toString().contains("keymeta")).toList();
    }

    /** Module key metadata (KEY_META) decodes to the classes and values the expectation lists, key by key, in file order. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("keyMetadataFixtures")
    void keyMetadataDecodesToItsClassesAndValues(Path rdb, @TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("out.jsonl");
        assertThat(Main.run("decode", rdb.toString(), "-o", out.toString())).isZero();
        ObjectMapper json = new ObjectMapper();
        Map<String, List<String>> decoded = new TreeMap<>();
        for (String line : Files.readAllLines(out)) {
            JsonNode e = json.readTree(line);
            List<String> classes = new ArrayList<>();
            e.path("key_metadata").forEach(m -> classes.add(classLine(m, m.get("values"), Dataset::bytes)));
            decoded.put(e.get("db") + "/" + Dataset.bytes(e.get("key")), classes);
        }
        Map<String, List<String>> expected = new TreeMap<>();
        json.readTree(Fixtures.expectationOf(rdb).toFile()).get("databases").fields().forEachRemaining(db -> db.getValue().fields().forEachRemaining(k -> {
            List<String> classes = new ArrayList<>();
            k.getValue().get("key_metadata").forEach(m -> classes.add(classLine(m, m.get("values_in_file"), JsonNode::asText)));
            expected.put(db.getKey() + "/" + k.getKey(), classes);
        }));
        assertThat(decoded).isEqualTo(expected);
    }

    /** "NAME vV fF kind=value …": one metadata class, its strings read by {@code str}. */
    private static String classLine(JsonNode m, JsonNode values, java.util.function.Function<JsonNode, String> str) {
        StringBuilder sb = new StringBuilder(m.get("class_name").asText() + " v" + m.get("class_version") + " f" + m.get("class_flags"));
        values.forEach(v -> sb.append(' ').append(v.get(0).asText()).append('=').append(v.get(1).isNumber() ? Double.toString(v.get(1).asDouble()) : str.apply(v.get(1))));
        return sb.toString();
    }
}
