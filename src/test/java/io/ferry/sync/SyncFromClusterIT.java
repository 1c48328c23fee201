package io.ferry.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.convert.ConflictPolicy;
import io.ferry.filter.KeyFilter;
import io.ferry.resp.RedisConnection;
import io.ferry.resp.RedisUri;
import io.ferry.target.OnError;
import io.ferry.testing.ClusterWriteLoad;
import io.ferry.testing.Dataset;
import io.ferry.testing.RedisClusterProcess;
import io.ferry.testing.RedisServerProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real 3-master Redis Cluster as the source: one replica link per master, in parallel, into a
 * 4-master cluster and into a standalone server, with live writes; a restart continues every shard
 * without a snapshot; a reshard of the source stops the run with one line.
 */
@Timeout(300)
class SyncFromClusterIT {
    private static RedisClusterProcess source;

    @BeforeAll
    static void start() {
        source = RedisClusterProcess.start(3, 0, "repl-diskless-sync-delay 0", "repl-backlog-size 64mb");
    }

    @AfterAll
    static void stop() {
        if (source != null) {
            source.close();
        }
    }

    private static SyncOptions options(String target, Path state) {
        return new SyncOptions(RedisUri.parse(source.seedUri()), null, TargetSpec.parse(target, null), state, ConflictPolicy.FAIL, OnError.FAIL, 4,
                KeyFilter.ALL, io.ferry.filter.DbMap.IDENTITY, false, 1L << 30, 64L << 20, Duration.ofMillis(100), 0, Duration.ofSeconds(30));
    }

    /** Runs a coordinator in the background. */
    private static final class Run implements AutoCloseable {
        final SyncCoordinator coordinator;
        final Thread thread;
        volatile Throwable failure;

        Run(SyncOptions opt) {
            this(opt, List.of(opt.source()));
        }

        Run(SyncOptions opt, List<RedisUri> sources) {
            this(SyncCoordinator.plan(opt, sources));
        }

        Run(SyncCoordinator planned) {
            coordinator = planned;
            thread = new Thread(() -> {
                try {
                    coordinator.run();
                } catch (Throwable e) {
                    failure = e;
                }
            });
            thread.start();
        }

        /** Waits until every shard has applied everything its master has. */
        void awaitZeroLag() throws InterruptedException {
            List<RedisServerProcess> masters = source.masters();
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (System.nanoTime() < deadline) {
                if (failure != null) {
                    throw new AssertionError("sync failed", failure);
                }
                boolean all = true;
                for (int i = 0; i < masters.size(); i++) {
                    Partition s = sessionOf(masters.get(i));
                    try (RedisConnection c = masters.get(i).connection()) {
                        long at = Long.parseLong(c.infoField("replication", "master_repl_offset"));
                        all &= s.stats().state.equals("incremental") && s.stats().appliedOffset.get() >= at;
                    }
                }
                if (all) {
                    return;
                }
                Thread.sleep(50);
            }
            throw new AssertionError("no zero lag on every shard within 90 s");
        }

        Partition sessionOf(RedisServerProcess master) {
            int i = coordinator.partitions().indexOf("127.0.0.1:" + master.port());
            assertThat(i).as("a partition for master %d", master.port()).isNotNegative();
            return coordinator.sessions().get(i);
        }

        long fullSyncs() {
            return coordinator.sessions().stream().mapToLong(s -> s.stats().fullSyncs.sum()).sum();
        }

        @Override
        public void close() throws InterruptedException {
            coordinator.stop();
            thread.join(60_000);
        }
    }

    private static Dataset sourceData() {
        return source.dataset();
    }

    private static void seed() throws InterruptedException {
        try (ClusterWriteLoad load = ClusterWriteLoad.start(RedisUri.parse(source.seedUri()), 7, 6000)) {
            load.awaitDone();
        }
    }

    private static void assertSameAs(Dataset target) {
        Dataset s = sourceData();
        assertThat(s.keyCount()).isPositive();
        assertThat(target.dbs.get(0).keySet()).as("keys").isEqualTo(s.dbs.get(0).keySet());
        s.dbs.get(0).forEach((k, v) -> assertThat(target.dbs.get(0).get(k)).as("key %s", k).isEqualTo(v));
    }

