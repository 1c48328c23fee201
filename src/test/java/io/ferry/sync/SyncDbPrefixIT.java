package io.ferry.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.filter.DbMap;
import io.ferry.filter.KeyFilter;
import io.ferry.resp.RedisConnection;
import io.ferry.resp.RedisUri;
import io.ferry.testing.Dataset;
import io.ferry.testing.RedisClusterProcess;
import io.ferry.testing.RedisServerProcess;
import io.ferry.testing.ServerDataset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 3-db source into a 3-master cluster with {@code --db-prefix 0=,1=db1:,2=db2:}: the same names
 * in every db, every type, TTLs, live writes of multi-key commands and MULTI blocks in every db;
 * the cluster holds the source with prefixed names, after a restart too; a FLUSHDB of db 1 and a
 * resume with other prefixes are refused.
 */
@Timeout(300)
class SyncDbPrefixIT {
    private static final String[] SOURCE_CONF = {"repl-diskless-sync-delay 0", "repl-backlog-size 64mb"};
    private static final String[] PREFIX = {"", "db1:", "db2:"};
    private static RedisClusterProcess cluster;

    @BeforeAll
    static void startCluster() {
        cluster = RedisClusterProcess.start(3, 0);
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static DbMap prefixes(String... p) {
        Map<Integer, byte[]> m = new TreeMap<>();
        for (int db = 0; db < p.length; db++) {
            m.put(db, p[db].getBytes(StandardCharsets.UTF_8));
        }
        return DbMap.of(Map.of(), m);
    }

    private static void seed(RedisConnection c) {
        for (int db = 0; db < 3; db++) {
            c.call("SELECT", "" + db);
            for (int i = 0; i < 300; i++) {
                c.call("SET", "k:" + i, "db" + db + "-" + i);
            }
            c.call("SET", "same", "in db " + db);
            c.call("SET", "ttl", "v" + db, "PX", "3600000");
            c.call("HSET", "hash", "a", "" + db, "b", "2");
            c.call("RPUSH", "list", "a", "b", "" + db);
            c.call("SADD", "set", "x", "y" + db);
            c.call("ZADD", "zset", "1.5", "x", "" + db, "y");
            c.call("XADD", "stream", "1-" + (db + 1), "f", "v");
            c.call("XGROUP", "CREATE", "stream", "g", "0");
            c.call("PFADD", "hll", "a", "b");
            c.call("SET", "{tag}same", "tagged " + db);
            c.call("RPUSH", "{l}src", "1", "2", "3");
        }
        c.call("SELECT", "0");
    }

    /** Live writes in every db: single-key, multi-key (split across slots on the target), two-key, and a MULTI block. */
    private static void live(RedisConnection c, int round) {
        for (int db = 0; db < 3; db++) {
            c.call("SELECT", "" + db);
            for (int i = 0; i < 50; i++) {
                c.call("SET", "live:" + round + ":" + i, "v" + db);
                c.call("INCR", "counter");
            }
            c.call("MSET", "m:a" + round, "1", "m:b" + round, "2", "m:c" + round, "3");
            c.call("DEL", "k:" + round, "k:" + (round + 10), "m:c" + round);
            // Two-key commands need one slot on a cluster: a hash tag keeps them together under any prefix.
            c.call("SET", "{r" + round + "}a", "x" + db);
            c.call("RENAME", "{r" + round + "}a", "{r" + round + "}renamed");
            c.call("LMOVE", "{l}src", "{l}dst", "LEFT", "RIGHT");
            c.call("EXPIRE", "live:" + round + ":1", "3600");
            c.call("MULTI"); // spans slots on the target: split per slot
            c.call("INCR", "counter");
            c.call("HSET", "hash", "r" + round, "" + db);
            c.call("SET", "block:" + round, "b" + db);
            c.call("EXEC");
        }
        c.call("SELECT", "0");
    }

    /** The source's dbs 0-2 as the cluster must hold them: one db, names prefixed. */
    private static void assertClusterHoldsPrefixedSource(RedisConnection source) {
        Dataset s = ServerDataset.read(source, 2);
        Map<String, Dataset.KeyData> expected = new TreeMap<>();
        s.dbs.forEach((db, keys) -> keys.forEach((k, v) -> expected.put(PREFIX[db] + k, v)));
        assertThat(s.dbs.keySet()).containsExactly(0, 1, 2);
        Dataset t = cluster.dataset();
        assertThat(t.dbs.keySet()).containsExactly(0);
        assertThat(t.dbs.get(0).keySet()).as("keys").isEqualTo(expected.keySet());
        expected.forEach((k, v) -> assertThat(t.dbs.get(0).get(k)).as("key %s", k).isEqualTo(v));
        assertThat(t.dbs.get(0).get("db2:counter").value()).isEqualTo(s.dbs.get(2).get("counter").value());
    }

    @Test
    void prefixedDbsIntoAClusterResumeExactlyAndRefuseWhatCannotBeExpressed(@TempDir Path state) throws Exception {
        RedisUri seed = RedisUri.parse(cluster.seedUri());
        DbMap map = prefixes(PREFIX);
        try (RedisServerProcess src = RedisServerProcess.start(SOURCE_CONF); RedisConnection s = src.connection()) {
            seed(s);
            try (SyncHarness sync = new SyncHarness(src.uri(), seed, state, KeyFilter.ALL, map)) {
                live(s, 1);
                sync.awaitZeroLag(s, Duration.ofSeconds(60));
                live(s, 2);
                sync.awaitZeroLag(s, Duration.ofSeconds(60));
                assertClusterHoldsPrefixedSource(s);
                assertThat(sync.session.stats().fullSyncs.sum()).isEqualTo(1);
            }
            live(s, 3); // while stopped
            try (SyncHarness again = new SyncHarness(src.uri(), seed, state, KeyFilter.ALL, map)) {
                again.awaitZeroLag(s, Duration.ofSeconds(60));
                assertThat(again.session.stats().fullSyncs.sum()).as("full syncs after the restart").isZero();
                live(s, 4);
                again.awaitZeroLag(s, Duration.ofSeconds(60));
                assertClusterHoldsPrefixedSource(s);
            }

            try (SyncHarness other = new SyncHarness(src.uri(), seed, state, KeyFilter.ALL, prefixes("", "one:", "two:"))) {
                other.awaitFailure(Duration.ofSeconds(30));
                assertThat(other.failure).isInstanceOf(io.ferry.checkpoint.SyncStateException.class)
                        .hasMessageContaining("belongs to another migration");
            }

            try (SyncHarness flush = new SyncHarness(src.uri(), seed, state, KeyFilter.ALL, map)) {
                flush.awaitZeroLag(s, Duration.ofSeconds(60));
                s.call("SELECT", "1");
                s.call("FLUSHDB");
                s.call("SELECT", "0");
                flush.awaitFailure(Duration.ofSeconds(30));
                assertThat(flush.failure.getMessage()).contains("FLUSHDB in source db 1").doesNotContain("\n");
                assertThat(cluster.dataset().dbs.get(0)).as("nothing of db 1 erased").containsKey("db1:same");
            }
        }
    }
}
