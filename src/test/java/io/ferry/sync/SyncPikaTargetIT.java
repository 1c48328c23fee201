package io.ferry.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.convert.ConflictPolicy;
import io.ferry.filter.KeyFilter;
import io.ferry.resp.RedisConnection;
import io.ferry.resp.RedisUri;
import io.ferry.target.OnError;
import io.ferry.testing.Dataset;
import io.ferry.testing.PikaSurfaceProxy;
import io.ferry.testing.RedisServerProcess;
import io.ferry.testing.ServerDataset;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ferry sync} Redis → Pika-shaped targets ({@link io.ferry.testing.PikaSurfaceProxy} over a
 * redis-server): snapshot and live writes converge, a restart resumes exactly; a target without
 * MULTI (3.3.6) is refused unless at-least-once is accepted; a stream command Pika lacks (EVAL) is
 * refused in one line, or counted under skip.
 */
@Timeout(180)
class SyncPikaTargetIT {
    private static SyncOptions options(RedisUri source, RedisUri target, Path state, OnError onError, boolean atLeastOnce) {
        return new SyncOptions(source, null, new TargetSpec.Server(target, null), state, ConflictPolicy.FAIL, onError, 4, KeyFilter.ALL,
                io.ferry.filter.DbMap.IDENTITY, false, 1L << 30, 64L << 20, Duration.ofMillis(100), 0, Duration.ofSeconds(30),
                io.ferry.convert.OnUnsupported.FAIL, atLeastOnce);
    }

    /** Writes of every kind Pika takes, with TTLs as Redis 7 replicates them (PEXPIREAT, SET … PXAT) and source transactions. */
    private static void writes(RedisConnection s, int from, int to, boolean streams) {
        for (int i = from; i < to; i++) {
            s.call("SET", "s:" + i % 50, "v" + i);
            s.call("INCR", "counter");
            s.call("RPUSH", "list", "e" + i);
            s.call("HSET", "h:" + i % 20, "f" + i % 7, "v" + i);
            s.call("SADD", "set", "m" + i % 30);
            s.call("ZADD", "z", Integer.toString(i), "m" + i % 40);
            s.call("SET", "ttl:" + i % 10, "x", "EX", "3600");
            s.call("EXPIRE", "h:" + i % 20, "7200");
            s.call("MULTI");
            s.call("INCR", "tx");
            s.call("RPUSH", "txlist", "t" + i);
            s.call("EXEC");
            if (i % 9 == 0) {
                s.call("DEL", "s:" + i % 50);
            }
            if (streams) {
                s.call("XADD", "stream", "*", "n", Integer.toString(i));
            }
        }
    }

    /** Target equals source, TTLs within 2 s (Pika takes the remaining time, or whole seconds). */
    private static void assertConverged(RedisConnection source, RedisConnection target) {
        Dataset s = ServerDataset.read(source, 15);
        Dataset t = SyncHarness.targetData(target);
        assertThat(s.keyCount()).isPositive();
        assertThat(t.dbs.keySet()).isEqualTo(s.dbs.keySet());
        s.dbs.forEach((db, keys) -> {
            Map<String, Dataset.KeyData> got = t.dbs.get(db);
            assertThat(got.keySet()).as("keys of db %d", db).isEqualTo(keys.keySet());
            keys.forEach((k, v) -> {
                Dataset.KeyData g = got.get(k);
                if (v.expireAtMs() != null) {
                    assertThat(g.expireAtMs()).as("TTL of %s", k).isNotNull();
                    assertThat(Math.abs(g.expireAtMs() - v.expireAtMs())).as("TTL of %s", k).isLessThan(2000L);
                    g = new Dataset.KeyData(g.type(), v.expireAtMs(), g.value(), g.fieldTtls(), g.lfu(), g.idle());
                }
                assertThat(g).as("db %d key %s", db, k).isEqualTo(v);
            });
        });
    }

