package io.ferry.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.resp.RedisConnection;
import io.ferry.source.pika.snapshot.TypeConflictPolicy;
import io.ferry.testing.Dataset;
import io.ferry.testing.FakePikaMaster;
import io.ferry.testing.Fixtures;
import io.ferry.testing.PikaExpected;
import io.ferry.testing.RedisServerProcess;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * `ferry sync` from a Pika master into a real redis-server, end to end, for the three recorded
 * generations: the fake master replays a real master's full sync (3.3.6: the dump pushed by rsync;
 * 3.5.5 and 4.0.1: pulled over the RsyncService) and its binlog items, byte for byte, and checks
 * every ack as the real master does. The target must end with what the master held.
 */
class SyncPikaIT {
    private static final Duration CONVERGE = Duration.ofSeconds(60);

    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"3.3.6", "3.5.5", "4.0.1"})
    void fullSyncThenTheBinlogEndsWithWhatTheMasterHeld(String version) throws Exception {
        try (FakePikaMaster master = FakePikaMaster.fullSync(version); RedisServerProcess target = RedisServerProcess.start();
                RedisConnection t = target.connection()) {
            master.sets.putAll(PikaDivergences.setsAfterSpop(version));
            Map<String, PikaExpected.Key> expected = expected(version, "first");
            try (PikaRun run = new PikaRun(master.uri(), target.uri(), tmp.resolve("state"), TypeConflictPolicy.FIRST)) {
                awaitContent(t, expected, version, run);
                run.stop();
            }
            assertThat(master.violations).isEmpty();
            assertThat(master.dbSyncs).hasValue(1);
            assertThat(master.removeSlaves).hasValue(1);
            assertContent(t, expected, version);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"3.3.6", "3.5.5", "4.0.1"})
    void aCutLinkAndARestartLoseAndDoubleNothing(String version) throws Exception {
        try (FakePikaMaster master = FakePikaMaster.fullSync(version); RedisServerProcess target = RedisServerProcess.start();
                RedisConnection t = target.connection()) {
            master.sets.putAll(PikaDivergences.setsAfterSpop(version));
            Map<String, PikaExpected.Key> expected = expected(version, "first");
            int items = master.items("db0").size();
            master.cutAfterItems.set(items / 3); // mid-stream: INCR, APPEND, LPUSH … must neither repeat nor go missing
            Path state = tmp.resolve("state");
            PikaRun first = new PikaRun(master.uri(), target.uri(), state, TypeConflictPolicy.FIRST);
            awaitItemsSent(master, items * 2 / 3, first);
            first.stop(); // a restart in the middle of the stream
            assertThat(master.replConnections.get()).as("reconnected after the cut").isGreaterThanOrEqualTo(2);
            try (PikaRun second = new PikaRun(master.uri(), target.uri(), state, TypeConflictPolicy.FIRST)) {
                awaitContent(t, expected, version, second);
                assertThat(second.partitions().get(0).stats().fullSyncs.sum()).as("no second full sync").isZero();
                assertThat(second.partitions().get(0).stats().partialSyncs.sum()).isEqualTo(1);
                second.stop();
            }
            assertThat(master.dbSyncs).hasValue(1);
            assertThat(master.violations).isEmpty();
            assertContent(t, expected, version);
        }
    }

    @Test
    void aPurgedCheckpointWithNoSecondFullSyncStopsWithOneLine() throws Exception {
        try (FakePikaMaster master = FakePikaMaster.fullSync("4.0.1"); RedisServerProcess target = RedisServerProcess.start()) {
            Path state = tmp.resolve("state");
            try (PikaRun run = new PikaRun(master.uri(), target.uri(), state, TypeConflictPolicy.FIRST)) {
                awaitItemsSent(master, master.items("db0").size(), run);
                run.stop();
            }
            master.purgedBelow.set(Long.MAX_VALUE);
            PikaRun again = new PikaRun(master.uri(), target.uri(), state, TypeConflictPolicy.FIRST, io.ferry.filter.KeyFilter.ALL,
                    io.ferry.filter.DbMap.IDENTITY, true);
            Throwable f = again.awaitFailure(Duration.ofSeconds(30));
            assertThat(f).hasMessageContaining("purged").hasMessageContaining("--no-second-full-sync");
            assertThat(master.dbSyncs).hasValue(1);
        }
    }

    /** What the target should hold: the recording's final content, minus what no replica can reproduce (PikaDivergences). */
    static Map<String, PikaExpected.Key> expected(String version, String policy) throws Exception {
        Path dir = Fixtures.requirePikaDir(version);
        Map<String, PikaExpected.Key> e = new TreeMap<>(PikaExpected.read(dir.resolve("replication.final.expected.json"), policy));
        if (version.equals("3.3.6")) {
            e.putAll(PikaExpected.read(dir.resolve("snapshot.expected.json"), policy)); // its stream ran on another master, after this dump (FakePikaMaster)
        }
        PikaDivergences.apply(version, e);
        return e;
    }

    private static void awaitItemsSent(FakePikaMaster master, long n, PikaRun run) throws InterruptedException {
        long deadline = System.nanoTime() + CONVERGE.toNanos();
        while (master.itemsSent.get() < n) {
            if (!run.alive() || System.nanoTime() > deadline) {
                throw new AssertionError("the master sent " + master.itemsSent.get() + " of " + n + " items", run.failure);
            }
            Thread.sleep(20);
        }
    }

    private static void awaitContent(RedisConnection t, Map<String, PikaExpected.Key> expected, String version, PikaRun run) throws Exception {
        long deadline = System.nanoTime() + CONVERGE.toNanos();
        String diff = null;
        while (System.nanoTime() < deadline) {
            if (!run.alive()) {
                throw new AssertionError("the sync stopped", run.failure);
            }
            diff = difference(t, expected, version);
            if (diff == null) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the target did not converge: " + diff, run.failure);
    }

    static void assertContent(RedisConnection t, Map<String, PikaExpected.Key> expected, String version) throws IOException {
        assertThat(difference(t, expected, version)).isNull();
    }

    /** The first difference between the target (streams and Ferry's keys aside) and {@code expected}; null when none. */
    static String difference(RedisConnection t, Map<String, PikaExpected.Key> expected, String version) throws IOException {
        Dataset d = SyncHarness.targetData(t);
        Map<String, Dataset.KeyData> got = new HashMap<>(d.dbs.getOrDefault(0, Map.of()));
        got.values().removeIf(k -> k.type().equals("stream"));
        PikaDivergences.dropFromTarget(version, got);
        Set<String> missing = new java.util.TreeSet<>(expected.keySet());
        missing.removeAll(got.keySet());
        Set<String> extra = new java.util.TreeSet<>(got.keySet());
        extra.removeAll(expected.keySet());
        extra.removeIf(k -> {
            Long at = got.get(k).expireAtMs();
            return at != null && at < System.currentTimeMillis() + 60_000; // expiring right now: the expectation left it out
        });
        if (!missing.isEmpty() || !extra.isEmpty()) {
            return "missing " + printable(missing) + ", unexpected " + printable(extra);
        }
        for (var e : expected.entrySet()) {
            Dataset.KeyData k = got.get(e.getKey());
            if (!k.type().equals(e.getValue().type()) || !k.value().equals(e.getValue().value())) {
                return e.getKey() + ": " + k.type() + " " + abbreviate(k.value()) + " instead of " + e.getValue().type() + " " + abbreviate(e.getValue().value());
            }
            Long ttl = e.getValue().ttlSeconds();
            Long at = k.expireAtMs();
            if (ttl == null ? at != null : at == null || Math.abs(at / 1000 - ttl) > 2) {
                return e.getKey() + ": expires at " + at + " instead of " + ttl + " s";
            }
        }
        return null;
    }

    private static String printable(Set<String> keys) {
        List<String> l = keys.stream().limit(10).map(k -> io.ferry.rdb.RdbReader.printable(k.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1))).toList();
        return l + (keys.size() > 10 ? " (" + keys.size() + ")" : "");
    }

    private static String abbreviate(Object v) {
        String s = String.valueOf(v);
        return s.length() > 120 ? s.substring(0, 120) + "…" : s;
    }
}
