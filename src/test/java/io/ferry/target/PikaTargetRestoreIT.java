package io.ferry.target;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.resp.RedisConnection;
import io.ferry.testing.Dataset;
import io.ferry.testing.FerryCli;
import io.ferry.testing.Fixtures;
import io.ferry.testing.PikaSurfaceProxy;
import io.ferry.testing.RedisServerProcess;
import io.ferry.testing.ServerDataset;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code ferry restore} of a fixture RDB into Pika-shaped targets ({@link PikaSurfaceProxy} over a
 * redis-server): every key typed (Pika has no RESTORE), TTLs in what each version holds, and none of
 * the commands Pika lacks or mishandles ever sent; the conflict policy checks names across types.
 */
@Timeout(180)
class PikaTargetRestoreIT {
    private static final long PIKA3_LATEST_MS = Integer.MAX_VALUE * 1000L;

    @ParameterizedTest(name = "pika {0}")
    @ValueSource(strings = {"3.5.5", "4.0.1"})
    void fixtureRestoredTypedWithTtlsItHolds(String version) throws Exception {
        Path rdb = Fixtures.requireRdbDir().resolve("redis-6.2.16.rdb");
        try (RedisServerProcess backend = RedisServerProcess.start(); PikaSurfaceProxy pika = new PikaSurfaceProxy(version, backend.port());
                RedisConnection c = backend.connection()) {
            FerryCli.Result r = FerryCli.run("restore", rdb.toString(), "--target", pika.uri().toString());
            assertThat(r.exit()).as("%s", r).isZero();
            assertThat(pika.received()).as("commands sent").doesNotContain("DUMP", "RESTORE", "EVAL", "EVALSHA", "PEXPIREAT", "RENAME", "RENAMENX")
                    .contains("HMSET");
            if (version.startsWith("3.")) {
                assertThat(pika.received()).doesNotContain("PEXPIRE");
            }
            Dataset want = ServerDataset.withoutWhatOlderServersCannotHold(Dataset.fromExpected(Fixtures.expectationOf(rdb)));
            Dataset actual = ServerDataset.read(c, 15);
            Dataset expected = withoutIdleConsumers(ServerDataset.comparable(want, actual, false));
            assertThat(actual.dbs.keySet()).isEqualTo(expected.dbs.keySet());
            long clamped = 0;
            for (Map.Entry<Integer, Map<String, Dataset.KeyData>> db : expected.dbs.entrySet()) {
                Map<String, Dataset.KeyData> got = actual.dbs.get(db.getKey());
                assertThat(got.keySet()).as("keys of db %d", db.getKey()).isEqualTo(db.getValue().keySet());
                Map<String, Dataset.KeyData> gotSameTtl = new TreeMap<>();
                for (Map.Entry<String, Dataset.KeyData> e : db.getValue().entrySet()) {
                    Dataset.KeyData w = e.getValue();
                    Dataset.KeyData g = got.get(e.getKey());
                    if (w.expireAtMs() != null) {
                        long at = w.expireAtMs();
                        if (version.startsWith("3.") && at > PIKA3_LATEST_MS) {
                            at = PIKA3_LATEST_MS; // 3.x holds no later expiry: clamped, not deleted
                            clamped++;
                        }
                        assertThat(g.expireAtMs()).as("TTL of %s", e.getKey()).isNotNull();
                        // never early; late by at most the rounding up to a second (3.x) and the time in flight
                        assertThat(g.expireAtMs() - at).as("TTL of %s: %d wanted %d", e.getKey(), g.expireAtMs(), at).isBetween(0L, 2000L);
                        g = new Dataset.KeyData(g.type(), w.expireAtMs(), g.value(), g.fieldTtls(), g.lfu(), g.idle());
                    }
                    gotSameTtl.put(e.getKey(), g);
                }
                db.getValue().forEach((k, v) -> assertThat(gotSameTtl.get(k)).as("db %d key %s", db.getKey(), k).isEqualTo(v));
            }
            if (version.startsWith("3.")) {
                assertThat(clamped).as("fixture keys expiring after 2038").isPositive();
                assertThat(r.out() + r.err()).contains(String.format("%,d TTLs ended after 2038-01-19", clamped));
            }
        }
    }