    @Test
    void redisIntoPika40SnapshotStreamAndRestartResumeExact(@TempDir Path state) throws Exception {
        try (RedisServerProcess src = RedisServerProcess.start(); RedisConnection s = src.connection();
                RedisServerProcess backend = RedisServerProcess.start(); PikaSurfaceProxy pika = new PikaSurfaceProxy("4.0.1", backend.port());
                RedisConnection t = backend.connection()) {
            writes(s, 0, 300, true);
            try (SyncHarness sync = new SyncHarness(options(src.uri(), pika.uri(), state, OnError.FAIL, false))) {
                writes(s, 300, 600, true);
                sync.awaitZeroLag(s, Duration.ofSeconds(60));
                assertConverged(s, t);
            }
            writes(s, 600, 900, true); // while Ferry is stopped
            try (SyncHarness sync = new SyncHarness(options(src.uri(), pika.uri(), state, OnError.FAIL, false))) {
                writes(s, 900, 1000, true);
                sync.awaitZeroLag(s, Duration.ofSeconds(60));
                assertConverged(s, t); // counters and lists: nothing lost, nothing applied twice
                assertThat(t.call("GET", "counter").asString()).isEqualTo("1000");
            }
            assertThat(pika.received()).as("commands sent").doesNotContain("PEXPIREAT", "RESTORE", "EVAL", "EVALSHA", "DUMP").contains("MULTI");
        }
    }

    @Test
    void pika336WithoutMultiRefusedUnlessAtLeastOnceAccepted(@TempDir Path state) throws Exception {
        try (RedisServerProcess src = RedisServerProcess.start(); RedisConnection s = src.connection();
                RedisServerProcess backend = RedisServerProcess.start(); PikaSurfaceProxy pika = new PikaSurfaceProxy("3.3.6", backend.port());
                RedisConnection t = backend.connection()) {
            writes(s, 0, 100, false);
            try (SyncHarness sync = new SyncHarness(options(src.uri(), pika.uri(), state, OnError.FAIL, false))) {
                sync.awaitFailure(Duration.ofSeconds(30));
                assertThat(sync.failure).isInstanceOf(io.ferry.OperatorException.class);
                assertThat(sync.failure.getMessage()).doesNotContain("\n").contains("no MULTI/EXEC", "exactly-once", "--target-at-least-once");
            }
            assertThat(t.call("DBSIZE").asLong()).as("nothing written").isZero();

            try (SyncHarness sync = new SyncHarness(options(src.uri(), pika.uri(), state, OnError.FAIL, true))) {
                writes(s, 100, 300, false);
                sync.awaitZeroLag(s, Duration.ofSeconds(60));
                assertConverged(s, t);
            }
            assertThat(pika.received()).doesNotContain("MULTI", "PEXPIREAT", "PEXPIRE", "RESTORE");
        }
    }

    /**
     * Redis 7 replicates a script by its effects (an EVAL arrives as its INCR), which Pika takes;
     * RENAME is replicated as it is and Pika has none: refused before it is written, in one line, or
     * skipped and counted.
     */
    @Test
    void renameThePikaTargetLacksRefusedInOneLineOrCountedUnderSkip(@TempDir Path failState, @TempDir Path skipState) throws Exception {
        String script = "return redis.call('incr', KEYS[1])";
        try (RedisServerProcess src = RedisServerProcess.start(); RedisConnection s = src.connection();
                RedisServerProcess backend = RedisServerProcess.start(); PikaSurfaceProxy pika = new PikaSurfaceProxy("4.0.1", backend.port());
                RedisConnection t = backend.connection()) {
            s.call("SET", "before", "1");
            try (SyncHarness sync = new SyncHarness(options(src.uri(), pika.uri(), failState, OnError.FAIL, false))) {
                sync.awaitZeroLag(s, Duration.ofSeconds(30));
                s.call("EVAL", script, "1", "scripted");
                sync.awaitZeroLag(s, Duration.ofSeconds(30));
                assertThat(t.call("GET", "scripted").asString()).as("the script's effect").isEqualTo("1");
                s.call("RENAME", "before", "renamed");
                sync.awaitFailure(Duration.ofSeconds(30));
                assertThat(sync.failure.getMessage()).doesNotContain("\n").contains("has no command RENAME", "--on-error skip");
            }
            assertThat(t.call("GET", "before").asString()).isEqualTo("1");
            t.call("FLUSHALL");
            s.call("FLUSHALL");
            s.call("SET", "before", "1");
            try (SyncHarness sync = new SyncHarness(options(src.uri(), pika.uri(), skipState, OnError.SKIP, false))) {
                sync.awaitZeroLag(s, Duration.ofSeconds(30));
                s.call("RENAME", "before", "renamed");
                s.call("SET", "after", "2");
                sync.awaitZeroLag(s, Duration.ofSeconds(30));
                assertThat(((Number) sync.session.status().values().get("errors_skipped")).longValue()).isEqualTo(1);
                assertThat(t.call("GET", "after").asString()).isEqualTo("2");
            }
            assertThat(pika.received()).doesNotContain("EVAL", "EVALSHA", "RENAME");
        }
    }
}
