package io.ferry.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.convert.ConflictPolicy;
import io.ferry.filter.KeyFilter;
import io.ferry.resp.RedisConnection;
import io.ferry.resp.RedisUri;
import io.ferry.target.OnError;
import io.ferry.target.StreamApplier;
import io.ferry.testing.Dataset;
import io.ferry.testing.ServerDataset;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.IntUnaryOperator;

/** Runs a SyncSession in a background thread and waits for convergence. */
final class SyncHarness implements AutoCloseable {
    final SyncSession session;
    private final Thread thread;
    volatile Throwable failure;

    SyncHarness(RedisUri source, RedisUri target, Path stateDir) {
        this(source, target, stateDir, KeyFilter.ALL, IntUnaryOperator.identity());
    }

    SyncHarness(RedisUri source, RedisUri target, Path stateDir, KeyFilter filter, IntUnaryOperator dbMap) {
        this(source, target, stateDir, filter, dbMap, Duration.ofMillis(100));
    }

    SyncHarness(RedisUri source, RedisUri target, Path stateDir, KeyFilter filter, IntUnaryOperator dbMap, Duration ackInterval) {
        this(new SyncOptions(source, null, new TargetSpec.Server(target, null), stateDir, ConflictPolicy.FAIL, OnError.FAIL, 4, filter,
                dbMap, false, 1L << 30, 64L << 20, ackInterval, 0, Duration.ofSeconds(30)));
    }

    SyncHarness(RedisUri source, RedisUri target, Path stateDir, KeyFilter filter, IntUnaryOperator dbMap, OnError onError, int lanes) {
        this(new SyncOptions(source, null, new TargetSpec.Server(target, null), stateDir, ConflictPolicy.FAIL, onError, lanes, filter,
                dbMap, false, 1L << 30, 64L << 20, Duration.ofMillis(100), 0, Duration.ofSeconds(30)));
    }

    SyncHarness(RedisUri source, TargetSpec target, Path stateDir) {
        this(new SyncOptions(source, null, target, stateDir, ConflictPolicy.FAIL, OnError.FAIL, 4, KeyFilter.ALL,
                io.ferry.filter.DbMap.IDENTITY, false, 1L << 30, 64L << 20, Duration.ofMillis(100), 0, Duration.ofSeconds(30)));
    }

    SyncHarness(SyncOptions opt) {
        session = new SyncSession(opt);
        thread = new Thread(() -> {
            try {
                session.run();
            } catch (Throwable e) {
                failure = e;
            }
        }, "sync-under-test");
        thread.setDaemon(true);
        thread.start();
    }

    /** Waits until the run ends with a failure. */
    void awaitFailure(Duration timeout) throws InterruptedException {
        thread.join(timeout.toMillis());
        if (thread.isAlive() || failure == null) {
            throw new AssertionError("the run did not fail within " + timeout + " (state " + session.stats().state + ")");
        }
    }

    /** Waits until the applied offset reaches the source's current offset (zero lag). */
    void awaitZeroLag(RedisConnection source, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (failure != null) {
                throw new AssertionError("sync failed", failure);
            }
            long master = Long.parseLong(source.infoField("replication", "master_repl_offset"));
            if (session.stats().state.equals("incremental") && session.stats().appliedOffset.get() >= master) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no zero lag within " + timeout + ": " + session.stats().state + " applied "
                + session.stats().appliedOffset.get() + " source " + source.infoField("replication", "master_repl_offset"), failure);
    }

    /** The target's keyspace without Ferry's own checkpoint keys. */
    static Dataset targetData(RedisConnection target) {
        Dataset d = ServerDataset.read(target, 15);
        d.dbs.values().forEach(keys -> keys.keySet().removeIf(k -> k.startsWith(StreamApplier.CHECKPOINT_KEY)));
        d.dbs.values().removeIf(java.util.Map::isEmpty);
        return d;
    }

    static void assertSame(RedisConnection source, RedisConnection target) {
        Dataset s = ServerDataset.read(source, 15);
        Dataset t = targetData(target);
        assertThat(s.keyCount()).as("source keys").isPositive();
        assertThat(t.dbs.keySet()).isEqualTo(s.dbs.keySet());
        s.dbs.forEach((db, keys) -> {
            assertThat(t.dbs.get(db).keySet()).as("keys of db %d", db).isEqualTo(keys.keySet());
            keys.forEach((k, v) -> assertThat(t.dbs.get(db).get(k)).as("db %d key %s", db, k).isEqualTo(v));
        });
    }

    @Override
    public void close() throws InterruptedException {
        session.stop();
        thread.join(30_000);
    }
}
