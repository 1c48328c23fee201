package io.ferry.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.filter.DbMap;
import io.ferry.filter.KeyFilter;
import io.ferry.rdb.ValueType;
import io.ferry.resp.RedisConnection;
import io.ferry.target.OnError;
import io.ferry.testing.RedisServerProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A target that rejects forwarded writes, under {@code --on-error fail} and {@code skip}, in a db
 * other than 0 (a SELECT inside the lane's transaction used to shift the replies by one), and
 * the live stream's type filter.
 */
@Timeout(120)
class SyncOnErrorIT {
    private static final String FAST = "repl-diskless-sync-delay 0";

    /**
     * Runs a one-lane {@code --on-error fail} sync from {@code src} to {@code dst}, sends
     * {@code writes} to the source once the stream flows, and returns what ended the run.
     */
    private static Throwable failureAfter(RedisServerProcess src, RedisServerProcess dst, Path state, RedisConnection s,
            java.util.function.Consumer<RedisConnection> writes) throws Exception {
        SyncHarness sync = new SyncHarness(src.uri(), dst.uri(), state, KeyFilter.ALL, DbMap.IDENTITY, OnError.FAIL, 1);
        try {
            sync.awaitZeroLag(s, Duration.ofSeconds(30));
            writes.accept(s);
            sync.awaitFailure(Duration.ofSeconds(30));
        } finally {
            sync.close();
        }
        return sync.failure;
    }

    /** The target holds `k` as a list in db 5, so the source's INCR k is refused there (WRONGTYPE). */
    private static void listOnTarget(RedisConnection t) {
        t.call("SELECT", "5");
        t.call("RPUSH", "k", "x");
        t.call("SELECT", "0");
    }

    @Test
    void aRejectedCommandInDb5StopsTheRunNamingIt(@TempDir Path state) throws Exception {
        try (RedisServerProcess src = RedisServerProcess.start(FAST); RedisServerProcess dst = RedisServerProcess.start();
                RedisConnection s = src.connection(); RedisConnection t = dst.connection()) {
            s.call("SET", "seed", "1");
            listOnTarget(t);
            Throwable failure = failureAfter(src, dst, state, s, c -> {
                c.call("SELECT", "5");
                c.call("INCR", "k"); // alone, and last, in its batch: its error used to fall outside the replies read
            });
            assertThat(failure).hasMessageContaining("rejected INCR").hasMessageContaining("WRONGTYPE");
        }
    }

    @Test
    void aRejectedCommandAfterADbSwitchInsideABatchIsTheOneNamed(@TempDir Path state) throws Exception {
        try (RedisServerProcess src = RedisServerProcess.start(FAST); RedisServerProcess dst = RedisServerProcess.start();
                RedisConnection s = src.connection(); RedisConnection t = dst.connection()) {
            s.call("SET", "seed", "1");
            listOnTarget(t);
            // One lane batch in two dbs: the lane selects db 5 inside the transaction, one reply more.
            Throwable failure = failureAfter(src, dst, state, s, c -> {
                c.call("MULTI");
                c.call("SET", "x", "1");
                c.call("SELECT", "5");
                c.call("INCR", "k");
                c.call("EXEC");
            });
            assertThat(failure).hasMessageContaining("rejected INCR").hasMessageContaining("WRONGTYPE");
            assertThat(t.call("GET", "x").asString()).isEqualTo("1");
        }
    }

    @Test
    void skipCountsRejectedCommandsAndAppliesTheirNeighboursExactlyOnce(@TempDir Path state) throws Exception {
        try (RedisServerProcess src = RedisServerProcess.start(FAST); RedisServerProcess dst = RedisServerProcess.start("rename-command HSETNX \"\"");
                RedisConnection s = src.connection(); RedisConnection t = dst.connection()) {
            s.call("SET", "seed", "1");
            listOnTarget(t);
            try (SyncHarness sync = new SyncHarness(src.uri(), dst.uri(), state, KeyFilter.ALL, DbMap.IDENTITY, OnError.SKIP, 1)) {
                sync.awaitZeroLag(s, Duration.ofSeconds(30));
                s.call("SELECT", "5");
                for (int i = 0; i < 50; i++) {
                    s.call("INCR", "counter");
                    s.call("INCR", "k"); // WRONGTYPE on the target, at run time
                    s.call("HSETNX", "h", "f" + i, "v"); // unknown to the target: refused while queueing
                    s.call("RPUSH", "list", "e" + i);
                }
                sync.awaitZeroLag(s, Duration.ofSeconds(30));
                t.call("SELECT", "5");
                assertThat(t.call("GET", "counter").asString()).isEqualTo("50");
                assertThat(t.call("LLEN", "list").asLong()).isEqualTo(50);
                assertThat(t.call("EXISTS", "h").asLong()).isZero();
                assertThat(sync.failure).isNull();
                assertThat(((Number) sync.session.status().values().get("errors_skipped")).longValue()).as("skipped").isEqualTo(100);
            }
        }
    }

    @Test
    void aCommandTheTargetDoesNotKnowStopsTheRunBeforeItIsSent(@TempDir Path state) throws Exception {
        try (RedisServerProcess src = RedisServerProcess.start(FAST); RedisServerProcess dst = RedisServerProcess.start("rename-command HSETNX \"\"");
                RedisConnection s = src.connection(); RedisConnection t = dst.connection()) {
            s.call("SET", "seed", "1");
            Throwable failure = failureAfter(src, dst, state, s, c -> {
                c.call("SET", "before", "1");
                c.call("HSETNX", "h", "f", "v");
            });
            assertThat(failure).hasMessageContaining("does not know the command HSETNX").hasMessageContaining("--on-error skip");
            assertThat(t.call("GET", "before").asString()).as("what came before is applied").isEqualTo("1");
        }
    }

    @Test
    void theTypeFilterHoldsForTheLiveStream(@TempDir Path state) throws Exception {
        try (RedisServerProcess src = RedisServerProcess.start(FAST); RedisServerProcess dst = RedisServerProcess.start();
                RedisConnection s = src.connection(); RedisConnection t = dst.connection()) {
            s.call("HSET", "h:snap", "f", "v");
            s.call("SET", "s:snap", "v");
            KeyFilter hashes = new KeyFilter(Set.of(), List.of(), List.of(), Set.of(ValueType.HASH));
            try (SyncHarness sync = new SyncHarness(src.uri(), dst.uri(), state, hashes, DbMap.IDENTITY)) {
                sync.awaitZeroLag(s, Duration.ofSeconds(30));
                s.call("HSET", "h:live", "f", "v");
                s.call("SET", "s:live", "v");
                s.call("RPUSH", "l:live", "v");
                s.call("HINCRBY", "h:live", "n", "2");
                s.call("DEL", "h:snap");
                sync.awaitZeroLag(s, Duration.ofSeconds(30));
                assertThat(SyncHarness.targetData(t).dbs.get(0).keySet()).containsExactly("h:live");
                assertThat(t.call("HGET", "h:live", "n").asString()).isEqualTo("2");
            }
        }
    }
}
