package io.ferry.sink.file;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.resp.RedisConnection;
import io.ferry.testing.Dataset;
import io.ferry.testing.FerryCli;
import io.ferry.testing.FileTargets;
import io.ferry.testing.RandomDataset;
import io.ferry.testing.Rdbs;
import io.ferry.testing.RedisServerProcess;
import io.ferry.testing.ServerDataset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ferry restore … --target file:PATH} against real servers: a random keyspace (every type
 * and encoding, streams with groups, TTLs, dbs 0, 1, 3, 15, a function library) plus big values
 * (spilled to disk with a small --big-key-bytes) is saved by redis-server; Ferry's .rdb and .aof
 * of it are then loaded by NEW servers at start-up, which must hold exactly the source's data.
 */
@Timeout(300)
class FileTargetIT {
    static final int[] DBS = {0, 1, 3, 15};
    static final long SEED = Long.getLong("ferry.seed", System.nanoTime());

    @TempDir
    static Path dir;
    static Path source;
    static Dataset expected;

    @BeforeAll
    static void makeSource() throws Exception {
        try (RedisServerProcess s = RedisServerProcess.start(); RedisConnection c = s.connection()) {
            RandomDataset.fill(c, SEED, DBS, 150);
            FileTargets.fillBigValues(c, 30_000, 3 * 1024);
            expected = ServerDataset.read(c, 15);
            source = Rdbs.save(s, dir.resolve("source.rdb"));
        }
        assertThat(expected.keyCount()).isGreaterThan(500);
    }

    @AfterAll
    static void report() {
        System.err.println("FileTargetIT seed " + SEED + " (-Dferry.seed to replay)");
    }

    private static FerryCli.Result restore(Path out, String... extra) {
        String[] args = new String[3 + extra.length + 1];
        args[0] = "restore";
        args[1] = source.toString();
        args[2] = "--target=file:" + out;
        System.arraycopy(extra, 0, args, 3, extra.length);
        args[args.length - 1] = "--big-key-bytes=256kb"; // the big values spill to disk
        FerryCli.Result r = FerryCli.run(args);
        assertThat(r.exit()).as("seed %d\n%s", SEED, r).isZero();
        assertThat(r.summary()).contains(String.format("%,d keys written", expected.keyCount()));
        assertThat(Files.exists(Path.of(out + ".tmp"))).as("no temp file left").isFalse();
        return r;
    }

    @Test
    void rdbLoadsIntoANewServerWithExactlyTheSourceData() throws Exception {
        Path out = dir.resolve("ferry.rdb");
        restore(out);
        byte[] head = Arrays.copyOf(Files.readAllBytes(out), 9);
        assertThat(new String(head, java.nio.charset.StandardCharsets.ISO_8859_1)).isEqualTo("REDIS0010"); // what 7.0 writes
        FileTargets.assertSameKeyspace(FileTargets.loadRdb(out), expected, "a server loading Ferry's RDB (seed " + SEED + ")");
        // re-read by Ferry itself: the same records as the source file, eviction hints included
        assertThat(FileTargets.decode(out, dir)).isEqualTo(FileTargets.decode(source, dir));
    }

    @Test
    void ferrysOwnRdbRestoresIntoAServer() throws Exception {
        Path out = dir.resolve("again.rdb");
        restore(out);
        try (RedisServerProcess t = RedisServerProcess.start(); RedisConnection c = t.connection()) {
            FerryCli.Result r = FerryCli.run("restore", out.toString(), "--target", t.uri().toString());
            assertThat(r.exit()).as("%s", r).isZero();
            FileTargets.assertSameKeyspace(ServerDataset.read(c, 15), expected, "a restore of Ferry's RDB (seed " + SEED + ")");
        }
    }

