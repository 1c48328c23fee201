package io.ferry.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.resp.RedisConnection;
import io.ferry.resp.RedisUri;
import io.ferry.testing.CrossVersion;
import io.ferry.testing.FerryCli;
import io.ferry.testing.RedisServerProcess;
import io.ferry.testing.RedisVersion;
import io.ferry.testing.ServerDataset;
import io.ferry.testing.TcpProxy;
import io.ferry.testing.WriteLoad;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Sync between real servers of different versions, both ways between each pair of 2.8.19, 6.2.11
 * and 7.0.15: the snapshot (typed commands where a payload is too new for the target), live
 * writes during and after it, two cuts of the source link mid-stream (PSYNC v1 from 2.8: offsets
 * from 1, resumed by the run id; PSYNC2 from 6.2 and 7.0), then the target compared key by key
 * with the source, and `ferry check` across the two versions (clean, then one changed value).
 * One source and one target server per version serve every pair (flushed between pairs).
 */
@Timeout(240)
class VersionMatrixSyncIT {
    private static final Map<RedisVersion, RedisServerProcess> SOURCES = new EnumMap<>(RedisVersion.class);
    private static final Map<RedisVersion, RedisServerProcess> TARGETS = new EnumMap<>(RedisVersion.class);

    static Stream<Arguments> pairs() {
        List<Arguments> out = new ArrayList<>();
        for (RedisVersion from : RedisVersion.values()) {
            for (RedisVersion to : RedisVersion.values()) {
                if (from != to) {
                    out.add(Arguments.of(from, to));
                }
            }
        }
        return out.stream();
    }

    private static synchronized RedisServerProcess server(Map<RedisVersion, RedisServerProcess> pool, RedisVersion v, String... conf) {
        RedisServerProcess s = pool.get(v);
        if (s == null) {
            s = v.start(conf);
            pool.put(v, s);
        }
        return s;
    }

    @AfterAll
    static void stop() {
        SOURCES.values().forEach(RedisServerProcess::close);
        TARGETS.values().forEach(RedisServerProcess::close);
    }

    /** Every type in small and big encodings, expiries, two dbs; streams only where both ends have them. */
    private static void seed(RedisConnection c, boolean streams) {
        long expireAt = System.currentTimeMillis() + 3_600_000;
        c.call("SELECT", "1");
        for (int i = 0; i < 1500; i++) {
            c.call("SET", "seed:" + i, i % 3 == 0 ? Integer.toString(i) : "value-" + i);
        }
        List<String> big = new ArrayList<>(List.of("RPUSH", "seed:biglist"));
        List<String> bigHash = new ArrayList<>(List.of("HMSET", "seed:bighash"));
        List<String> bigSet = new ArrayList<>(List.of("SADD", "seed:bigset"));
        List<String> bigZset = new ArrayList<>(List.of("ZADD", "seed:bigzset"));
        for (int i = 0; i < 600; i++) {
            big.add("element-" + i);
            bigHash.addAll(List.of("field-" + i, "v" + i));
            bigSet.add("member-" + i);
            bigZset.addAll(List.of(Double.toString(i * 0.5), "m" + i));
        }
        c.call(big.toArray(new String[0]));
        c.call(bigHash.toArray(new String[0]));
        c.call(bigSet.toArray(new String[0]));
        c.call(bigZset.toArray(new String[0]));
        c.call("HMSET", "seed:hash", "a", "1", "b", "2");
        c.call("SADD", "seed:ints", "1", "2", "3");
        c.call("SADD", "seed:set", "a", "b");
        c.call("ZADD", "seed:zset", "1.5", "x", "-2", "y");
        c.call("SET", "seed:ttl", "v");
        c.call("PEXPIREAT", "seed:ttl", Long.toString(expireAt));
        c.call("PEXPIREAT", "seed:hash", Long.toString(expireAt));
        if (streams) {
            c.call("XADD", "seed:stream", "1-1", "f", "v");
            c.call("XADD", "seed:stream", "2-1", "f", "w");
            c.call("XGROUP", "CREATE", "seed:stream", "g", "0");
            c.call("XREADGROUP", "GROUP", "g", "alice", "COUNT", "1", "STREAMS", "seed:stream", ">");
        }
        c.call("SELECT", "0");
        c.call("RPUSH", "seed:list", "a", "b", "c");
    }

