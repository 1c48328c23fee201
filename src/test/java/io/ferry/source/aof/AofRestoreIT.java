package io.ferry.source.aof;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.resp.RedisConnection;
import io.ferry.testing.Dataset;
import io.ferry.testing.FerryCli;
import io.ferry.testing.Rdbs;
import io.ferry.testing.RedisServerProcess;
import io.ferry.testing.ServerDataset;
import io.ferry.testing.WriteLoad;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ferry restore} of the AOFs a real Redis 7 writes (plain, RDB preamble after a rewrite,
 * with timestamps), as a directory, a manifest and a single file, into an empty server: the
 * target must then hold exactly what the source holds.
 */
@Timeout(180)
class AofRestoreIT {
    static final String[] AOF = {"appendonly yes", "appendfsync always", "appenddirname aofdir"};
    static RedisServerProcess target;
    @TempDir
    Path tmp;

    @BeforeAll
    static void startTarget() {
        target = RedisServerProcess.start();
    }

    @AfterAll
    static void stopTarget() {
        target.close();
    }

    @BeforeEach
    void emptyTarget() {
        try (RedisConnection c = target.connection()) {
            Rdbs.wipe(c);
        }
    }

    @Test
    void plainAofAsDirectoryAndAsSingleFile() throws Exception {
        try (RedisServerProcess source = start("aof-use-rdb-preamble no")) {
            load(source, 1, 3000, null);
            Dataset expected = read(source);
            Path dir = source.dir().resolve("aofdir");
            assertThat(Files.readString(dir.resolve("appendonly.aof.manifest"))).contains("appendonly.aof.1.base.aof");
            assertRestored(expected, dir.toString());

            // A server that started empty has an empty base: its one incremental file holds everything.
            emptyTarget();
            assertRestored(expected, dir.resolve("appendonly.aof.1.incr.aof").toString());

            // The commands go through the same filters and db mapping as a sync's stream.
            emptyTarget();
            FerryCli.Result r = restore(dir.toString(), "--key", "early:*", "--db-map", "0=7");
            assertThat(r.exit()).as(r.toString()).isEqualTo(0);
            Dataset early = new Dataset();
            expected.dbs.get(0).forEach((k, v) -> {
                if (k.startsWith("early:")) {
                    early.put(7, k, v);
                }
            });
            assertThat(early.keyCount()).isEqualTo(2);
            assertSame(early, read(target));

            emptyTarget();
            r = restore(dir.toString(), "--until", Long.toString(System.currentTimeMillis()));
            assertThat(r.exit()).as(r.toString()).isEqualTo(0);
            assertThat(r.lines()).filteredOn(l -> l.contains("WARNING: --until had no effect")).hasSize(1);
            assertSame(expected, read(target));
        }
    }

    @Test
    void preambleBaseAfterARewriteThenIncrementals() throws Exception {
        try (RedisServerProcess source = start("aof-use-rdb-preamble yes")) {
            long beforeRewrite = System.currentTimeMillis() - 2000;
            load(source, 2, 4000, () -> rewrite(source));
            Dataset expected = read(source);
            Path dir = source.dir().resolve("aofdir");
            Path manifest = dir.resolve("appendonly.aof.manifest");
            String m = Files.readString(manifest);
            assertThat(m).contains("appendonly.aof.2.base.rdb seq 2 type b", "appendonly.aof.2.incr.aof seq 2 type i");
            assertThat(Files.size(dir.resolve("appendonly.aof.2.incr.aof"))).as("commands after the rewrite").isGreaterThan(1000);
            assertRestored(expected, manifest.toString());

            // The base RDB is the state at the rewrite: nothing earlier can be restored from it.
            emptyTarget();
            FerryCli.Result early = restore(manifest.toString(), "--until", Long.toString(beforeRewrite));
            assertThat(early.exit()).isEqualTo(1);
            assertThat(early.errorLines()).as(early.toString()).hasSize(1);
            assertThat(early.errorLines().get(0)).contains("--until " + beforeRewrite + " is before ", "appendonly.aof.2.base.rdb was written");
            try (RedisConnection c = target.connection()) {
                assertThat(c.call("DBSIZE").asLong()).as("nothing applied").isZero();
            }

            // What Redis before 7.0 writes: one file, the RDB preamble followed by the commands.
            Path single = tmp.resolve("appendonly.aof");
            try (OutputStream out = Files.newOutputStream(single)) {
                Files.copy(dir.resolve("appendonly.aof.2.base.rdb"), out);
                Files.copy(dir.resolve("appendonly.aof.2.incr.aof"), out);
            }
            emptyTarget();
            assertRestored(expected, single.toString());
        }
    }

