package io.ferry.target;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.resp.RedisConnection;
import io.ferry.resp.Reply;
import io.ferry.testing.Rdbs;
import io.ferry.testing.RedisServerProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Big keys stream through in bounded memory: a 1,000,000-field hash, a 1,000,000-member zset,
 * a 200,000-element list and set, and a 300,000-entry stream with a consumer group are restored by a child JVM with a 32 MiB heap (smaller than the
 * hash's raw payload plus one copy) and {@code --big-key-bytes 1mb}. The target must then hold
 * exactly the generated values: every element is read back with HSCAN/ZSCAN/SSCAN/LRANGE and
 * checked against the formula that generated it. A control run that holds whole values in memory
 * (a huge --big-key-bytes) must run out of that heap, which shows the heap is small enough to
 * catch any buffering of a whole collection.
 */
@Timeout(300)
class RestoreBigKeysIT {
    static final String HEAP = "-Xmx32m";
    static final int HASH = 1_000_000;
    static final int ZSET = 1_000_000;
    static final int LIST = 200_000;
    static final int SET = 200_000;
    static final int STREAM = 300_000;

    static RedisServerProcess source;
    static RedisServerProcess target;
    static Path rdb;
    @TempDir
    static Path dir;
    static long expireAt; // of big:zset on the source

    /** Fills a key server-side in batches of 1000; element j (1-based) is given by the formulas below. */
    static final String FILL = ""
            + "local kind, n = ARGV[1], tonumber(ARGV[2])\n"
            + "for i = 1, n, 1000 do\n"
            + "  local a = {}\n"
            + "  for j = i, math.min(i + 999, n) do\n"
            + "    if kind == 'hash' then a[#a + 1] = 'f' .. j; a[#a + 1] = 'v' .. j\n"
            + "    elseif kind == 'zset' then a[#a + 1] = tostring((j % 7919) * 0.25 - j); a[#a + 1] = 'm' .. j\n"
            + "    elseif kind == 'list' then a[#a + 1] = 'l' .. j .. ':' .. ((j * 2654435761) % 4294967296)\n"
            + "    elseif kind == 'stream' then redis.call('XADD', KEYS[1], j .. '-1', 'n', j, 'payload', string.rep('p', 40) .. j)\n"
            + "    else a[#a + 1] = 's' .. j end\n"
            + "  end\n"
            + "  local cmd = ({hash = 'HSET', zset = 'ZADD', list = 'RPUSH', set = 'SADD'})[kind]\n"
            + "  if #a > 0 then redis.call(cmd, KEYS[1], unpack(a)) end\n"
            + "end\n"
            + "return n\n";

    static String listElement(long j) {
        return "l" + j + ":" + (j * 2654435761L) % 4294967296L;
    }

    static double score(long j) {
        return (j % 7919) * 0.25 - j;
    }

    @BeforeAll
    static void makeRdb() throws Exception {
        long t0 = System.nanoTime();
        source = RedisServerProcess.start();
        target = RedisServerProcess.start();
        try (RedisConnection c = source.connection()) {
            c.call("EVAL", FILL, "1", "big:hash", "hash", Integer.toString(HASH));
            c.call("EVAL", FILL, "1", "big:zset", "zset", Integer.toString(ZSET));
            c.call("EVAL", FILL, "1", "big:list", "list", Integer.toString(LIST));
            c.call("EVAL", FILL, "1", "big:set", "set", Integer.toString(SET));
            c.call("EVAL", FILL, "1", "big:stream", "stream", Integer.toString(STREAM));
            // Ten pending entries for one consumer; the message of one of them is deleted.
            c.call("XGROUP", "CREATE", "big:stream", "workers", "0");
            c.call("XREADGROUP", "GROUP", "workers", "alice", "COUNT", "10", "STREAMS", "big:stream", ">");
            c.call("XDEL", "big:stream", "5-1");
            c.call("PEXPIRE", "big:zset", "3600000");
            for (int i = 0; i < 100; i++) {
                c.call("SET", "small:" + i, "v" + i);
            }
            assertThat(c.call("HLEN", "big:hash").asLong()).isEqualTo(HASH);
            rdb = Rdbs.save(source, dir.resolve("big.rdb"));
            expireAt = c.call("PEXPIRETIME", "big:zset").asLong();
        }
        source.close(); // everything needed is in the RDB and the formulas
        System.err.printf("source filled and saved in %d ms%n", (System.nanoTime() - t0) / 1_000_000);
    }

    @AfterAll
    static void stop() {
        if (source != null) {
            source.close();
        }
        if (target != null) {
            target.close();
        }
    }

    record Child(int exit, String output) {}

    /** Runs {@code ferry restore} in a child JVM with the small heap. */
    static Child restoreInChild(String... extra) throws Exception {
        Path log = Files.createTempFile("ferry-child-", ".log");
        List<String> cmd = new ArrayList<>(List.of(
                Paths.get(System.getProperty("java.home"), "bin", "java").toString(), HEAP, "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"),
                "io.ferry.cli.Main", "restore", rdb.toString(), "--target", target.uri().toString()));
        cmd.addAll(List.of(extra));
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean done = p.waitFor(180, TimeUnit.SECONDS);
        if (!done) {
            p.destroyForcibly().waitFor();
        }
        String out = Files.readString(log);
        Files.deleteIfExists(log);
        System.err.println("$ java " + HEAP + " … " + String.join(" ", cmd.subList(5, cmd.size())) + "\n" + out
                + "(child ran " + (System.nanoTime() - t0) / 1_000_000 + " ms)");
        assertThat(done).as("child finished within 180 s; output:\n%s", out).isTrue();
        return new Child(p.exitValue(), out);
    }

    @Test
    void bigKeysRestoreExactlyInASmallHeap() throws Exception {
        try (RedisConnection t = target.connection()) {
            Rdbs.wipe(t);
        }
        Child r = restoreInChild("--big-key-bytes", "1mb");
        assertThat(r.exit()).as("exit status; output:\n%s", r.output()).isZero();
        assertThat(r.output()).contains("105 keys written").contains("5 big").doesNotContain("OutOfMemoryError")
                .contains("1 stream pending entries refer to deleted messages");
        long t0 = System.nanoTime();
        try (RedisConnection t = target.connection()) {
            assertThat(t.call("DBSIZE").asLong()).isEqualTo(105);
            assertThat(t.call("XLEN", "big:stream").asLong()).isEqualTo(STREAM - 1);
            assertThat(t.call("HLEN", "big:hash").asLong()).isEqualTo(HASH);
            assertThat(t.call("ZCARD", "big:zset").asLong()).isEqualTo(ZSET);
            assertThat(t.call("LLEN", "big:list").asLong()).isEqualTo(LIST);
            assertThat(t.call("SCARD", "big:set").asLong()).isEqualTo(SET);
            assertThat(t.call("PEXPIRETIME", "big:zset").asLong()).isEqualTo(expireAt);
            assertThat(t.call("PTTL", "big:hash").asLong()).isEqualTo(-1);

            // Plain checks per element (an AssertJ assertion per element would dominate the run time).
            List<String> wrong = new ArrayList<>();
            BitSet seen = new BitSet();
            scan(t, "HSCAN", "big:hash", (k, v) -> {
                int j = Integer.parseInt(k.substring(1));
                if (!k.startsWith("f") || !v.equals("v" + j) || seen.get(j)) {
                    wrong.add("hash " + k + "=" + v);
                }
                seen.set(j);
            });
            assertThat(seen.cardinality()).as("distinct hash fields").isEqualTo(HASH);
            assertThat(seen.nextSetBit(0)).isEqualTo(1);

            seen.clear();
            scan(t, "ZSCAN", "big:zset", (m, sc) -> {
                int j = Integer.parseInt(m.substring(1));
                if (!m.startsWith("m") || Double.parseDouble(sc) != score(j) || seen.get(j)) {
                    wrong.add("zset " + m + " score " + sc);
                }
                seen.set(j);
            });
            assertThat(seen.cardinality()).as("distinct zset members").isEqualTo(ZSET);
            assertThat(seen.nextSetBit(0)).isEqualTo(1);

            seen.clear();
            scan(t, "SSCAN", "big:set", (m, unused) -> {
                int j = Integer.parseInt(m.substring(1));
                if (!m.startsWith("s") || seen.get(j)) {
                    wrong.add("set " + m);
                }
                seen.set(j);
            });
            assertThat(seen.cardinality()).as("distinct set members").isEqualTo(SET);
            assertThat(seen.nextSetBit(0)).isEqualTo(1);

            int expected = 1;
            for (int start = 0; start < LIST; start += 10_000) {
                for (Reply e : t.call("LRANGE", "big:list", Integer.toString(start), Integer.toString(start + 9_999)).asList()) {
                    String want = listElement(expected++);
                    if (!e.asString().equals(want)) {
                        wrong.add("list element " + (expected - 2) + " = " + e.asString() + ", expected " + want);
                    }
                }
            }
            assertThat(expected - 1).isEqualTo(LIST);

            long j = 1;
            for (String from = "-"; ; ) {
                List<Reply> page = t.call("XRANGE", "big:stream", from, "+", "COUNT", "10000").asList();
                if (page.isEmpty()) {
                    break;
                }
                for (Reply e : page) {
                    j += j == 5 ? 1 : 0; // deleted
                    String id = e.asList().get(0).asString();
                    List<Reply> f = e.asList().get(1).asList();
                    String want = "[n, " + j + ", payload, " + "p".repeat(40) + j + "]";
                    String got = f.stream().map(Reply::asString).toList().toString();
                    if (!id.equals(j + "-1") || !got.equals(want)) {
                        wrong.add("stream entry " + id + " " + got + ", expected " + j + "-1 " + want);
                    }
                    j++;
                    from = "(" + id;
                }
            }
            assertThat(j - 1).as("last stream entry").isEqualTo(STREAM);
            List<Reply> pending = t.call("XPENDING", "big:stream", "workers", "-", "+", "100").asList();
            assertThat(pending).extracting(p -> p.asList().get(0).asString() + " " + p.asList().get(1).asString())
                    .containsExactly("1-1 alice", "2-1 alice", "3-1 alice", "4-1 alice", "6-1 alice", "7-1 alice", "8-1 alice",
                            "9-1 alice", "10-1 alice");
            assertThat(t.call("XINFO", "STREAM", "big:stream").toString()).contains(STREAM + "-1");
            assertThat(wrong).as("elements that differ from the source").isEmpty();
            assertThat(t.call("KEYS", "*ferry-tmp*").asList()).isEmpty();
        }
        System.err.printf("target verified in %d ms%n", (System.nanoTime() - t0) / 1_000_000);
    }

    /** Walks a whole collection with a SCAN-family command; {@code each} gets (element, score/value or null). */
    static void scan(RedisConnection c, String command, String key, java.util.function.BiConsumer<String, String> each) {
        boolean pairs = !command.equals("SSCAN");
        String cursor = "0";
        do {
            List<Reply> page = c.call(command, key, cursor, "COUNT", "5000").asList();
            cursor = page.get(0).asString();
            List<Reply> items = page.get(1).asList();
            for (int i = 0; i < items.size(); i += pairs ? 2 : 1) {
                each.accept(items.get(i).asString(), pairs ? items.get(i + 1).asString() : null);
            }
        } while (!cursor.equals("0"));
    }

    @Test
    void controlHoldingWholeValuesInMemoryRunsOutOfThatHeap() throws Exception {
        try (RedisConnection t = target.connection()) {
            Rdbs.wipe(t);
        }
        Child r = restoreInChild("--big-key-bytes", "1gb");
        assertThat(r.exit()).as("exit status; output:\n%s", r.output()).isNotZero();
        assertThat(r.output()).contains("OutOfMemoryError");
    }
}
