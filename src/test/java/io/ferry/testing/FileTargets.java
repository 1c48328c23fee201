package io.ferry.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.resp.RedisConnection;
import io.ferry.resp.Reply;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Loads files Ferry wrote into fresh real servers, and compares keyspaces key by key. */
public final class FileTargets {
    private FileTargets() {}

    /** Big values of every collection type and a multi-megabyte string, in db 2 (with a TTL on the list). */
    public static void fillBigValues(RedisConnection c, int elements, int stringKib) {
        String script = ""
                + "for i = 1, tonumber(ARGV[1]) do\n"
                + "  redis.call('RPUSH', KEYS[1], 'item-' .. i)\n"
                + "  redis.call('SADD', KEYS[2], 'member-' .. i)\n"
                + "  redis.call('ZADD', KEYS[3], i * 0.5, 'z' .. i)\n"
                + "  redis.call('HSET', KEYS[4], 'field-' .. i, string.rep('v', i % 50))\n"
                + "  if i % 5 == 0 then redis.call('XADD', KEYS[5], '*', 'n', i) end\n"
                + "end\n"
                + "redis.call('SET', KEYS[6], string.rep(string.rep('0123456789abcdef', 64), tonumber(ARGV[2])))\n"
                + "redis.call('PEXPIRE', KEYS[1], 3600000)\n"
                + "return 1\n";
        ok(c.call("SELECT", "2"));
        ok(c.call("EVAL", script, "6", "big:list", "big:set", "big:zset", "big:hash", "big:stream", "big:string",
                Integer.toString(elements), Integer.toString(stringKib)));
        ok(c.call("SELECT", "0"));
    }

    private static void ok(Reply r) {
        if (r.isError()) {
            throw new IllegalStateException("command failed: " + r);
        }
    }

    /** What a new redis-server holds after loading {@code rdb} at start-up. */
    public static Dataset loadRdb(Path rdb) {
        try (RedisServerProcess s = RedisServerProcess.start("dir " + rdb.toAbsolutePath().getParent(), "dbfilename " + rdb.getFileName());
                RedisConnection c = s.connection()) {
            assertThat(s.log()).contains("Done loading RDB");
            return ServerDataset.read(c, 15);
        }
    }

    /**
     * What a new redis-server holds after loading {@code aof} as its append-only file: Redis 7
     * takes an old-style single AOF named by appendfilename when no appenddirname directory
     * exists yet (it migrates it into one).
     */
    public static Dataset loadAof(Path aof, Path scratch) throws IOException {
        Path dir = Files.createTempDirectory(scratch, "aof-");
        Files.copy(aof, dir.resolve("ferry.aof"));
        try (RedisServerProcess s = RedisServerProcess.start("dir " + dir, "appendonly yes", "appendfilename ferry.aof");
                RedisConnection c = s.connection()) {
            assertThat(s.log()).contains("Successfully migrated an old-style AOF file");
            return ServerDataset.read(c, 15);
        }
    }

    /** Asserts {@code actual} holds exactly {@code expected}, reporting the first differing db or key. */
    public static void assertSameKeyspace(Dataset actual, Dataset expected, String what) {
        assertThat(actual.functions).as("functions of %s", what).isEqualTo(expected.functions);
        assertThat(actual.dbs.keySet()).as("dbs of %s", what).isEqualTo(expected.dbs.keySet());
        for (Map.Entry<Integer, Map<String, Dataset.KeyData>> db : expected.dbs.entrySet()) {
            Map<String, Dataset.KeyData> got = actual.dbs.get(db.getKey());
            assertThat(got.keySet()).as("keys of db %d of %s", db.getKey(), what).isEqualTo(db.getValue().keySet());
            db.getValue().forEach((k, v) -> assertThat(got.get(k)).as("db %d key %s of %s", db.getKey(), k, what).isEqualTo(v));
        }
        assertThat(actual).isEqualTo(expected);
    }

    /** {@code ferry decode} of an RDB, as a dataset. */
    public static Dataset decode(Path rdb, Path scratch) throws IOException {
        Path out = Files.createTempFile(scratch, "decode-", ".jsonl");
        FerryCli.Result r = FerryCli.run("decode", rdb.toString(), "-o", out.toString());
        assertThat(r.exit()).as("decode %s\n%s", rdb, r).isZero();
        return Dataset.fromDecodeOutput(out);
    }
}