    @Test
    void multiPartWithTimestampsAndUntil() throws Exception {
        try (RedisServerProcess source = start("aof-timestamp-enabled yes", "aof-use-rdb-preamble no")) {
            long beforeRewrite = System.currentTimeMillis() - 2000;
            load(source, 3, 2000, () -> rewrite(source));
            long until = System.currentTimeMillis();
            Dataset before = read(source);
            // The next second, and enough into it for the server's cached clock to have moved.
            long next = (until / 1000 + 1) * 1000 + 300;
            while (System.currentTimeMillis() < next) {
                Thread.sleep(10);
            }
            try (RedisConnection c = source.connection()) {
                c.call("SET", "later", "x");
                c.call("DEL", "early:string");
                c.call("SELECT", "4");
                c.call("RPUSH", "later:list", "a", "b");
            }
            Dataset all = read(source);
            assertThat(all).isNotEqualTo(before);
            Path dir = source.dir().resolve("aofdir");
            assertThat(Files.readString(dir.resolve("appendonly.aof.2.base.aof"))).as("the rewrite's time").startsWith("#TS:");
            long lastTs = java.util.regex.Pattern.compile("#TS:(\\d+)").matcher(Files.readString(dir.resolve("appendonly.aof.2.incr.aof")))
                    .results().mapToLong(m -> Long.parseLong(m.group(1))).max().orElse(-1);
            assertThat(lastTs * 1000).as("an annotation after --until").isGreaterThan(until);

            FerryCli.Result r = restore(dir.toString(), "--until", Long.toString(until));
            assertThat(r.exit()).as(r.toString()).isEqualTo(0);
            assertThat(r.lines()).as(r.toString()).anyMatch(l -> l.contains("AOF replay:") && l.contains("stopped at --until " + until)
                    && l.contains("before the annotation #TS:"));
            assertSame(before, read(target));

            emptyTarget();
            assertRestored(all, dir.toString());

            emptyTarget();
            r = restore(dir.toString(), "--until", Long.toString(beforeRewrite));
            assertThat(r.exit()).isEqualTo(1);
            assertThat(r.errorLines()).as(r.toString()).hasSize(1);
            assertThat(r.errorLines().get(0)).contains("--until " + beforeRewrite + " is before the AOF's base appendonly.aof.2.base.aof");
            assertThat(r.hasStackTrace()).isFalse();
        }
    }

    /** {@code check --source} an AOF (directory, manifest, single preamble file): replayed by a scratch redis-server, never written. */
    @Test
    void checkComparesWhatTheAofLeadsToWithTheTarget() throws Exception {
        try (RedisServerProcess source = start("aof-use-rdb-preamble yes")) {
            load(source, 5, 3000, () -> rewrite(source));
            Path dir = source.dir().resolve("aofdir");
            try (RedisConnection c = source.connection()) {
                c.call("CONFIG", "SET", "appendonly", "no"); // the files stay as they are from here on
            }
            Path copy = tmp.resolve("aofcopy");
            Files.createDirectories(copy);
            try (var files = Files.list(dir)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    Files.copy(f, copy.resolve(f.getFileName()));
                }
            }
            assertRestored(read(source), copy.toString());
            java.util.Map<String, Long> sizes = new java.util.TreeMap<>();
            try (var files = Files.list(copy)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    sizes.put(f.getFileName().toString(), Files.size(f));
                }
            }
            for (String arg : new String[] {copy.toString(), copy.resolve("appendonly.aof.manifest").toString()}) {
                FerryCli.Result same = check(arg);
                assertThat(same.exit()).as(same.toString()).isZero();
                assertThat(same.out()).as(same.toString()).contains("result: no differences");
            }
            try (RedisConnection c = target.connection()) {
                c.call("SET", "early:string", "changed on the target");
            }
            FerryCli.Result differ = check(copy.toString());
            assertThat(differ.exit()).as(differ.toString()).isEqualTo(1);
            assertThat(differ.out()).as(differ.toString()).contains("result: 1 keys differ");
            try (var files = Files.list(copy)) {
                java.util.Map<String, Long> after = new java.util.TreeMap<>();
                for (Path f : (Iterable<Path>) files::iterator) {
                    after.put(f.getFileName().toString(), Files.size(f));
                }
                assertThat(after).as("the AOF files a check read").isEqualTo(sizes);
            }

