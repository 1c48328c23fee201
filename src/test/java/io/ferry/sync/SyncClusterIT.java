package io.ferry.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.resp.RedisConnection;
import io.ferry.resp.RedisUri;
import io.ferry.testing.Dataset;
import io.ferry.testing.RedisClusterProcess;
import io.ferry.testing.RedisServerProcess;
import io.ferry.testing.ServerDataset;
import io.ferry.testing.WriteLoad;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Standalone into a real 3-master Redis Cluster (one replica each): snapshot plus live writes of
 * every type (cross-slot MULTI blocks, scripts, multi-key DEL and MSET included), a clean stop and
 * a resume without a new snapshot, and a reshard and a failover of the target in the middle of
 * the stream; the cluster ends holding exactly what the source holds.
 */
@Timeout(300)
class SyncClusterIT {
    private static final String[] SOURCE_CONF = {"repl-diskless-sync-delay 0", "repl-backlog-size 64mb"};
    private static RedisClusterProcess cluster;

    @BeforeAll
    static void startCluster() {
        cluster = RedisClusterProcess.start(3, 1);
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @BeforeEach
    void emptyCluster() {
        for (RedisServerProcess m : cluster.masters()) {
            try (RedisConnection c = m.connection()) {
                c.call("FLUSHALL");
            }
        }
    }

    private static RedisUri seed() {
        return RedisUri.parse(cluster.seedUri());
    }

    private static void seedData(RedisConnection c) {
        for (int i = 0; i < 3000; i++) {
            c.call("SET", "seed:" + i, "value-" + i);
        }
        c.call("HSET", "seed:hash", "a", "1", "b", "2");
        c.call("ZADD", "seed:zset", "1.5", "x", "-2", "y");
        c.call("XADD", "seed:stream", "1-1", "f", "v");
        c.call("XGROUP", "CREATE", "seed:stream", "g", "0");
        c.call("RPUSH", "seed:list", "a", "b", "c");
        c.call("SET", "seed:ttl", "v", "PX", "3600000");
    }

    private static void assertClusterHoldsSource(RedisConnection source) {
        assertClusterHoldsSource(source, 0);
    }

    /**
     * {@code expiryDriftMs}: a reshard moves keys with MIGRATE, which carries a TTL as a relative
     * time, so the new owner's absolute expiry may differ by a millisecond or so.
     */
    private static void assertClusterHoldsSource(RedisConnection source, long expiryDriftMs) {
        Dataset s = ServerDataset.read(source, 0);
        Dataset t = cluster.dataset();
        assertThat(s.keyCount()).as("source keys").isPositive();
        assertThat(t.dbs.get(0).keySet()).as("keys").isEqualTo(s.dbs.get(0).keySet());
        s.dbs.get(0).forEach((k, v) -> {
            Dataset.KeyData got = t.dbs.get(0).get(k);
            if (expiryDriftMs > 0 && v.expireAtMs() != null && got.expireAtMs() != null
                    && Math.abs(v.expireAtMs() - got.expireAtMs()) <= expiryDriftMs) {
                got = new Dataset.KeyData(got.type(), v.expireAtMs(), got.value(), got.fieldTtls(), got.lfu(), got.idle());
            }
            assertThat(got).as("key %s", k).isEqualTo(v);
        });
    }

    @Test
    void snapshotLiveWritesStopAndResume(@TempDir Path state) throws Exception {
        try (RedisServerProcess src = RedisServerProcess.start(SOURCE_CONF); RedisConnection s = src.connection()) {
            seedData(s);
            try (SyncHarness sync = new SyncHarness(src.uri(), seed(), state);
                    WriteLoad during = WriteLoad.startInDb0(src.uri(), 1, 20_000)) {
                during.awaitDone();
                sync.awaitZeroLag(s, Duration.ofSeconds(60));
                assertClusterHoldsSource(s);
                assertThat(sync.session.stats().fullSyncs.sum()).isEqualTo(1);
            }
            try (WriteLoad whileStopped = WriteLoad.startInDb0(src.uri(), 2, 5_000)) {
                whileStopped.awaitDone();
            }
            // The state directory is bound to the cluster, not to the node it was reached through.
            RedisUri otherNode = RedisUri.parse(cluster.masters().get(2).uriWithPassword());
            assertThat(otherNode.identity()).isNotEqualTo(seed().identity());
            try (SyncHarness again = new SyncHarness(src.uri(), otherNode, state)) {
                again.awaitZeroLag(s, Duration.ofSeconds(60));
                assertThat(again.session.stats().fullSyncs.sum()).as("full syncs after the restart").isZero();
                try (WriteLoad after = WriteLoad.startInDb0(src.uri(), 3, 5_000)) {
                    after.awaitDone();
                }
                again.awaitZeroLag(s, Duration.ofSeconds(60));
                assertClusterHoldsSource(s);
            }
            // Another server is another migration, and nothing is written to it.
            try (RedisServerProcess elsewhere = RedisServerProcess.start(); RedisConnection e = elsewhere.connection();
                    SyncHarness other = new SyncHarness(src.uri(), elsewhere.uri(), state)) {
                other.awaitFailure(Duration.ofSeconds(30));
                assertThat(other.failure).isInstanceOf(io.ferry.checkpoint.SyncStateException.class)
                        .hasMessageContaining("belongs to another migration").hasMessageContaining("redis-cluster:");
                assertThat(e.call("DBSIZE").asLong()).isZero();
            }
        }
    }

    @Test
    void reshardAndFailoverOfTheTargetMidStream(@TempDir Path state) throws Exception {
        try (RedisServerProcess src = RedisServerProcess.start(SOURCE_CONF); RedisConnection s = src.connection()) {
            seedData(s);
            try (SyncHarness sync = new SyncHarness(src.uri(), seed(), state)) {
                sync.awaitZeroLag(s, Duration.ofSeconds(60));
                try (WriteLoad load = WriteLoad.startInDb0(src.uri(), 4, 60_000)) {
                    var masters = cluster.masters();
                    cluster.reshard(masters.get(0), masters.get(1), 1000);
                    cluster.failover(masters.get(2));
                    cluster.awaitStable(3);
                    load.awaitDone();
                }
                sync.awaitZeroLag(s, Duration.ofSeconds(90));
                assertClusterHoldsSource(s, 50);
                assertThat(sync.session.stats().fullSyncs.sum()).isEqualTo(1);
                assertThat(sync.session.targetRedirects()).as("writes sent again after MOVED/ASK").isPositive();
            }
        }
    }

    /** Waits until Ferry has applied (acked) the stream up to {@code offset}; returns the acked offset. */
    private static long awaitAckedBeyond(RedisConnection source, long offset) throws InterruptedException {
        for (int i = 0; i < 1200 && SyncKillIT.ackedOffset(source) < offset; i++) {
            Thread.sleep(50);
        }
        long acked = SyncKillIT.ackedOffset(source);
        assertThat(acked).as("Ferry's acked offset").isGreaterThanOrEqualTo(offset);
        return acked;
    }

    /** SIGKILL at three points of a stream of INCR, RPUSH and cross-slot blocks: every counter and list ends exact. */
    @Test
    void killedThreeTimesUnderLoadEndsExact(@TempDir Path tmp) throws Exception {
        Path log = tmp.resolve("ferry.log");
        Path state = tmp.resolve("state");
        try (RedisServerProcess src = RedisServerProcess.start(SOURCE_CONF); RedisConnection s = src.connection()) {
            seedData(s);
            int statusPort = io.ferry.testing.FreePorts.pick();
            String target = cluster.seedUri();
            Process ferry = SyncKillIT.startFerry(src.uri().toString(), target, state, log, statusPort);
            try {
                SyncKillIT.awaitZeroLag(s);
                try (WriteLoad load = WriteLoad.startInDb0(src.uri(), 5, 100_000)) {
                    long mark = SyncKillIT.ackedOffset(s);
                    for (int kill = 0; kill < 3; kill++) {
                        mark = awaitAckedBeyond(s, mark + 50_000); // this run applies part of the stream, then dies
                        ferry.destroyForcibly().waitFor(); // SIGKILL mid-stream
                        ferry = SyncKillIT.startFerry(src.uri().toString(), target, state, log, statusPort);
                    }
                    load.awaitDone();
                }
                SyncKillIT.awaitZeroLag(s);
                try {
                    assertClusterHoldsSource(s);
                } catch (AssertionError e) {
                    java.util.List<String> lines = java.nio.file.Files.readAllLines(log);
                    e.addSuppressed(new AssertionError("Ferry's log:\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 150), lines.size()))));
                    throw e;
                }
                ferry.destroy(); // SIGTERM: drain, checkpoint, remove the checkpoint keys
                assertThat(ferry.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
                assertThat(ferry.exitValue()).isZero();
                assertThat(cluster.dbsize()).as("keys after a clean stop (no checkpoint key left)").isEqualTo(cluster.dataset().keyCount());
            } finally {
                ferry.destroyForcibly();
                ferry.waitFor();
            }
            String out = java.nio.file.Files.readString(log);
            assertThat(out.split("full sync: receiving the snapshot", -1)).as("full syncs in:\n" + out).hasSize(2);
        }
    }

    /**
     * A twemproxy pool as the source: one partition per backend, into the cluster. A key written
     * straight to a backend that the pool's hashing puts elsewhere is left out.
     */
    @Test
    void twemproxyPoolIntoTheCluster(@TempDir Path dir) throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(io.ferry.testing.NutcrackerProcess.available(), "nutcracker is not installed (apt-get install nutcracker)");
        try (io.ferry.testing.TwemproxyPool pool = new io.ferry.testing.TwemproxyPool(dir.resolve("pool"), true, "hash: fnv1a_64", "distribution: ketama",
                "hash_tag: \"{}\"");
                RedisConnection proxy = pool.proxy.connection()) {
            for (int i = 0; i < 600; i++) {
                proxy.call("SET", "tw:" + i, "v" + i);
                proxy.call("RPUSH", "twl:{" + (i % 50) + "}", "e" + i);
            }
            var conf = io.ferry.route.twemproxy.PoolReader.read(pool.proxy.conf(), "pool");
            byte[] stray = "stray:key".getBytes(java.nio.charset.StandardCharsets.UTF_8);
            int wrong = (conf.serverOf(stray) + 1) % 3;
            RedisServerProcess wrongBackend = null;
            for (RedisServerProcess b : pool.backends) {
                if (conf.servers().get(wrong).port() == b.port()) {
                    wrongBackend = b;
                }
            }
            try (RedisConnection c = wrongBackend.connection()) {
                c.call("SET", "stray:key", "written around the proxy");
            }
            SyncOptions opt = new SyncOptions(pool.backends.get(0).uri(), null, new TargetSpec.Server(seed(), null), dir.resolve("state"),
                    io.ferry.convert.ConflictPolicy.FAIL, io.ferry.target.OnError.FAIL, 4, io.ferry.filter.KeyFilter.ALL, io.ferry.filter.DbMap.IDENTITY,
                    false, 1L << 30, 64L << 20, Duration.ofMillis(100), 0, Duration.ofSeconds(30));
            SyncCoordinator run = SyncCoordinator.planSources(opt, java.util.List.of(SourceSpec.parse(pool.spec())));
            assertThat(run.partitions()).hasSize(3);
            Throwable[] failure = new Throwable[1];
            Thread t = new Thread(() -> {
                try {
                    run.run();
                } catch (Throwable e) {
                    failure[0] = e;
                }
            });
            t.start();
            try {
                for (int i = 0; i < 300; i++) {
                    proxy.call("INCR", "twc:{" + (i % 20) + "}");
                    proxy.call("HSET", "twh:" + (i % 30), "f" + i, "v");
                }
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (System.nanoTime() < deadline) {
                    assertThat(failure[0]).isNull();
                    boolean caughtUp = true;
                    for (int i = 0; i < 3; i++) {
                        try (RedisConnection b = RedisConnection.open(pool.backends.get(i).uri(), null, Duration.ofSeconds(5))) {
                            long at = Long.parseLong(b.infoField("replication", "master_repl_offset"));
                            Partition sess = run.sessions().get(run.partitions().indexOf("127.0.0.1:" + pool.backends.get(i).port()));
                            caughtUp &= sess.stats().state.equals("incremental") && sess.stats().appliedOffset.get() >= at;
                        }
                    }
                    if (caughtUp) {
                        break;
                    }
                    Thread.sleep(50);
                }
                Dataset target = cluster.dataset();
                Dataset viaBackends = new Dataset();
                for (RedisServerProcess b : pool.backends) {
                    try (RedisConnection c = b.connection()) {
                        ServerDataset.read(c, 0).dbs.getOrDefault(0, java.util.Map.of()).forEach((k, v) -> viaBackends.put(0, k, v));
                    }
                }
                viaBackends.dbs.get(0).remove("stray:key");
                assertThat(target.dbs.get(0).keySet()).as("keys").isEqualTo(viaBackends.dbs.get(0).keySet());
                viaBackends.dbs.get(0).forEach((k, v) -> assertThat(target.dbs.get(0).get(k)).as("key %s", k).isEqualTo(v));
                assertThat(target.dbs.get(0)).doesNotContainKey("stray:key");
            } finally {
                run.stop();
                t.join(30_000);
            }
            assertThat(failure[0]).isNull();
        }
    }

    @Test
    void aSourceDbOtherThanZeroIsRefusedBeforeWriting(@TempDir Path state) throws Exception {
        try (RedisServerProcess src = RedisServerProcess.start(SOURCE_CONF); RedisConnection s = src.connection()) {
            s.call("SET", "in-db-0", "x");
            s.call("SELECT", "2");
            s.call("SET", "in-db-2", "x");
            try (SyncHarness sync = new SyncHarness(src.uri(), seed(), state)) {
                sync.awaitFailure(Duration.ofSeconds(30));
                assertThat(sync.failure).isInstanceOf(io.ferry.target.MissingDbException.class)
                        .hasMessageContaining("source db 2").hasMessageContaining("cluster").hasMessageContaining("--db-map");
            }
            assertThat(cluster.dbsize()).as("keys written to the cluster").isZero();
        }
    }
}