    /** Polls (no fixed sleep) until the load has sent {@code ops} commands. */
    private static void awaitOps(WriteLoad load, long ops) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (load.ops() < ops && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
    }

    @ParameterizedTest(name = "{0} → {1}")
    @MethodSource("pairs")
    void snapshotLiveWritesAndCutLinksEndIdenticalAndCheckAgrees(RedisVersion from, RedisVersion to, @TempDir Path state) throws Exception {
        RedisServerProcess src = server(SOURCES, from, "repl-diskless-sync-delay 0", "repl-backlog-size 64mb");
        RedisServerProcess dst = server(TARGETS, to);
        boolean streams = from.atLeast(5, 0) && to.atLeast(5, 0);
        try (TcpProxy proxy = new TcpProxy(src.port()); RedisConnection s = src.connection(); RedisConnection t = dst.connection()) {
            s.call("FLUSHALL");
            t.call("FLUSHALL");
            seed(s, streams);
            RedisUri viaProxy = RedisUri.parse("redis://127.0.0.1:" + proxy.port());
            try (WriteLoad during = WriteLoad.start(src.uri(), 11, 15_000, streams); SyncHarness sync = new SyncHarness(viaProxy, dst.uri(), state)) {
                during.awaitDone();
                sync.awaitZeroLag(s, Duration.ofSeconds(60));
                try (WriteLoad load = WriteLoad.start(src.uri(), 12, 15_000, streams)) {
                    awaitOps(load, 4_000);
                    proxy.cut();
                    awaitOps(load, 10_000);
                    proxy.cut();
                    load.awaitDone();
                }
                sync.awaitZeroLag(s, Duration.ofSeconds(60));
                io.ferry.testing.Dataset source = ServerDataset.read(s, 15);
                assertThat(source.keyCount()).as("source keys").isGreaterThan(1500);
                CrossVersion.assertSame(source, SyncHarness.targetData(t), 2_000);
                SyncStats st = sync.session.stats();
                assertThat(st.fullSyncs.sum()).as("full syncs").isEqualTo(1);
                assertThat(st.replid).as("resumed by this id: 2.8's run id, PSYNC2's replication id").matches("[0-9a-f]{40}");
                assertThat(st.reconnects.sum()).as("source link reconnections").isPositive();
                // Resumed with PSYNC (v1 from 2.8: by run id; PSYNC2 after), not a new snapshot.
                assertThat(src.log()).containsPattern("Partial resynchronization request.* accepted");
                if (from.atLeast(6, 2) && !to.atLeast(6, 2)) {
                    // SET … PXAT of the load, which 2.8 lacks: SET + PEXPIREAT, in the status.
                    assertThat((Number) sync.session.status().values().get("translated_commands")).as("translated commands")
                            .satisfies(n -> assertThat(n.longValue()).isPositive());
                }
                if (from.atLeast(6, 2) && !to.atLeast(from.major(), 0)) {
                    assertThat(st.snapshotTypedKeys.get()).as("keys rewritten as typed commands for the older target").isPositive();
                }
            }
            FerryCli.Result clean = FerryCli.run("check", "-s", src.uriWithPassword(), "-t", dst.uriWithPassword(), "--rounds", "1");
            assertThat(clean.exit()).as(clean.toString()).isZero();
            t.call("SELECT", "1");
            t.call("SET", "seed:7", "changed on the target");
            Path report = state.resolve("diff.json");
            FerryCli.Result diff = FerryCli.run("check", "-s", src.uriWithPassword(), "-t", dst.uriWithPassword(), "--rounds", "1",
                    "--report", report.toString());
            assertThat(diff.exit()).as(diff.toString()).isEqualTo(1);
            assertThat(Files.readString(report)).contains("\"seed:7\"").contains("\"value\"");
        }
    }
}
