package io.ferry.target;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ferry.resp.RedisConnection;
import io.ferry.testing.FerryCli;
import io.ferry.testing.NutcrackerProcess;
import io.ferry.testing.RedisServerProcess;
import io.ferry.testing.TwemproxyPool;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ferry restore} of an RDB into a real nutcracker pool (3 backends), read back through the
 * proxy; {@code ferry check} against the pool; and the one-line refusals of pools Ferry cannot
 * write as nutcracker would.
 */
@Timeout(180)
class TwemproxyRestoreIT {
    @BeforeAll
    static void nutcracker() {
        assumeTrue(NutcrackerProcess.available(), "nutcracker is not installed (apt-get install nutcracker)");
    }

    /** Strings (some binary), lists, hashes, sets, zsets, TTLs, tagged keys and a big list. */
    static void seed(RedisConnection c) {
        for (int i = 0; i < 1500; i++) {
            c.call("SET", "k:" + i, "v" + i);
        }
        for (int i = 0; i < 100; i++) {
            c.call("RPUSH", "l:" + i, "a", "b", "c" + i);
            c.call("HSET", "h:" + i, "f1", "v1", "f2", "v" + i);
            c.call("SADD", "s:" + i, "x", "y", "m" + i);
            c.call("ZADD", "z:" + i, "1", "a", "2.5", "b" + i);
            c.call("SET", "{user" + i % 7 + "}:t" + i, "tagged", "PX", "3600000");
            c.call("EXPIRE", "l:" + i, "7200");
            c.call(new byte[][] {b("SET"), new byte[] {(byte) 0xff, (byte) 0x80, 'x', (byte) i}, b("binary")});
        }
        for (int i = 0; i < 5000; i++) {
            c.call("RPUSH", "big:list", "element-" + i);
        }
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static Path rdbOf(RedisServerProcess src) {
        try (RedisConnection c = src.connection()) {
            c.call("SAVE");
        }
        return src.dir().resolve("dump.rdb");
    }

    @Test
    void restoreKetamaFnv1a64WithHashTagThenCheckAgrees(@TempDir Path dir) {
        try (RedisServerProcess src = RedisServerProcess.start(); RedisConnection s = src.connection();
                TwemproxyPool pool = new TwemproxyPool(dir, true, "hash: fnv1a_64", "distribution: ketama", "hash_tag: \"{}\"")) {
            seed(s);
            FerryCli.Result r = FerryCli.run("restore", rdbOf(src).toString(), "--target", pool.spec(), "--big-key-bytes", "10kb");
            assertThat(r.exit()).as(r.toString()).isZero();
            pool.assertSameThroughProxy(s);

            FerryCli.Result check = FerryCli.run("check", "-s", src.uriWithPassword(), "-t", pool.spec(), "--rounds", "1");
            assertThat(check.exit()).as(check.toString()).isZero();
            assertThat(check.out()).contains("result: no differences");

            // A key on a backend nutcracker would not look on (written around the proxy) is a difference.
            int home = homeOf(pool, "k:1");
            try (RedisConnection wrong = pool.backends.get((home + 1) % 3).connection()) {
                wrong.call("SET", "k:1", "v1");
            }
            try (RedisConnection right = pool.backends.get(home).connection()) {
                right.call("DEL", "k:1");
            }
            FerryCli.Result off = FerryCli.run("check", "-s", src.uriWithPassword(), "-t", pool.spec(), "--rounds", "1");
            assertThat(off.exit()).as(off.toString()).isEqualTo(1);
            assertThat(off.out()).contains("1 keys differ (1 missing)");
        }
    }

    private static int homeOf(TwemproxyPool pool, String key) {
        for (int i = 0; i < 3; i++) {
            try (RedisConnection c = pool.backends.get(i).connection()) {
                if (c.call("EXISTS", key).asLong() == 1) {
                    return i;
                }
            }
        }
        throw new AssertionError(key + " is on no backend");
    }

    @Test
    void restoreModulaMurmurThenCheckAgrees(@TempDir Path dir) {
        try (RedisServerProcess src = RedisServerProcess.start(); RedisConnection s = src.connection();
                TwemproxyPool pool = new TwemproxyPool(dir, false, "hash: murmur", "distribution: modula")) {
            seed(s);
            FerryCli.Result r = FerryCli.run("restore", rdbOf(src).toString(), "--target", pool.spec(), "--lanes", "5");
            assertThat(r.exit()).as(r.toString()).isZero();
            pool.assertSameThroughProxy(s);
            FerryCli.Result check = FerryCli.run("check", "-s", src.uriWithPassword(), "-t", pool.spec(), "--rounds", "1");
            assertThat(check.exit()).as(check.toString()).isZero();
        }
    }

    /** Backends behind a password (redis_auth): written with it, read back through nutcracker, no password in the output. */
    @Test
    void restoreIntoAPoolWithAuth(@TempDir Path dir) {
        String pw = "pool-s3cret";
        try (RedisServerProcess src = RedisServerProcess.start(); RedisConnection s = src.connection();
                TwemproxyPool pool = TwemproxyPool.withAuth(dir, true, pw, "hash: jenkins", "distribution: ketama")) {
            seed(s);
            FerryCli.Result r = FerryCli.run("restore", rdbOf(src).toString(), "--target", pool.spec());
            assertThat(r.exit()).as(r.toString()).isZero();
            assertThat(r.out() + r.err()).doesNotContain(pw);
            pool.assertSameThroughProxy(s);
        }
    }

    /** A pool db (redis_db: 2): Ferry's only db is db 2 on every backend, where nutcracker reads. */
    @Test
    void restoreIntoAPoolWithADb(@TempDir Path dir) {
        try (RedisServerProcess src = RedisServerProcess.start(); RedisConnection s = src.connection();
                TwemproxyPool pool = new TwemproxyPool(dir, false, "hash: one_at_a_time", "distribution: modula", "redis_db: 2")) {
            seed(s);
            FerryCli.Result r = FerryCli.run("restore", rdbOf(src).toString(), "--target", pool.spec());
            assertThat(r.exit()).as(r.toString()).isZero();
            assertThat(pool.backendKeys(0)).as("nothing in the backends' db 0").isEmpty();
            pool.assertSameThroughProxy(s, 2);
        }
    }

    /** ferry gen writes each key onto the backend nutcracker will look on. */
    @Test
    void genIntoAPool(@TempDir Path dir) {
        try (TwemproxyPool pool = new TwemproxyPool(dir, false, "hash: hsieh", "distribution: modula")) {
            FerryCli.Result r = FerryCli.run("gen", "--target", pool.spec(), "--keys", "2000");
            assertThat(r.exit()).as(r.toString()).isZero();
            io.ferry.route.twemproxy.Pool p = io.ferry.route.twemproxy.PoolReader.read(pool.proxy.conf(), "pool");
            int keys = 0;
            for (RedisServerProcess b : pool.backends) {
                try (RedisConnection c = b.connection()) {
                    for (var k : c.call("KEYS", "*").asList()) {
                        assertThat(p.servers().get(p.serverOf(k.asBytes())).port()).as("backend of %s", k).isEqualTo(b.port());
                        keys++;
                    }
                }
            }
            assertThat(keys).isEqualTo(2000);
            try (RedisConnection viaProxy = pool.proxy.connection()) {
                for (String k : pool.backendKeys()) {
                    assertThat(viaProxy.call(new byte[][] {b("EXISTS"), k.getBytes(StandardCharsets.ISO_8859_1)}).asLong()).as(k).isEqualTo(1);
                }
            }
        }
    }

    /**
     * An AOF (Redis 7 multi-part: its commands go through the stream applier): blocks across
     * backends, multi-key commands within a tag, FLUSHDB on every backend; afterwards no backend
     * keeps a checkpoint key.
     */
    @Test
    void restoreAnAofIntoAPool(@TempDir Path dir) {
        try (RedisServerProcess src = RedisServerProcess.start("appendonly yes", "appendfsync always", "appenddirname aofdir");
                RedisConnection s = src.connection();
                TwemproxyPool pool = new TwemproxyPool(dir, true, "hash: md5", "distribution: ketama", "hash_tag: \"{}\"")) {
            s.call("SET", "gone", "x");
            s.call("FLUSHDB");
            for (int i = 0; i < 300; i++) {
                s.call("SET", "a:" + i, "v" + i);
                s.call("INCR", "ctr:" + i % 7);
                if (i % 20 == 0) {
                    s.call("MULTI");
                    s.call("RPUSH", "tx:l" + i, "x");
                    s.call("INCR", "tx:n");
                    s.call("SET", "tx:s" + i, "y");
                    s.call("EXEC");
                    s.call("DEL", "a:" + i, "a:" + (i + 1));
                    s.call("MSET", "m:" + i, "1", "m:" + (i + 1), "2");
                    s.call("SET", "{t" + i + "}:from", "z");
                    s.call("RENAME", "{t" + i + "}:from", "{t" + i + "}:to");
                }
            }
            FerryCli.Result r = FerryCli.run("restore", src.dir().resolve("aofdir").toString(), "--target", pool.spec());
            assertThat(r.exit()).as(r.toString()).isZero();
            pool.assertSameThroughProxy(s);
            for (RedisServerProcess b : pool.backends) {
                try (RedisConnection c = b.connection()) {
                    assertThat(c.call("KEYS", "__ferry_checkpoint:*").asList()).as("checkpoint keys left on %d", b.port()).isEmpty();
                }
            }
        }
    }

    @Test
    void aMultiDbSourceIsRefusedUnlessMappedToOneDb(@TempDir Path dir) {
        try (RedisServerProcess src = RedisServerProcess.start(); RedisConnection s = src.connection();
                TwemproxyPool pool = new TwemproxyPool(dir, false, "hash: crc32a", "distribution: modula")) {
            s.call("SET", "in-db0", "a");
            s.call("SELECT", "1");
            s.call("SET", "in-db1", "b");
            Path rdb = rdbOf(src);
            FerryCli.Result refused = FerryCli.run("restore", rdb.toString(), "--target", pool.spec());
            assertThat(refused.exit()).isEqualTo(1);
            assertThat(refused.errorLines()).hasSize(1);
            assertThat(refused.errorLines().get(0)).contains("db 1").contains("one db").contains("--target-db");
            assertThat(refused.hasStackTrace()).isFalse();
            assertThat(pool.backendKeys()).as("nothing written before the refusal").isEmpty();

            FerryCli.Result mapped = FerryCli.run("restore", rdb.toString(), "--target", pool.spec(), "--target-db", "0");
            assertThat(mapped.exit()).as(mapped.toString()).isZero();
            assertThat(pool.backendKeys()).containsExactly("in-db0", "in-db1");
        }
    }

    @Test
    void poolsFerryCannotWriteAsNutcrackerAreRefusedInOneLine(@TempDir Path dir) throws Exception {
        try (RedisServerProcess src = RedisServerProcess.start(); RedisConnection s = src.connection()) {
            s.call("SET", "a", "1");
            Path rdb = rdbOf(src);
            String server = "    - 127.0.0.1:" + src.port() + ":1";
            Path conf = dir.resolve("pools.yml");
            Files.write(conf, List.of(
                    "rnd:", "  listen: 127.0.0.1:1", "  redis: true", "  distribution: random", "  servers:", server,
                    "mc:", "  listen: 127.0.0.1:2", "  servers:", server,
                    "odd:", "  listen: 127.0.0.1:3", "  redis: true", "  hash: sha1", "  servers:", server));
            refused(rdb, "twemproxy:" + conf + ":rnd", "distribution 'random'");
            refused(rdb, "twemproxy:" + conf + ":mc", "memcached pool");
            refused(rdb, "twemproxy:" + conf + ":odd", "unknown hash 'sha1'");
            refused(rdb, "twemproxy:" + conf + ":nope", "no pool 'nope'");
            refused(rdb, "twemproxy:" + dir.resolve("missing.yml") + ":pool", "no such file");
            try (RedisConnection c = src.connection()) {
                assertThat(c.call("DBSIZE").asLong()).isEqualTo(1);
            }
        }
    }

    private static void refused(Path rdb, String target, String why) {
        FerryCli.Result r = FerryCli.run("restore", rdb.toString(), "--target", target);
        assertThat(r.exit()).as(r.toString()).isEqualTo(1);
        assertThat(r.errorLines()).as(r.toString()).hasSize(1);
        assertThat(r.errorLines().get(0)).contains(why);
        assertThat(r.hasStackTrace()).isFalse();
    }
}