            Path bad = tmp.resolve("bad.aof");
            Files.writeString(bad, "*1\r\n$4\r\nPING\r\nnot resp\r\n");
            FerryCli.Result refused = check(bad.toString());
            assertThat(refused.exit()).isEqualTo(1);
            assertThat(refused.errorLines()).as(refused.toString()).hasSize(1);
            assertThat(refused.errorLines().get(0)).contains("redis-server could not load " + bad);
        }
    }

    private static FerryCli.Result check(String source) {
        return FerryCli.run("check", "--source", source, "--target", target.uriWithPassword(), "--rounds", "1");
    }

    @Test
    void truncatedLastCommandFailsUnlessAllowed() throws Exception {
        try (RedisServerProcess source = start("aof-use-rdb-preamble no")) {
            load(source, 4, 1000, null);
            Dataset expected = read(source);
            try (RedisConnection c = source.connection()) {
                c.call("SET", "the:last:key", "a value long enough to cut in half");
            }
            Path file = tmp.resolve("cut.aof");
            Files.copy(source.dir().resolve("aofdir").resolve("appendonly.aof.1.incr.aof"), file);
            long[] last = lastCommand(file);
            try (var ch = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.WRITE)) {
                ch.truncate((last[0] + last[1]) / 2);
            }

            FerryCli.Result r = restore(file.toString());
            assertThat(r.exit()).as(r.toString()).isEqualTo(1);
            assertThat(r.errorLines()).as(r.toString()).hasSize(1);
            assertThat(r.errorLines().get(0)).contains(file.toString(), "byte offset " + last[0], "--allow-truncated");
            assertThat(r.hasStackTrace()).as(r.toString()).isFalse();
            try (RedisConnection c = target.connection()) {
                assertThat(c.call("DBSIZE").asLong()).as("nothing applied").isZero();
            }

            r = restore(file.toString(), "--allow-truncated");
            assertThat(r.exit()).as(r.toString()).isEqualTo(0);
            assertThat(r.lines()).as(r.toString()).filteredOn(l -> l.contains("WARNING") && l.contains("truncated")).hasSize(1);
            assertSame(expected, read(target));
        }
    }

    @Test
    void corruptFileAndMixedInputsAreOneLineErrors() throws Exception {
        Path bad = tmp.resolve("bad.aof");
        Files.writeString(bad, "*1\r\n$4\r\nPING\r\nnot resp\r\n");
        FerryCli.Result r = restore(bad.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.errorLines()).as(r.toString()).containsExactly(
                "ferry restore: error: " + bad + ": corrupt AOF at byte offset 14: expected a command (a RESP array, '*'), found byte 0x6e: not an AOF, or corrupt");
        assertThat(r.hasStackTrace()).isFalse();

        // Neither RDB nor AOF, and not named .aof: the RDB reader's answer, as before AOF sources.
        Path junk = tmp.resolve("junk.bin");
        Files.writeString(junk, "hello, this is not a dump");
        r = restore(junk.toString());
        assertThat(r.errorLines()).as(r.toString()).containsExactly(
                "ferry restore: error: not an RDB file: it does not start with REDIS or VALKEY (at byte offset 0)");

        Path rdb = tmp.resolve("dump.rdb");
        Files.write(rdb, "REDIS0011".getBytes());
        r = restore(bad.toString(), rdb.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.errorLines()).as(r.toString()).containsExactly(
                "ferry restore: error: " + bad + " is an AOF: restore it on its own, not together with other files");
        assertThat(r.hasStackTrace()).isFalse();
    }

    @SuppressWarnings("unchecked")
    private static Dataset withoutEntriesRead(Dataset d) {
        Dataset out = new Dataset();
        d.dbs.forEach((db, keys) -> keys.forEach((k, v) -> {
            Object value = v.value();
            if (v.type().equals("stream")) {
                var s = new java.util.LinkedHashMap<>((java.util.Map<String, Object>) value);
                var groups = new java.util.ArrayList<Object>();
                for (Object g : (java.util.List<Object>) s.get("groups")) {
                    var gm = new java.util.LinkedHashMap<>((java.util.Map<String, Object>) g);
                    gm.put("entries_read", null);
                    groups.add(gm);
                }
                s.put("groups", groups);
                value = s;
            }
            out.put(db, k, new Dataset.KeyData(v.type(), v.expireAtMs(), value, v.fieldTtls(), v.lfu(), v.idle()));
        }));
        out.functions.addAll(d.functions);
        return out;
    }

    @Test
    void aRejectedCommandStopsTheRunOrIsSkipped() throws Exception {
        Path aof = tmp.resolve("rejected.aof");
        Files.writeString(aof, "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n*2\r\n$4\r\nINCR\r\n$1\r\nk\r\n"
                + "*3\r\n$3\r\nSET\r\n$5\r\nafter\r\n$1\r\n1\r\n");
        FerryCli.Result r = restore(aof.toString());
        assertThat(r.exit()).as(r.toString()).isEqualTo(1);
        assertThat(r.errorLines()).as(r.toString()).hasSize(1);
        assertThat(r.errorLines().get(0)).contains("the target rejected INCR: ERR");
        assertThat(r.hasStackTrace()).isFalse();

        emptyTarget();
        r = restore(aof.toString(), "--on-error", "skip");
        assertThat(r.exit()).as(r.toString()).isEqualTo(0);
        assertThat(r.lines()).anyMatch(l -> l.contains("AOF replay:") && l.contains("1 rejected and skipped"));
        try (RedisConnection c = target.connection()) {
            assertThat(c.call("GET", "k").asString()).isEqualTo("v");
            assertThat(c.call("GET", "after").asString()).isEqualTo("1");
        }
    }

    private static RedisServerProcess start(String... extra) {
        String[] conf = java.util.Arrays.copyOf(AOF, AOF.length + extra.length);
        System.arraycopy(extra, 0, conf, AOF.length, extra.length);
        return RedisServerProcess.start(conf);
    }

    /** Restores {@code args} into the target and asserts it then holds exactly {@code expected}. */
    private void assertRestored(Dataset expected, String... args) {
        FerryCli.Result r = restore(args);
        assertThat(r.exit()).as(r.toString()).isEqualTo(0);
        assertThat(r.lines()).as(r.toString()).anyMatch(l -> l.contains("AOF replay:"));
        assertSame(expected, read(target));
    }

    /**
     * Equal datasets; on a difference, names the keys that differ rather than printing both whole.
     * A consumer group's entries_read is not compared: the AOF does not hold it (Redis writes
     * XREADGROUP as XCLAIM … LASTID, which leaves it unknown, as a Redis loading the AOF has it too).
     */
    private static void assertSame(Dataset expectedWhole, Dataset actualWhole) {
        Dataset expected = withoutEntriesRead(expectedWhole);
        Dataset actual = withoutEntriesRead(actualWhole);
        java.util.List<String> diffs = new java.util.ArrayList<>();
        java.util.Set<Integer> dbs = new java.util.TreeSet<>(expected.dbs.keySet());
        dbs.addAll(actual.dbs.keySet());
        for (int db : dbs) {
            var e = expected.dbs.getOrDefault(db, java.util.Map.of());
            var a = actual.dbs.getOrDefault(db, java.util.Map.of());
            java.util.Set<String> keys = new java.util.TreeSet<>(e.keySet());
            keys.addAll(a.keySet());
            for (String k : keys) {
                if (!java.util.Objects.equals(e.get(k), a.get(k))) {
                    diffs.add("db " + db + " " + k + ": expected " + e.get(k) + ", got " + a.get(k));
                }
            }
        }
        assertThat(diffs).as("keys that differ").isEmpty();
        assertThat(actual).isEqualTo(expected);
    }

    private static FerryCli.Result restore(String... args) {
        String[] argv = new String[args.length + 3];
        argv[0] = "restore";
        System.arraycopy(args, 0, argv, 1, args.length);
        argv[args.length + 1] = "--target";
        argv[args.length + 2] = target.uriWithPassword();
        return FerryCli.run(argv);
    }

    /**
     * A mixed load: WriteLoad's random commands (every type, TTLs, MULTI/EXEC, EVAL, DEL, MSET,
     * FLUSHDB, dbs 0, 2, 3), plus a stream with a consumer group and a few fixed keys; {@code halfway}
     * runs in the middle of it.
     */
    private static void load(RedisServerProcess s, long seed, int ops, Runnable halfway) throws Exception {
        try (RedisConnection c = s.connection()) {
            c.call("SET", "early:string", "v");
            c.call("SET", "early:ttl", "v", "PX", "3600000");
            c.call("XADD", "grp:stream", "1-1", "a", "1");
            c.call("XADD", "grp:stream", "2-1", "b", "2");
            c.call("XGROUP", "CREATE", "grp:stream", "g1", "0");
            c.call("XREADGROUP", "GROUP", "g1", "alice", "COUNT", "1", "STREAMS", "grp:stream", ">");
            c.call("SELECT", "5");
            c.call("HSET", "db5:hash", "f", "v");
            c.call("EVAL", "redis.call('set', KEYS[1], ARGV[1]); return redis.call('sadd', KEYS[2], ARGV[1])", "2", "db5:a", "db5:b", "x");
        }
        try (WriteLoad w = WriteLoad.start(s.uri(), seed, ops)) {
            if (halfway != null) {
                while (w.ops() < ops / 2) {
                    Thread.sleep(5);
                }
                halfway.run();
            }
            w.awaitDone();
        }
        try (RedisConnection c = s.connection()) {
            c.call("SELECT", "5");
            c.call("DEL", "db5:hash");
            c.call("SWAPDB", "5", "6");
        }
    }

    /** BGREWRITEAOF, waiting until the new base and incremental file are in the manifest. */
    private static void rewrite(RedisServerProcess s) {
        try (RedisConnection c = s.connection()) {
            assertThat(c.call("BGREWRITEAOF").isError()).isFalse();
            long deadline = System.currentTimeMillis() + 30_000;
            while (!c.infoField("persistence", "aof_rewrite_in_progress").equals("0")
                    || !c.infoField("persistence", "aof_rewrite_scheduled").equals("0")) {
                assertThat(System.currentTimeMillis()).as("rewrite finished").isLessThan(deadline);
                Thread.sleep(20);
            }
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    private static Dataset read(RedisServerProcess s) {
        try (RedisConnection c = s.connection()) {
            return ServerDataset.read(c, 15);
        }
    }

    /** Start and end offsets of the last command in an AOF file. */
    private static long[] lastCommand(Path file) throws IOException {
        long[] last = null;
        try (var in = Files.newInputStream(file)) {
            AofCommandReader r = new AofCommandReader(in, file.toString(), 0, Files.size(file), false);
            for (AofCommandReader.Entry e = r.next(); e != null; e = r.next()) {
                if (e instanceof AofCommandReader.Command c) {
                    last = new long[] {c.start(), c.end()};
                }
            }
        }
        assertThat(last).isNotNull();
        return last;
    }
}
