package io.ferry.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.convert.ConflictPolicy;
import io.ferry.filter.KeyFilter;
import io.ferry.resp.RedisConnection;
import io.ferry.resp.RedisUri;
import io.ferry.resp.Reply;
import io.ferry.target.OnError;
import io.ferry.testing.ClusterCounterLoad;
import io.ferry.testing.ClusterWriteLoad;
import io.ferry.testing.Dataset;
import io.ferry.testing.RedisClusterProcess;
import io.ferry.testing.RedisServerProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --source-prefer replica} against a real 3-master cluster with one replica each: every
 * partition follows a replica while the writes go to the masters; a failover inside one shard in
 * the middle of a counter load is followed (+CONTINUE with the new id), nothing lost or doubled,
 * and a restart continues from the node it followed; a reshard still stops the run.
 */
@Timeout(300)
class SyncFromReplicasIT {
    private static final SourceTopologyOptions REPLICAS = new SourceTopologyOptions(true, false);
    private static RedisClusterProcess source;

    @BeforeAll
    static void start() {
        source = RedisClusterProcess.start(3, 1, "repl-diskless-sync-delay 0", "repl-backlog-size 64mb");
    }

    @AfterAll
    static void stop() {
        if (source != null) {
            source.close();
        }
    }

    @BeforeEach
    void empty() {
        for (RedisServerProcess m : source.masters()) {
            try (RedisConnection x = m.connection()) {
                x.call("FLUSHALL");
            }
        }
    }

    private static SyncOptions options(String target, Path state) {
        return new SyncOptions(RedisUri.parse(source.seedUri()), null, TargetSpec.parse(target, null), state, ConflictPolicy.FAIL, OnError.FAIL, 4,
                KeyFilter.ALL, io.ferry.filter.DbMap.IDENTITY, false, 1L << 30, 64L << 20, Duration.ofMillis(100), 0, Duration.ofSeconds(30));
    }

    private static RedisServerProcess node(String hostPort) {
        int port = Integer.parseInt(hostPort.substring(hostPort.lastIndexOf(':') + 1));
        return source.nodes().stream().filter(n -> n.port() == port).findFirst().orElseThrow();
    }

    private static String role(RedisServerProcess n) {
        try (RedisConnection c = n.connection()) {
            return c.call("ROLE").asList().get(0).asString();
        }
    }

    /** The master of the shard {@code n} is in now. */
    private static RedisServerProcess masterOf(RedisServerProcess n) {
        try (RedisConnection c = n.connection()) {
            List<Reply> r = c.call("ROLE").asList();
            return r.get(0).asString().equals("master") ? n : node("127.0.0.1:" + r.get(2).asLong());
        }
    }

    private static final class Run implements AutoCloseable {
        final SyncCoordinator coordinator;
        final Thread thread;
        volatile Throwable failure;

        Run(SyncOptions opt) {
            coordinator = SyncCoordinator.planSources(opt, List.of(new SourceSpec.Server(opt.source())), REPLICAS);
            thread = new Thread(() -> {
                try {
                    coordinator.run();
                } catch (Throwable e) {
                    failure = e;
                }
            });
            thread.start();
        }

        /** Waits until every partition has applied all that its shard's master has now. */
        void awaitZeroLag() throws InterruptedException {
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (System.nanoTime() < deadline) {
                if (failure != null) {
                    throw new AssertionError("sync failed", failure);
                }
                boolean all = true;
                for (int i = 0; i < coordinator.partitions().size(); i++) {
                    Partition p = coordinator.sessions().get(i);
                    try (RedisConnection c = masterOf(node(coordinator.partitions().get(i))).connection()) {
                        long at = Long.parseLong(c.infoField("replication", "master_repl_offset"));
                        all &= p.stats().state.equals("incremental") && p.stats().appliedOffset.get() >= at;
                    }
                }
                if (all) {
                    return;
                }
                Thread.sleep(50);
            }
            throw new AssertionError("no zero lag on every shard within 90 s");
        }

        long sum(java.util.function.ToLongFunction<SyncStats> f) {
            return coordinator.sessions().stream().mapToLong(s -> f.applyAsLong(s.stats())).sum();
        }

        @Override
        public void close() throws InterruptedException {
            coordinator.stop();
            thread.join(60_000);
        }
    }

