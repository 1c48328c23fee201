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
                // The first run may have applied every item before it stopped: the content is then
                // there before the second run has resumed. Its resume is what this test is about.
                SyncStats st = second.partitions().get(0).stats();
                long deadline = System.nanoTime() + CONVERGE.toNanos();
                while (st.partialSyncs.sum() + st.fullSyncs.sum() == 0 && second.alive() && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                assertThat(st.fullSyncs.sum()).as("no second full sync").isZero();
                assertThat(st.partialSyncs.sum()).isEqualTo(1);
                second.stop();
            }
            assertThat(master.dbSyncs).hasValue(1);
            assertThat(master.violations).isEmpty();
            assertContent(t, expected, version);
        }
    }

    /** A stop while a 3.5/4.0 dump is being pulled ends the run at once; the next run continues the pull, fetching nothing twice. */
    @ParameterizedTest
    @ValueSource(strings = {"3.5.5"})
    void aStopDuringTheDumpPullIsPromptAndTheNextRunContinuesIt(String version) throws Exception {
        try (FakePikaMaster master = FakePikaMaster.fullSync(version); RedisServerProcess target = RedisServerProcess.start();
                RedisConnection t = target.connection()) {
            master.sets.putAll(PikaDivergences.setsAfterSpop(version));
            Map<String, PikaExpected.Key> expected = expected(version, "first");
            io.ferry.testing.FakeRsyncService rsync = master.rsync();
            rsync.maxChunk = 4000;
            rsync.chunkPauseMs = 200; // a dump that takes minutes to pull
            Path state = tmp.resolve("state");
            PikaRun first = new PikaRun(master.uri(), target.uri(), state, TypeConflictPolicy.FIRST);
            long deadline = System.nanoTime() + CONVERGE.toNanos();
            while (rsync.bytesServed < 8000 && first.alive() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(rsync.bytesServed).as("bytes pulled before the stop").isGreaterThanOrEqualTo(8000);
            long t0 = System.nanoTime();
            first.close();
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("time to stop mid-pull").isLessThan(Duration.ofSeconds(5));
            assertThat(first.failure).isInstanceOf(SyncSession.StopRequested.class).hasMessageContaining("continues the pull");
            long pulledBefore = rsync.bytesServed;
            assertThat(t.call("DBSIZE").asLong()).as("nothing written before the dump is whole").isZero();

            rsync.chunkPauseMs = 0;
            rsync.maxChunk = Integer.MAX_VALUE;
            try (PikaRun second = new PikaRun(master.uri(), target.uri(), state, TypeConflictPolicy.FIRST)) {
                awaitContent(t, expected, version, second);
                second.stop();
            }
            long dump;
            try (java.util.stream.Stream<Path> files = java.nio.file.Files.walk(Fixtures.requirePikaDir(version).resolve("snapshot"))) {
                dump = files.filter(java.nio.file.Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
            }
            assertThat(rsync.bytesServed).as("the dump pulled once in all, across both runs").isEqualTo(dump);
            assertThat(pulledBefore).isLessThan(dump);
            assertThat(master.violations).isEmpty();
        }
    }

    /**
     * Pika → Pika: a master into a target of its version (real Redis data behind that version's
     * recorded surface, its missing commands and, for 4.0.1, its PEXPIREAT bug): Pika's own
     * commands (SET … VX, DELVX, PKPATTERNMATCHDEL) go as they are, nothing the target lacks is sent.
     */
    @ParameterizedTest
    @ValueSource(strings = {"3.5.5", "4.0.1"})
    void pikaIntoPikaEndsWithTheMastersContentWithoutCommandsTheTargetLacks(String version) throws Exception {
        try (FakePikaMaster master = FakePikaMaster.fullSync(version); RedisServerProcess engine = RedisServerProcess.start();
                io.ferry.testing.PikaSurfaceProxy target = new io.ferry.testing.PikaSurfaceProxy(version, engine.port());
                RedisConnection t = engine.connection()) {
            Map<String, PikaExpected.Key> expected = expected(version, "first");
            try (PikaRun run = new PikaRun(master.uri(), target.uri(), tmp.resolve("state"), TypeConflictPolicy.FIRST)) {
                awaitContent(t, expected, version, run);
                run.stop();
            }
            assertThat(master.violations).isEmpty();
            assertThat(target.received()).doesNotContain("RESTORE", "EVAL", "PEXPIREAT", "DUMP");
        }
    }

    /** The checkpoint's binlog is purged and the master can only offer the dump it made before: replaying from there would apply writes twice. */
    @Test
    void aSecondFullSyncFromADumpOlderThanTheTargetIsRefused() throws Exception {
        try (FakePikaMaster master = FakePikaMaster.fullSync("4.0.1"); RedisServerProcess target = RedisServerProcess.start()) {
            Path state = tmp.resolve("state");
            try (PikaRun run = new PikaRun(master.uri(), target.uri(), state, TypeConflictPolicy.FIRST)) {
                awaitItemsSent(master, master.items("db0").size(), run);
                long deadline = System.nanoTime() + CONVERGE.toNanos();
                while (run.partitions().get(0).stats().appliedOffset.get() <= master.dumpPosition("db0") && System.nanoTime() < deadline) {
                    Thread.sleep(10);
                }
                run.stop();
            }
            master.purgedBelow.set(Long.MAX_VALUE); // the checkpoint's binlog file is gone; only the old dump is left
            PikaRun again = new PikaRun(master.uri(), target.uri(), state, TypeConflictPolicy.FIRST);
            assertThat(again.awaitFailure(Duration.ofSeconds(30))).hasMessageContaining("older than what the target already holds")
                    .hasMessageContaining("new --state-dir");
            assertThat(master.dbSyncs).as("the new full sync was asked for, its dump refused").hasValue(2);
        }
    }

    /** Ferry killed with SIGKILL mid-stream (3.3.6 logs INCR, APPEND, LPUSH verbatim) and restarted: nothing lost, nothing doubled. */
    @Test
    void killedMidStreamAndRestartedItLosesAndDoublesNothing() throws Exception {
        try (FakePikaMaster master = FakePikaMaster.fullSync("3.3.6"); RedisServerProcess target = RedisServerProcess.start();
                RedisConnection t = target.connection()) {
            master.sets.putAll(PikaDivergences.setsAfterSpop("3.3.6"));
            master.pushPauseMs = 40;
            Map<String, PikaExpected.Key> expected = expected("3.3.6", "first");
            Path state = tmp.resolve("state");
            Path log = tmp.resolve("ferry.log");
            int items = master.items("db0").size();
            Process ferry = SyncKillIT.startFerry(master.uri(), target.uri().toString(), state, log, io.ferry.testing.FreePorts.pick());
            try {
                long deadline = System.nanoTime() + CONVERGE.toNanos();
                while (master.itemsSent.get() < items / 2 && System.nanoTime() < deadline && ferry.isAlive()) {
                    Thread.sleep(10);
                }
                assertThat(master.itemsSent.get()).as("mid-stream").isBetween(1L, (long) items - 1);
                ferry.destroyForcibly().waitFor();
                master.pushPauseMs = 0;
                ferry = SyncKillIT.startFerry(master.uri(), target.uri().toString(), state, log, io.ferry.testing.FreePorts.pick());
                String diff = null;
                while (System.nanoTime() < deadline && (diff = difference(t, expected, "3.3.6", false)) != null) {
                    assertThat(ferry.isAlive()).as("Ferry runs; log:%n%s", java.nio.file.Files.readString(log)).isTrue();
                    Thread.sleep(100);
                }
                assertThat(diff).as("log:%n%s", java.nio.file.Files.readString(log)).isNull();
            } finally {
                ferry.destroy();
                ferry.waitFor();
            }
            assertThat(master.dbSyncs).as("one full sync").hasValue(1);
            assertThat(master.violations).isEmpty();
            assertThat(java.nio.file.Files.readString(log)).as("what the master needs, said at start").contains("keeps only 10 binlog files")
                    .contains("config set expire-logs-nums 10000");
        }
    }

    /** A master that goes silent (no keepalive for 20 s) is taken for a dead link: reconnect, continue exactly. */
    @Test
    void aSilentMasterIsReconnected() throws Exception {
        try (FakePikaMaster master = FakePikaMaster.fullSync("4.0.1"); RedisServerProcess target = RedisServerProcess.start();
                RedisConnection t = target.connection()) {
            Map<String, PikaExpected.Key> expected = expected("4.0.1", "first");
            master.silenceAfterItems.set(master.items("db0").size() / 2);
            try (PikaRun run = new PikaRun(master.uri(), target.uri(), tmp.resolve("state"), TypeConflictPolicy.FIRST)) {
                awaitContent(t, expected, "4.0.1", run);
                assertThat(run.partitions().get(0).stats().reconnects.sum()).isEqualTo(1);
                run.stop();
            }
            assertThat(master.replConnections.get()).as("the plan's MetaSync, the first link, the one after the silence").isEqualTo(3);
            assertThat(master.violations).isEmpty();
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

    @ParameterizedTest
    @ValueSource(strings = {"3.5.5", "4.0.1"})
    void everyDbOfAMultiDbMasterIsItsOwnPartition(String version) throws Exception {
        try (FakePikaMaster master = FakePikaMaster.multiDb(version, 3); RedisServerProcess target = RedisServerProcess.start();
                RedisConnection t = target.connection()) {
            Map<String, PikaExpected.Key> dump = PikaExpected.read(Fixtures.requirePikaDir(version).resolve("snapshot.expected.json"), "first", false);
            try (PikaRun run = new PikaRun(master.uri(), target.uri(), tmp.resolve("state"), TypeConflictPolicy.FIRST)) {
                assertThat(run.run.partitions()).containsExactly("db0", "db1", "db2");
                long deadline = System.nanoTime() + CONVERGE.toNanos();
                while (!allDbsHaveTheirWrites(t) && System.nanoTime() < deadline) {
                    assertThat(run.alive()).as("the sync runs").isTrue();
                    Thread.sleep(100);
                }
                run.stop();
            }
            assertThat(master.violations).isEmpty();
            assertThat(master.dbSyncs).hasValue(3);
            Dataset d = SyncHarness.targetData(t);
            for (int db = 0; db < 3; db++) {
                Map<String, Dataset.KeyData> keys = d.dbs.get(db);
                assertThat(keys.get("md:k:db" + db).value()).isEqualTo("v" + db);
                assertThat(keys.get("md:h").value()).isEqualTo(Map.of("db", String.valueOf(db)));
                assertThat(keys.keySet()).as("db %d: its dump and its own writes only", db).containsAll(dump.keySet())
                        .doesNotContain("md:k:db" + ((db + 1) % 3));
            }
            assertThat(new java.io.File(tmp.resolve("state").resolve("shards").toString()).list()).containsExactlyInAnyOrder("db0", "db1", "db2");
        }
    }

    @Test
    void aFlushAllOnTheMasterEmptiesEveryDbItWasLoggedIn() throws Exception {
        try (FakePikaMaster master = FakePikaMaster.multiDb("4.0.1", Long.MAX_VALUE); RedisServerProcess target = RedisServerProcess.start();
                RedisConnection t = target.connection()) {
            try (PikaRun run = new PikaRun(master.uri(), target.uri(), tmp.resolve("state"), TypeConflictPolicy.FIRST)) {
                awaitItemsSent(master, master.items("db0").size() * 3L, run);
                long deadline = System.nanoTime() + CONVERGE.toNanos();
                while (userKeys(t) > 0 && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
                run.stop();
            }
            assertThat(SyncHarness.targetData(t).dbs).as("every db flushed, as on the master").isEmpty();
        }
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({"3.3.6,first", "3.3.6,suffix", "3.3.6,skip", "3.5.5,first", "3.5.5,suffix", "3.5.5,skip"})
    void namesOfSeveralTypesFollowThePolicy(String version, String policy) throws Exception {
        try (FakePikaMaster master = FakePikaMaster.fullSync(version); RedisServerProcess target = RedisServerProcess.start();
                RedisConnection t = target.connection()) {
            master.sets.putAll(PikaDivergences.setsAfterSpop(version));
            Path dir = Fixtures.requirePikaDir(version);
            List<String> multi = PikaExpected.multiTypeNames(dir.resolve("snapshot.expected.json"));
            assertThat(multi).contains("dup:all", "dup:sh");
            Map<String, PikaExpected.Key> expected = expected(version, policy);
            try (PikaRun run = new PikaRun(master.uri(), target.uri(), tmp.resolve("state"), TypeConflictPolicy.parse(policy))) {
                awaitContent(t, expected, version, run, true);
                Partition p = run.partitions().get(0);
                assertThat(p.status().fields().stream().filter(f -> f.name().equals("pika_type_conflicts")).findFirst().orElseThrow().value())
                        .as("conflicts counted").isNotEqualTo(0L);
                run.stop();
            }
            Dataset d = SyncHarness.targetData(t);
            Map<String, Dataset.KeyData> keys = d.dbs.get(0);
            switch (policy) {
                case "first" -> assertThat(keys.get("dup:all").type()).isEqualTo("string");
                case "suffix" -> assertThat(keys).containsKeys("dup:all", "dup:all:hash", "dup:all:list", "dup:all:zset", "dup:all:set");
                default -> assertThat(keys).doesNotContainKeys("dup:all", "dup:sh");
            }
        }
    }

    @Test
    void aMasterThatRefusesThePasswordStopsWithOneLineBeforeWriting() throws Exception {
        try (FakePikaMaster master = FakePikaMaster.fullSync("4.0.1"); RedisServerProcess target = RedisServerProcess.start();
                RedisConnection t = target.connection()) {
            master.requirePass("s3cret");
            String uri = "pika://:wrong@127.0.0.1:" + master.port();
            Throwable f = org.assertj.core.api.Assertions.catchThrowable(() -> new PikaRun(uri, target.uri(), tmp.resolve("state"), TypeConflictPolicy.FIRST));
            assertThat(f).isNotNull();
            assertThat(f.getMessage()).doesNotContain("wrong").containsIgnoringCase("password");
            assertThat(t.call("DBSIZE").asLong()).isZero();
            try (PikaRun ok = new PikaRun("pika://:s3cret@127.0.0.1:" + master.port(), target.uri(), tmp.resolve("state"), TypeConflictPolicy.FIRST)) {
                awaitItemsSent(master, 1, ok); // the right password is accepted by both ports
            }
        }
    }

    @Test
    void aRedisServerGivenAsPikaIsRefused() throws Exception {
        try (RedisServerProcess notPika = RedisServerProcess.start(); RedisServerProcess target = RedisServerProcess.start()) {
            Throwable f = org.assertj.core.api.Assertions.catchThrowable(
                    () -> new PikaRun("pika://127.0.0.1:" + notPika.port(), target.uri(), tmp.resolve("state"), TypeConflictPolicy.FIRST));
            assertThat(f).hasMessageContaining("is not a Pika server");
        }
    }

    @Test
    void aDbTheTargetLacksIsRefusedBeforeAnyDbIsWritten() throws Exception {
        try (FakePikaMaster master = FakePikaMaster.multiDb("4.0.1", 3); RedisServerProcess target = RedisServerProcess.start("databases 2");
                RedisConnection t = target.connection()) {
            Throwable f = org.assertj.core.api.Assertions.catchThrowable(() -> new PikaRun(master.uri(), target.uri(), tmp.resolve("state"), TypeConflictPolicy.FIRST));
            assertThat(f).hasMessageContaining("db2");
            assertThat(t.call("DBSIZE").asLong()).isZero();
            t.call("SELECT", "1");
            assertThat(t.call("DBSIZE").asLong()).isZero();
            assertThat(master.dbSyncs).hasValue(0);
        }
    }

    @Test
    void aStateDirOfAnotherMasterIsRefused() throws Exception {
        try (FakePikaMaster a = FakePikaMaster.fullSync("4.0.1"); FakePikaMaster b = FakePikaMaster.fullSync("4.0.1");
                RedisServerProcess target = RedisServerProcess.start()) {
            Path state = tmp.resolve("state");
            try (PikaRun run = new PikaRun(a.uri(), target.uri(), state, TypeConflictPolicy.FIRST)) {
                awaitItemsSent(a, a.items("db0").size(), run);
                run.stop();
            }
            PikaRun other = new PikaRun(b.uri(), target.uri(), state, TypeConflictPolicy.FIRST);
            assertThat(other.awaitFailure(Duration.ofSeconds(30))).hasMessageContaining("belongs to another migration");
            assertThat(b.dbSyncs).hasValue(0);
        }
    }

    /** Keys other than Ferry's own in dbs 0–2 (read while the stream runs: a key may go between SCAN and GET, so no values). */
    private static long userKeys(RedisConnection t) {
        long n = 0;
        for (int db = 0; db < 3; db++) {
            t.call("SELECT", String.valueOf(db));
            for (io.ferry.resp.Reply k : t.call("KEYS", "*").asList()) {
                n += k.asString().startsWith(io.ferry.target.StreamApplier.CHECKPOINT_KEY) ? 0 : 1;
            }
        }
        t.call("SELECT", "0");
        return n;
    }

    private static boolean allDbsHaveTheirWrites(RedisConnection t) {
        Dataset d = SyncHarness.targetData(t);
        for (int db = 0; db < 3; db++) {
            Map<String, Dataset.KeyData> keys = d.dbs.get(db);
            if (keys == null || keys.get("md:h") == null || keys.get("md:k:db" + db) == null) {
                return false;
            }
        }
        return true;
    }

    /** What the target should hold: the recording's final content, minus what no replica can reproduce (PikaDivergences). */
    static Map<String, PikaExpected.Key> expected(String version, String policy) throws Exception {
        Path dir = Fixtures.requirePikaDir(version);
        Map<String, PikaExpected.Key> e = new TreeMap<>(PikaExpected.read(dir.resolve("replication.final.expected.json"), policy, false));
        if (version.equals("3.3.6")) {
            e.putAll(PikaExpected.read(dir.resolve("snapshot.expected.json"), policy, false)); // its stream ran on another master, after this dump (FakePikaMaster)
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
        awaitContent(t, expected, version, run, false);
    }

    /** {@code suffixTtls}: the recordings give a multi-type name the TTL of its first type only, so renamed types' TTLs are not compared. */
    private static void awaitContent(RedisConnection t, Map<String, PikaExpected.Key> expected, String version, PikaRun run, boolean suffixTtls)
            throws Exception {
        long deadline = System.nanoTime() + CONVERGE.toNanos();
        String diff = null;
        while (System.nanoTime() < deadline) {
            if (!run.alive()) {
                throw new AssertionError("the sync stopped", run.failure);
            }
            diff = difference(t, expected, version, suffixTtls);
            if (diff == null) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the target did not converge: " + diff, run.failure);
    }

    static void assertContent(RedisConnection t, Map<String, PikaExpected.Key> expected, String version) throws IOException {
        assertThat(difference(t, expected, version, false)).isNull();
    }

    /** The first difference between the target (streams and Ferry's keys aside) and {@code expected}; null when none. */
    static String difference(RedisConnection t, Map<String, PikaExpected.Key> expected, String version, boolean suffixTtls) throws IOException {
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
            if (suffixTtls && e.getKey().matches(".*:(hash|list|zset|set|stream)$")) {
                continue;
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
