package io.ferry.target;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.resp.RedisConnection;
import io.ferry.testing.Dataset;
import io.ferry.testing.FerryCli;
import io.ferry.testing.Rdbs;
import io.ferry.testing.RedisServerProcess;
import io.ferry.testing.ServerDataset;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiPredicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The selection and placement options of {@code ferry restore} on both write paths: db mapping,
 * a single target db, key/type/db filters, keys whose TTL ran out after the SAVE, and several
 * files restored in parallel.
 */
@Timeout(120)
class RestoreOptionsIT {
    @TempDir
    static Path dir;
    static RedisServerProcess source;
    static RedisServerProcess target;
    static Path multiDb;
    static Dataset multiDbData;
    static Path expiring;
    static long shortExpireAt;
    static long longExpireAt;
    static Path fileA;
    static Path fileB;
    static Dataset filesAB;

    @BeforeAll
    static void makeRdbs() throws Exception {
        source = RedisServerProcess.start();
        target = RedisServerProcess.start();
        try (RedisConnection c = source.connection()) {
            c.call("SET", "a:1", "one");
            c.call("HSET", "user:1", "name", "ann", "age", "31");
            c.call("SET", "user:2", "not a hash");
            c.call("RPUSH", "list:0", "x", "y");
            c.call("SET", "ttl:0", "v", "PX", "3600000");
            c.call("SELECT", "1");
            c.call("SET", "b:1", "two");
            c.call("HSET", "user:3", "name", "bob");
            c.call("SADD", "set:1", "m1", "m2");
            c.call("SELECT", "2");
            c.call("ZADD", "zset:2", "1", "z1", "2.5", "z2");
            c.call("HSET", "user:4", "name", "cy");
            c.call("SELECT", "0");
            multiDb = Rdbs.save(source, dir.resolve("multi-db.rdb"));
            multiDbData = ServerDataset.read(c, 15);
            assertThat(multiDbData.dbs.keySet()).containsExactly(0, 1, 2);

            Rdbs.wipe(c);
            c.call("SET", "short", "gone soon", "PX", "1500");
            c.call("SET", "long", "stays", "PX", "3600000");
            c.call("SET", "forever", "stays");
            c.call("HSET", "short:hash", "f", "v");
            c.call("PEXPIRE", "short:hash", "1500");
            shortExpireAt = c.call("PEXPIRETIME", "short").asLong();
            longExpireAt = c.call("PEXPIRETIME", "long").asLong();
            expiring = Rdbs.save(source, dir.resolve("expiring.rdb"));
            assertThat(System.currentTimeMillis()).as("SAVE finished before the short TTL ran out").isLessThan(shortExpireAt - 200);

            Rdbs.wipe(c);
            for (int i = 0; i < 500; i++) {
                c.call("SET", "fa:" + i, "a" + i);
            }
            c.call("HSET", "fa:hash", "f", "v");
            c.call("SELECT", "1");
            c.call("RPUSH", "fa:list", "1", "2", "3");
            c.call("SELECT", "0");
            fileA = Rdbs.save(source, dir.resolve("a.rdb"));
            Dataset a = ServerDataset.read(c, 15);
            Rdbs.wipe(c);
            for (int i = 0; i < 500; i++) {
                c.call("SET", "fb:" + i, "b" + i);
            }
            c.call("SELECT", "2");
            c.call("ZADD", "fb:zset", "3", "m");
            c.call("XADD", "fb:stream", "5-1", "k", "v");
            c.call("SELECT", "0");
            fileB = Rdbs.save(source, dir.resolve("b.rdb"));
            Dataset b = ServerDataset.read(c, 15);
            filesAB = new Dataset();
            a.dbs.forEach((db, keys) -> keys.forEach((k, v) -> filesAB.put(db, k, v)));
            b.dbs.forEach((db, keys) -> keys.forEach((k, v) -> filesAB.put(db, k, v)));
        }
    }

    @AfterAll
    static void stop() {
        if (source != null) {
            source.close();
        }
        if (target != null) {
            target.close();
        }
    }

    @BeforeEach
    void emptyTarget() {
        try (RedisConnection c = target.connection()) {
            Rdbs.wipe(c);
        }
    }

    static FerryCli.Result restore(String path, Object... args) {
        List<String> a = new ArrayList<>(List.of("restore"));
        for (Object o : args) {
            a.add(o.toString());
        }
        a.addAll(List.of("--target", target.uri().toString()));
        if (path.equals("typed")) {
            a.add("--typed");
        }
        FerryCli.Result r = FerryCli.run(a.toArray(String[]::new));
        assertThat(r.exit()).as("exit status\n%s", r).isZero();
        return r;
    }