    private static void assertSameAs(Dataset target) {
        Dataset s = source.dataset();
        assertThat(s.keyCount()).isPositive();
        assertThat(target.dbs.get(0).keySet()).as("keys").isEqualTo(s.dbs.get(0).keySet());
        s.dbs.get(0).forEach((k, v) -> assertThat(target.dbs.get(0).get(k)).as("key %s", k).isEqualTo(v));
    }

    private static void assertCounters(RedisConnection t, Map<String, Long> expected) {
        assertThat(expected).isNotEmpty();
        expected.forEach((k, n) -> assertThat(t.call("GET", k).asString()).as("counter %s", k).isEqualTo(Long.toString(n)));
    }

    @Test
    void followsReplicasThroughAFailoverInsideAShardAndResumesFromThem(@TempDir Path state) throws Exception {
        try (ClusterWriteLoad seed = ClusterWriteLoad.start(RedisUri.parse(source.seedUri()), 11, 5000)) {
            seed.awaitDone();
        }
        try (RedisServerProcess target = RedisServerProcess.start(); RedisConnection t = target.connection()) {
            Map<String, Long> counted;
            String followed;
            try (Run run = new Run(options(target.uriWithPassword(), state))) {
                assertThat(run.coordinator.partitions()).hasSize(3).allSatisfy(p -> assertThat(role(node(p))).as("role of %s", p).isEqualTo("slave"));
                try (ClusterWriteLoad load = ClusterWriteLoad.start(RedisUri.parse(source.seedUri()), 12, 10_000)) {
                    load.awaitDone(); // on the masters, while Ferry reads their replicas
                }
                run.awaitZeroLag();
                assertSameAs(SyncHarness.targetData(t));

                followed = run.coordinator.partitions().get(1);
                Partition shard = run.coordinator.sessions().get(1);
                String idBefore = shard.stats().replid;
                try (ClusterCounterLoad counters = ClusterCounterLoad.start(RedisUri.parse(source.seedUri()), 300)) {
                    Thread.sleep(1500);
                    RedisServerProcess promoted = source.failover(masterOf(node(followed)));
                    assertThat(promoted.port()).as("the replica Ferry follows took over").isEqualTo(node(followed).port());
                    Thread.sleep(1500);
                    counters.close();
                    assertThat(counters.redirects()).as("INCRs redirected by the failover").isPositive();
                    counted = new java.util.HashMap<>(counters.expected());
                }
                run.awaitZeroLag();
                assertThat(run.failure).isNull();
                assertSameAs(SyncHarness.targetData(t));
                assertCounters(t, counted);
                assertThat(run.sum(s -> s.fullSyncs.sum())).as("snapshots: one per shard, none after the failover").isEqualTo(3);
                try (RedisConnection c = node(followed).connection()) {
                    String newId = c.infoField("replication", "master_replid");
                    assertThat(newId).isNotEqualTo(idBefore);
                    assertThat(shard.stats().replid).as("the new replication id, from +CONTINUE").isEqualTo(newId);
                }
                assertThat(shard.stats().reconnects.sum()).isPositive();
            }
            // Written while Ferry is stopped; the restart follows the same nodes (one of them a master now).
            try (ClusterCounterLoad more = ClusterCounterLoad.start(RedisUri.parse(source.seedUri()), 300)) {
                Thread.sleep(500);
                more.close();
                more.expected().forEach((k, n) -> counted.merge(k, n, Long::sum));
            }
            try (Run again = new Run(options(target.uriWithPassword(), state))) {
                assertThat(again.coordinator.partitions()).contains(followed);
                again.awaitZeroLag();
                assertThat(again.sum(s -> s.fullSyncs.sum())).as("snapshots after the restart").isZero();
                assertSameAs(SyncHarness.targetData(t));
                assertCounters(t, counted);
            }
        }
    }

    @Test
    void aReshardStillStopsTheRunWithOneLine(@TempDir Path state) throws Exception {
        try (ClusterWriteLoad seed = ClusterWriteLoad.start(RedisUri.parse(source.seedUri()), 13, 2000)) {
            seed.awaitDone();
        }
        try (RedisServerProcess target = RedisServerProcess.start(); Run run = new Run(options(target.uriWithPassword(), state))) {
            run.awaitZeroLag();
            List<RedisServerProcess> masters = source.masters();
            source.reshard(masters.get(0), masters.get(1), 10);
            run.thread.join(30_000);
            assertThat(run.failure).isInstanceOf(io.ferry.checkpoint.SyncStateException.class).hasMessageContaining("slot map changed");
            source.reshard(masters.get(1), masters.get(0), 10);
        }
    }
}