    @Test
    void aofLoadsIntoANewServerWithExactlyTheSourceData() throws Exception {
        Path out = dir.resolve("ferry.aof");
        restore(out, "--batch-elements=500");
        String text = Files.readString(out, java.nio.charset.StandardCharsets.ISO_8859_1);
        assertThat(text).startsWith("*").contains("PEXPIREAT").doesNotContain("PXAT").doesNotContain("PING");
        FileTargets.assertSameKeyspace(FileTargets.loadAof(out, dir), expected, "a server loading Ferry's AOF (seed " + SEED + ")");
    }

    @Test
    void aofIsAcceptedByRedisCliPipe() throws Exception {
        Path out = dir.resolve("pipe.aof");
        restore(out);
        try (RedisServerProcess t = RedisServerProcess.start(); RedisConnection c = t.connection()) {
            Process p = new ProcessBuilder("redis-cli", "-p", Integer.toString(t.port()), "--pipe")
                    .redirectInput(out.toFile()).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes());
            assertThat(p.waitFor()).as(output).isZero();
            assertThat(output).contains("errors: 0");
            FileTargets.assertSameKeyspace(ServerDataset.read(c, 15), expected, "redis-cli --pipe of Ferry's AOF (seed " + SEED + ")");
        }
    }

    @Test
    void jsonLinesEqualFerryDecode() throws Exception {
        Path out = dir.resolve("ferry.jsonl");
        Path decoded = dir.resolve("decoded.jsonl");
        restore(out);
        assertThat(FerryCli.run("decode", source.toString(), "-o", decoded.toString()).exit()).isZero();
        assertThat(Files.readAllLines(out)).isEqualTo(Files.readAllLines(decoded));
    }

    @Test
    void filtersAndDbMappingApplyAsForAServer() throws Exception {
        Path out = dir.resolve("filtered.aof");
        FerryCli.Result r = FerryCli.run("restore", source.toString(), "--target=file:" + out, "--db=1", "--type=hash,list", "--target-db=5");
        assertThat(r.exit()).as("%s", r).isZero();
        Dataset want = new Dataset();
        want.functions.addAll(expected.functions);
        expected.dbs.get(1).forEach((k, v) -> {
            if (v.type().equals("hash") || v.type().equals("list")) {
                want.put(5, k, v);
            }
        });
        assertThat(want.keyCount()).isPositive();
        FileTargets.assertSameKeyspace(FileTargets.loadAof(out, dir), want, "a filtered AOF");
    }

    @Test
    void anExistingOutputIsRefusedUnlessReplace() throws Exception {
        Path out = dir.resolve("existing.rdb");
        Files.writeString(out, "keep me");
        FerryCli.Result r = FerryCli.run("restore", source.toString(), "--target=file:" + out);
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.errorLines()).hasSize(1);
        assertThat(r.errorLines().get(0)).contains(out.toString()).contains("exists");
        assertThat(r.hasStackTrace()).isFalse();
        assertThat(Files.readString(out)).isEqualTo("keep me");

        restore(out, "--on-conflict=replace");
        assertThat(FileTargets.decode(out, dir).keyCount()).isEqualTo(expected.keyCount());
    }

    @Test
    void aTruncatedInputLeavesNoFileBehind() throws Exception {
        byte[] whole = Files.readAllBytes(source);
        Path cut = dir.resolve("cut.rdb");
        Files.write(cut, Arrays.copyOf(whole, whole.length / 2));
        Path out = dir.resolve("from-cut.rdb");
        FerryCli.Result r = FerryCli.run("restore", source.toString(), cut.toString(), "--target=file:" + out, "--on-conflict=replace");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.errorLines()).as("%s", r).singleElement().asString().contains("truncated");
        assertThat(r.hasStackTrace()).isFalse();
        assertThat(Files.exists(out)).isFalse();
        assertThat(Files.exists(Path.of(out + ".tmp"))).isFalse();
    }

    @Test
    void anUnknownExtensionIsOneErrorLine() {
        FerryCli.Result r = FerryCli.run("restore", source.toString(), "--target=file:" + dir.resolve("out.txt"));
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.errorLines()).singleElement().asString().contains(".rdb, .aof or .jsonl");
        assertThat(r.hasStackTrace()).isFalse();
    }

    /** Two inputs sharing key {@code k} (and a function library): the conflict policy decides. */
    @Test
    void aKeyInSeveralInputsFollowsTheConflictPolicy() throws Exception {
        Path a = dir.resolve("a.rdb");
        Path b = dir.resolve("b.rdb");
        Path plain = dir.resolve("plain.rdb");
        try (RedisServerProcess s = RedisServerProcess.start(); RedisConnection c = s.connection()) {
            c.call("SET", "k", "from-a");
            c.call("SET", "only-a", "1");
            c.call("FUNCTION", "LOAD", "#!lua name=shared\nredis.register_function('fa', function() return 1 end)");
            Rdbs.save(s, a);
            Rdbs.wipe(c);
            c.call("RPUSH", "k", "from-b");
            c.call("SET", "only-b", "2");
            c.call("FUNCTION", "LOAD", "#!lua name=shared\nredis.register_function('fb', function() return 2 end)");
            Rdbs.save(s, b);
            Rdbs.wipe(c);
            c.call("SET", "k", "plain");
            c.call("SELECT", "1");
            c.call("SET", "k", "plain-db1");
            c.call("SELECT", "0");
            Rdbs.save(s, plain);
        }
        Path out = dir.resolve("merged.rdb");
        FerryCli.Result fail = FerryCli.run("restore", a.toString(), b.toString(), "--target=file:" + out);
        assertThat(fail.exit()).isEqualTo(1);
        assertThat(fail.errorLines()).singleElement().asString().contains("'shared'");
        assertThat(fail.hasStackTrace()).isFalse();
        assertThat(Files.exists(out)).isFalse();
        assertThat(Files.exists(Path.of(out + ".tmp"))).isFalse();

        assertThat(FerryCli.run("restore", a.toString(), b.toString(), "--target=file:" + out, "--on-conflict=skip").exit()).isZero();
        Map<String, Dataset.KeyData> skip = FileTargets.loadRdb(out).dbs.get(0);
        assertThat(skip.keySet()).containsExactlyInAnyOrder("k", "only-a", "only-b");
        assertThat(skip.get("k").value()).isEqualTo("from-a");

        assertThat(FerryCli.run("restore", a.toString(), b.toString(), "--target=file:" + out, "--on-conflict=replace").exit()).isZero();
        Dataset replaced = FileTargets.loadRdb(out);
        assertThat(replaced.dbs.get(0).keySet()).containsExactlyInAnyOrder("k", "only-a", "only-b");
        assertThat(replaced.dbs.get(0).get("k").value()).isEqualTo(java.util.List.of("from-b"));
        assertThat(replaced.functions).singleElement().asString().contains("fb");

        // the same file twice: the error line names the key
        FerryCli.Result keyFail = FerryCli.run("restore", plain.toString(), plain.toString(), "--target=file:" + dir.resolve("k.jsonl"));
        assertThat(keyFail.exit()).isEqualTo(1);
        assertThat(keyFail.errorLines()).singleElement().asString().contains("key 'k' in db 0");
        // one file whose dbs are merged: db 1's copy comes second
        FerryCli.Result merged = FerryCli.run("restore", plain.toString(), "--target=file:" + dir.resolve("m.jsonl"), "--target-db=0");
        assertThat(merged.exit()).isEqualTo(1);
        assertThat(merged.errorLines()).singleElement().asString().contains("key 'k' in db 0");
        Path last = dir.resolve("last.rdb");
        assertThat(FerryCli.run("restore", plain.toString(), "--target=file:" + last, "--target-db=0", "--on-conflict=replace").exit()).isZero();
        assertThat(FileTargets.loadRdb(last).dbs).isEqualTo(Map.of(0, Map.of("k", new Dataset.KeyData("string", null, "plain-db1", Map.of(), null, null))));
    }
}