    private static void flush(RedisClusterProcess c) {
        for (RedisServerProcess m : c.masters()) {
            try (RedisConnection x = m.connection()) {
                x.call("FLUSHALL");
            }
        }
    }

    @Test
    void clusterIntoALargerClusterWithLiveWritesAndAResume(@TempDir Path state) throws Exception {
        flush(source);
        seed();
        try (RedisClusterProcess target = RedisClusterProcess.start(4, 0)) {
            try (Run run = new Run(options(target.seedUri(), state));
                    ClusterWriteLoad load = ClusterWriteLoad.start(RedisUri.parse(source.seedUri()), 8, 20_000)) {
                load.awaitDone();
                run.awaitZeroLag();
                assertThat(run.coordinator.partitions()).hasSize(3);
                assertSameAs(target.dataset());
                assertThat(run.fullSyncs()).as("one snapshot per shard").isEqualTo(3);
                assertThat(run.coordinator.status().values()).containsEntry("shards", 3);
            }
            try (ClusterWriteLoad stopped = ClusterWriteLoad.start(RedisUri.parse(source.seedUri()), 9, 3000)) {
                stopped.awaitDone();
            }
            try (Run again = new Run(options(target.seedUri(), state))) {
                again.awaitZeroLag();
                assertThat(again.fullSyncs()).as("snapshots after the restart").isZero();
                assertSameAs(target.dataset());
            }
        }
    }

    @Test
    void clusterIntoAStandaloneServer(@TempDir Path state) throws Exception {
        flush(source);
        seed();
        try (RedisServerProcess target = RedisServerProcess.start(); RedisConnection t = target.connection();
                Run run = new Run(options(target.uriWithPassword(), state));
                ClusterWriteLoad load = ClusterWriteLoad.start(RedisUri.parse(source.seedUri()), 10, 10_000)) {
            load.awaitDone();
            run.awaitZeroLag();
            assertSameAs(SyncHarness.targetData(t));
        }
    }

