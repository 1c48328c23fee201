package io.ferry.target;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ferry.resp.RedisConnection;
import io.ferry.testing.Dataset;
import io.ferry.testing.FerryCli;
import io.ferry.testing.Fixtures;
import io.ferry.testing.RedisServerProcess;
import io.ferry.testing.ServerDataset;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every real-server fixture restores into the local redis-server (7.0) and the server then holds
 * exactly the expected keys, types, values and expiries. Fixtures newer than the server (7.2+,
 * Valkey 8) exercise the typed-command path for the types it cannot RESTORE.
 */
class RestoreFixturesIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    static RedisServerProcess server;

    @BeforeAll
    static void start() {
        server = RedisServerProcess.start();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    static List<Path> fixtures() throws Exception {
        List<Path> newer = Fixtures.rdb2026Files(); // below: they hold what this server cannot
        return Fixtures.rdbFilesWithExpectations().stream().filter(p -> p.toString().endsWith(".rdb")).filter(p -> !newer.contains(p)).toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void targetHoldsExactlyTheExpectedKeys(Path rdb) throws Exception {
        try (RedisConnection c = server.connection()) {
            assertThat(restore(c, rdb).exit()).as("exit status").isZero();
            assertHolds(c, Dataset.fromExpected(Fixtures.expectationOf(rdb)));
        }
    }

    /** Restores {@code rdb} into the emptied server. */
    private static FerryCli.Result restore(RedisConnection c, Path rdb, String... options) {
        c.call("FLUSHALL");
        c.call("FUNCTION", "FLUSH");
        List<String> args = new ArrayList<>(List.of("restore", rdb.toString(), "--target", server.uri().toString()));
        args.addAll(List.of(options));
        return FerryCli.run(args.toArray(new String[0]));
    }

    /** The server holds exactly {@code want} (as a copy can show it: see ServerDataset.comparable). */
    private static void assertHolds(RedisConnection c, Dataset want) {
        Dataset actual = ServerDataset.read(c, 15);
        Dataset expected = ServerDataset.comparable(want, actual, false);
        assertThat(actual.functions).as("functions").isEqualTo(expected.functions);
        assertThat(actual.dbs.keySet()).as("databases").isEqualTo(expected.dbs.keySet());
        expected.dbs.forEach((db, keys) -> {
            assertThat(actual.dbs.get(db).keySet()).as("keys of db %d", db).isEqualTo(keys.keySet());
            keys.forEach((k, v) -> assertThat(actual.dbs.get(db).get(k)).as("db %d key %s", db, k).isEqualTo(v));
        });
    }

    /**
     * The RDB files of Valkey 9 and Redis RDB 13/14 restore through the typed path where this
     * server cannot RESTORE: it then holds exactly the expected data minus what it has no place
     * for, and the summary names each of those losses with its exact count (field TTLs, IDMP
     * state, NACKed entries, arrays, key metadata). Vector sets need their module and are left
     * out with {@code --type}.
     */
    static List<Path> fixtures2026() throws Exception {
        return Fixtures.rdb2026Files();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures2026")
    void newerFormatsLeaveWhatTheServerCannotHoldAndTheSummaryCountsIt(Path rdb) throws Exception {
        try (RedisConnection c = server.connection()) {
            FerryCli.Result r = restore(c, rdb, "--type", "string,list,set,zset,hash,stream,array");
            assertThat(r.exit()).as("%s", r).isZero();
            Dataset full = Dataset.fromExpected(Fixtures.expectationOf(rdb));
            full.dbs.values().forEach(keys -> keys.values().removeIf(v -> v.type().equals("module")));
            assertHolds(c, ServerDataset.withoutWhatOlderServersCannotHold(full));
            assertThat(warnings(r)).as("%s", r).containsExactlyInAnyOrderElementsOf(expectedWarnings(Fixtures.expectationOf(rdb)));
        }
    }

    /** A vector set (a module value) into a server without its module: one line naming key and module, or skipped and counted. */
    @Test
    void aModuleValueTheTargetCannotTakeStopsTheRunOrIsSkippedAndCounted() throws Exception {
        Path rdb = Fixtures.rdb2026Files().stream().filter(p -> p.getFileName().toString().equals("redis-8.6-rdb13.rdb")).findFirst().orElseThrow();
        long modules = 0;
        JsonNode root = JSON.readTree(Fixtures.expectationOf(rdb).toFile());
        for (JsonNode db : (Iterable<JsonNode>) () -> root.get("databases").elements()) {
            for (JsonNode k : (Iterable<JsonNode>) () -> db.elements()) {
                modules += k.get("type").asText().equals("module") ? 1 : 0;
            }
        }
        assertThat(modules).as("module keys in the fixture").isPositive();
        try (RedisConnection c = server.connection()) {
            FerryCli.Result refused = restore(c, rdb);
            assertThat(refused.exit()).as("%s", refused).isEqualTo(1);
            assertThat(refused.errorLines()).as("%s", refused).hasSize(1);
            assertThat(refused.errorLines().get(0)).contains("module key", "vectorset", "--on-unsupported skip");
            FerryCli.Result skipped = restore(c, rdb, "--on-unsupported", "skip");
            assertThat(skipped.exit()).as("%s", skipped).isZero();
            assertThat(warnings(skipped)).as("%s", skipped).contains(String.format("WARNING: %,d module keys were left out (--on-unsupported skip): "
                    + "the target cannot take their module values", modules));
            Dataset full = Dataset.fromExpected(Fixtures.expectationOf(rdb));
            full.dbs.values().forEach(keys -> keys.values().removeIf(v -> v.type().equals("module")));
            assertHolds(c, ServerDataset.withoutWhatOlderServersCannotHold(full));
        }
    }

    private static List<String> warnings(FerryCli.Result r) {
        return r.lines().stream().filter(l -> l.contains("WARNING: ")).map(l -> l.substring(l.indexOf("WARNING: "))).toList();
    }

    /** The losses a copy onto Redis 7.0 must report, counted from the fixture's expected content. */
    private static List<String> expectedWarnings(Path expectedJson) throws Exception {
        long now = System.currentTimeMillis();
        long fieldTtls = 0;
        long nacked = 0;
        long idmpStreams = 0;
        long iids = 0;
        long arrays = 0;
        long keyMeta = 0;
        JsonNode root = JSON.readTree(expectedJson.toFile());
        for (JsonNode db : (Iterable<JsonNode>) () -> root.get("databases").elements()) {
            for (JsonNode k : (Iterable<JsonNode>) () -> db.elements()) {
                if (!k.get("expire_at_ms").isNull() && k.get("expire_at_ms").asLong() <= now || k.get("type").asText().equals("module")) {
                    continue; // expired keys and filtered-out modules are not written at all
                }
                if (k.has("key_metadata") && !k.get("key_metadata").isEmpty()) {
                    keyMeta++;
                }
                switch (k.get("type").asText()) {
                    case "hash" -> {
                        for (JsonNode t : (Iterable<JsonNode>) () -> k.path("field_expire_at_ms").elements()) {
                            fieldTtls += t.asLong() > now ? 1 : 0;
                        }
                    }
                    case "array" -> arrays++;
                    case "stream" -> {
                        JsonNode v = k.get("value");
                        for (JsonNode g : v.get("groups")) {
                            nacked += g.path("nacked").size();
                        }
                        JsonNode idmp = v.get("idmp");
                        if (idmp != null) {
                            long n = 0;
                            for (JsonNode p : idmp.get("producers")) {
                                n += p.get("entries").size();
                            }
                            if (n > 0 || idmp.get("duration_s").asLong() != 100 || idmp.get("max_entries").asLong() != 100) {
                                idmpStreams++;
                                iids += n;
                            }
                        }
                    }
                    default -> { }
                }
            }
        }
        List<String> out = new ArrayList<>();
        if (fieldTtls > 0) {
            out.add(String.format("WARNING: %,d hash field TTLs could not be kept: the target has no hash-field expiration (Redis 7.4+, Valkey 9+); those fields were written without TTL", fieldTtls));
        }
        if (nacked > 0) {
            out.add(String.format("WARNING: %,d NACKed stream entries (pending without a consumer, Redis 8.8 XNACK) could not be recreated by typed commands", nacked));
        }
        if (idmpStreams > 0) {
            out.add(String.format("WARNING: the idempotent-producer (IDMP) state of %,d streams could not be kept (%,d remembered idempotency ids): typed commands cannot recreate it", idmpStreams, iids));
        }
        if (arrays > 0) {
            out.add(String.format("WARNING: %,d arrays were not written: the target has no array type (Redis 8.8+)", arrays));
        }
        if (keyMeta > 0) {
            out.add(String.format("WARNING: %,d keys had module key metadata (Redis 8.6+ KEY_META), which was not carried over", keyMeta));
        }
        return out;
    }
}