    static Dataset targetData() {
        try (RedisConnection c = target.connection()) {
            return ServerDataset.read(c, 15);
        }
    }

    /** {@code d} with its dbs renumbered by {@code map} (unlisted dbs keep their number). */
    static Dataset remap(Dataset d, Map<Integer, Integer> map) {
        Dataset out = new Dataset();
        d.dbs.forEach((db, keys) -> keys.forEach((k, v) -> out.put(map.getOrDefault(db, db), k, v)));
        return out;
    }

    static Dataset only(Dataset d, BiPredicate<Integer, Map.Entry<String, Dataset.KeyData>> keep) {
        Dataset out = new Dataset();
        d.dbs.forEach((db, keys) -> keys.entrySet().forEach(e -> {
            if (keep.test(db, e)) {
                out.put(db, e.getKey(), e.getValue());
            }
        }));
        return out;
    }

    @ParameterizedTest(name = "{0} path")
    @ValueSource(strings = {"restore", "typed"})
    void dbMapMovesListedDbsAndKeepsTheOthers(String path) {
        restore(path, multiDb, "--db-map", "0=3,1=4");
        assertThat(targetData()).isEqualTo(remap(multiDbData, Map.of(0, 3, 1, 4)));
        assertThat(targetData().dbs.keySet()).containsExactly(2, 3, 4);
    }

    @ParameterizedTest(name = "{0} path")
    @ValueSource(strings = {"restore", "typed"})
    void targetDbPutsEveryKeyInOneDb(String path) {
        restore(path, multiDb, "--target-db", 2);
        assertThat(targetData()).isEqualTo(remap(multiDbData, Map.of(0, 2, 1, 2, 2, 2)));
    }

    @ParameterizedTest(name = "{0} path")
    @ValueSource(strings = {"restore", "typed"})
    void keyAndTypeFiltersSelectKeys(String path) {
        FerryCli.Result r = restore(path, multiDb, "--key", "user:*", "--type", "hash");
        Dataset expected = only(multiDbData, (db, e) -> e.getKey().startsWith("user:") && e.getValue().type().equals("hash"));
        assertThat(expected.keyCount()).isEqualTo(3);
        assertThat(targetData()).isEqualTo(expected);
        assertThat(r.summary()).contains("3 keys written").contains((multiDbData.keyCount() - 3) + " filtered out");
    }

    @ParameterizedTest(name = "{0} path")
    @ValueSource(strings = {"restore", "typed"})
    void dbAndExcludeFiltersSelectKeys(String path) {
        restore(path, multiDb, "--db", "0,2", "--exclude-key", "user:*", "--exclude-key", "ttl:?");
        Dataset expected = only(multiDbData, (db, e) -> Set.of(0, 2).contains(db) && !e.getKey().startsWith("user:") && !e.getKey().equals("ttl:0"));
        assertThat(expected.keyCount()).isEqualTo(3);
        assertThat(targetData()).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} path")
    @ValueSource(strings = {"restore", "typed"})
    void keysExpiredSinceTheSaveAreSkipped(String path) throws Exception {
        long wait = shortExpireAt + 50 - System.currentTimeMillis();
        if (wait > 0) {
            Thread.sleep(wait);
        }
        FerryCli.Result r = restore(path, expiring);
        Dataset t = targetData();
        assertThat(t.dbs.get(0).keySet()).containsExactlyInAnyOrder("long", "forever");
        Dataset.KeyData kept = t.dbs.get(0).get("long");
        assertThat(kept.expireAtMs()).as("expiry kept to the ms").isEqualTo(longExpireAt);
        assertThat(t.dbs.get(0).get("forever").expireAtMs()).isNull();
        assertThat(r.summary()).contains("2 keys written").contains(" 2 expired").contains(" 0 failed");
    }

    @ParameterizedTest(name = "{0} path")
    @ValueSource(strings = {"restore", "typed"})
    void twoFilesInParallel(String path) {
        FerryCli.Result r = restore(path, fileA, fileB, "--parallel", 2, "--lanes", 3);
        assertThat(targetData()).isEqualTo(filesAB);
        assertThat(r.summary()).contains(String.format("%,d keys written", filesAB.keyCount()));
        assertThat(r.err()).contains("restoring 2 file(s)");
    }
}