    /** Two hand-sharded standalone sources into one server: the union, and the key both hold follows --on-conflict skip, counted. */
    @Test
    void twoStandaloneSourcesIntoOneServer(@TempDir Path state) throws Exception {
        try (RedisServerProcess a = RedisServerProcess.start("repl-diskless-sync-delay 0"); RedisServerProcess b = RedisServerProcess.start("repl-diskless-sync-delay 0");
                RedisServerProcess target = RedisServerProcess.start(); RedisConnection ca = a.connection(); RedisConnection cb = b.connection();
                RedisConnection t = target.connection()) {
            for (int i = 0; i < 500; i++) {
                ca.call("SET", "a:" + i, "from-a");
                cb.call("RPUSH", "b:" + i, "from-b");
            }
            ca.call("SET", "both", "a");
            cb.call("SET", "both", "b");
            SyncOptions opt = new SyncOptions(a.uri(), null, new TargetSpec.Server(target.uri(), null), state, ConflictPolicy.SKIP, OnError.FAIL, 4,
                    KeyFilter.ALL, io.ferry.filter.DbMap.IDENTITY, false, 1L << 30, 64L << 20, Duration.ofMillis(100), 0, Duration.ofSeconds(30));
            try (Run run = new Run(opt, List.of(a.uri(), b.uri()))) {
                assertThat(run.coordinator.partitions()).containsExactly("127.0.0.1:" + a.port(), "127.0.0.1:" + b.port());
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (run.coordinator.sessions().stream().anyMatch(s -> !s.stats().state.equals("incremental")) && System.nanoTime() < deadline) {
                    assertThat(run.failure).isNull();
                    Thread.sleep(50);
                }
                ca.call("SET", "a:live", "1");
                cb.call("INCR", "b:live");
                while ((t.call("EXISTS", "a:live").asLong() == 0 || t.call("EXISTS", "b:live").asLong() == 0) && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                Dataset got = SyncHarness.targetData(t);
                assertThat(got.dbs.get(0)).hasSize(1003);
                assertThat(got.dbs.get(0).get("a:7").value()).isEqualTo("from-a");
                assertThat(got.dbs.get(0).get("b:7").value()).isEqualTo(List.of("from-b"));
                assertThat(got.dbs.get(0).get("both").value()).isIn("a", "b");
                assertThat(run.coordinator.status().values()).containsEntry("snapshot_conflicts_skipped", 1L).containsEntry("shards", 2);
            }
        }
    }

    /**
     * --source-safe: the three masters share 127.0.0.1, so their full syncs run one after the
     * other (each snapshot is held a second by repl-diskless-sync-delay 1, so any overlap shows),
     * and the data converges; the same run without it overlaps, which is what the check would see.
     */
    @Test
    void sourceSafeTakesTheSnapshotsOfOneHostOneAtATime(@TempDir Path state) throws Exception {
        flush(source);
        seed();
        setOnMasters("repl-diskless-sync-delay", "1");
        try (RedisServerProcess target = RedisServerProcess.start(); RedisConnection t = target.connection()) {
            List<long[]> safe;
            try (Run run = new Run(SyncCoordinator.planSources(options(target.uriWithPassword(), state.resolve("safe")),
                    List.of(new SourceSpec.Server(RedisUri.parse(source.seedUri()))), new SourceTopologyOptions(false, true)));
                    ClusterWriteLoad load = ClusterWriteLoad.start(RedisUri.parse(source.seedUri()), 14, 6000)) {
                load.awaitDone();
                run.awaitZeroLag();
                assertSameAs(SyncHarness.targetData(t));
                safe = snapshotSpans(run);
            }
            for (int i = 1; i < safe.size(); i++) {
                assertThat(safe.get(i)[0]).as("snapshot %d starts after snapshot %d ended", i, i - 1).isGreaterThanOrEqualTo(safe.get(i - 1)[1]);
            }
            t.call("FLUSHALL");
            try (Run run = new Run(options(target.uriWithPassword(), state.resolve("parallel")))) {
                run.awaitZeroLag();
                List<long[]> parallel = snapshotSpans(run);
                assertThat(parallel.get(1)[0]).as("without --source-safe the snapshots overlap").isLessThan(parallel.get(0)[1]);
            }
        } finally {
            setOnMasters("repl-diskless-sync-delay", "0");
        }
    }

    /** Each partition's last snapshot as [sent PSYNC, received whole] (nanos), in start order. */
    private static List<long[]> snapshotSpans(Run run) {
        List<long[]> spans = new java.util.ArrayList<>();
        for (Partition p : run.coordinator.sessions()) {
            assertThat(p.stats().snapshotStartNanos).isPositive();
            assertThat(p.stats().snapshotEndNanos).isGreaterThan(p.stats().snapshotStartNanos);
            spans.add(new long[] {p.stats().snapshotStartNanos, p.stats().snapshotEndNanos});
        }
        spans.sort(java.util.Comparator.comparingLong(x -> x[0]));
        return spans;
    }

    private static void setOnMasters(String name, String value) {
        for (RedisServerProcess m : source.masters()) {
            try (RedisConnection c = m.connection()) {
                c.call("CONFIG", "SET", name, value);
            }
        }
    }

    /** --source-prefer replica on shards that have no replica: each partition follows its master. */
    @Test
    void preferReplicaFallsBackToTheMasterOfAShardWithoutReplicas(@TempDir Path state) {
        SyncCoordinator c = SyncCoordinator.planSources(options("redis://127.0.0.1:1", state), List.of(new SourceSpec.Server(RedisUri.parse(source.seedUri()))),
                new SourceTopologyOptions(true, false));
        assertThat(c.partitions()).containsExactlyInAnyOrderElementsOf(source.masters().stream().map(m -> "127.0.0.1:" + m.port()).toList());
    }

    @Test
    void aReshardOfTheSourceStopsTheRunWithOneLine(@TempDir Path state) throws Exception {
        flush(source);
        seed();
        try (RedisServerProcess target = RedisServerProcess.start(); Run run = new Run(options(target.uriWithPassword(), state))) {
            run.awaitZeroLag();
            List<RedisServerProcess> masters = source.masters();
            source.reshard(masters.get(0), masters.get(1), 10);
            run.thread.join(30_000);
            assertThat(run.failure).isInstanceOf(io.ferry.checkpoint.SyncStateException.class).hasMessageContaining("slot map changed");
            source.reshard(masters.get(1), masters.get(0), 10); // back, for the other tests
        }
    }
}