    /**
     * Consumers without pending entries need XGROUP CREATECONSUMER, which Ferry sends only to Redis
     * 6.2+ / Valkey (Pika's consumer groups are not in the recordings), as for an older Redis.
     */
    @SuppressWarnings("unchecked")
    private static Dataset withoutIdleConsumers(Dataset d) {
        Dataset out = new Dataset();
        d.dbs.forEach((db, keys) -> keys.forEach((k, v) -> {
            Object value = v.value();
            if (v.type().equals("stream")) {
                Map<String, Object> s = new java.util.LinkedHashMap<>((Map<String, Object>) value);
                java.util.List<Object> groups = new java.util.ArrayList<>();
                for (Object go : (java.util.List<Object>) s.get("groups")) {
                    Map<String, Object> g = new java.util.LinkedHashMap<>((Map<String, Object>) go);
                    g.put("consumers", ((java.util.List<Object>) g.get("consumers")).stream()
                            .filter(c -> !((java.util.List<Object>) ((java.util.List<Object>) c).get(3)).isEmpty()).toList());
                    groups.add(g);
                }
                s.put("groups", groups);
                value = s;
            }
            out.put(db, k, new Dataset.KeyData(v.type(), v.expireAtMs(), value, v.fieldTtls(), v.lfu(), v.idle()));
        }));
        return out;
    }

    /**
     * Pika 3.5 keeps a value per type under one name, so a hash written over a string name would
     * succeed: the restore looks each name up first (EXISTS counts every type) and applies
     * --on-conflict to a name in use whatever its type.
     */
    @ParameterizedTest(name = "pika {0}")
    @ValueSource(strings = {"3.5.5", "4.0.1"})
    void conflictPolicyCountsNamesOfAnyType(String version) throws Exception {
        try (RedisServerProcess src = RedisServerProcess.start(); RedisConnection s = src.connection();
                RedisServerProcess backend = RedisServerProcess.start(); PikaSurfaceProxy pika = new PikaSurfaceProxy(version, backend.port());
                RedisConnection t = backend.connection()) {
            s.call("HSET", "taken", "f", "from-source");
            s.call("RPUSH", "free:list", "a", "b");
            s.call("SET", "taken:str", "from-source");
            s.call("SAVE");
            Path rdb = src.dir().resolve("dump.rdb");
            t.call("SET", "taken", "held-by-target"); // a string where the source has a hash
            t.call("SADD", "taken:str", "m");

            FerryCli.Result fail = FerryCli.run("restore", rdb.toString(), "--target", pika.uri().toString());
            assertThat(fail.exit()).as("%s", fail).isEqualTo(1);
            assertThat(fail.errorLines()).as("%s", fail).hasSize(1);
            assertThat(fail.errorLines().get(0)).contains("already exists on the target", "--on-conflict");
            assertThat(t.call("TYPE", "taken").asString()).isEqualTo("string");

            FerryCli.Result skip = FerryCli.run("restore", rdb.toString(), "--target", pika.uri().toString(), "--on-conflict", "skip");
            assertThat(skip.exit()).as("%s", skip).isZero();
            assertThat(t.call("GET", "taken").asString()).isEqualTo("held-by-target");
            assertThat(t.call("SMEMBERS", "taken:str").asList()).hasSize(1);
            assertThat(t.call("LRANGE", "free:list", "0", "-1").asList()).hasSize(2);

            FerryCli.Result replace = FerryCli.run("restore", rdb.toString(), "--target", pika.uri().toString(), "--on-conflict", "replace");
            assertThat(replace.exit()).as("%s", replace).isZero();
            assertThat(t.call("HGET", "taken", "f").asString()).isEqualTo("from-source");
            assertThat(t.call("GET", "taken:str").asString()).isEqualTo("from-source");
            assertThat(t.call("LRANGE", "free:list", "0", "-1").asList()).hasSize(2);
            assertThat(pika.received()).doesNotContain("RESTORE", "RENAME", "RENAMENX");
        }
    }

    /** A source db the Pika target lacks (its databases setting) is refused before anything is written. */
    @org.junit.jupiter.api.Test
    void sourceDbThePikaTargetLacksIsRefused() throws Exception {
        Path rdb = Fixtures.requireRdbDir().resolve("redis-6.2.16.rdb"); // keys in db 0, 1 and 15
        try (RedisServerProcess backend = RedisServerProcess.start("databases 8"); PikaSurfaceProxy pika = new PikaSurfaceProxy("4.0.1", backend.port());
                RedisConnection c = backend.connection()) {
            FerryCli.Result r = FerryCli.run("restore", rdb.toString(), "--target", pika.uri().toString());
            assertThat(r.exit()).as("%s", r).isEqualTo(1);
            assertThat(r.errorLines()).as("%s", r).hasSize(1);
            assertThat(r.errorLines().get(0)).contains("db 15", "--db-map");
            assertThat(c.call("DBSIZE").asLong()).isZero();
        }
    }
}
