package io.ferry.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ferry.convert.ConflictPolicy;
import io.ferry.filter.KeyFilter;
import io.ferry.resp.RedisConnection;
import io.ferry.route.twemproxy.Pool;
import io.ferry.route.twemproxy.PoolReader;
import io.ferry.target.OnError;
import io.ferry.testing.FerryCli;
import io.ferry.testing.NutcrackerProcess;
import io.ferry.testing.RedisServerProcess;
import io.ferry.testing.TwemproxyPool;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ferry sync} from a standalone source into a real nutcracker pool of 3 backends: the
 * snapshot, live writes (single keys, DEL/MSET split per key, MULTI blocks on one backend and
 * across backends, scripts, RENAME within a tag, FLUSHDB on every backend), a clean stop, writes
 * while stopped, a restart that resumes without a new full sync; then every key read back through
 * nutcracker equals the source's, and {@code ferry check} agrees.
 */
@Timeout(240)
class SyncTwemproxyIT {
    private static final String[] SOURCE_CONF = {"repl-diskless-sync-delay 0", "repl-backlog-size 64mb"};

    @BeforeAll
    static void nutcracker() {
        assumeTrue(NutcrackerProcess.available(), "nutcracker is not installed (apt-get install nutcracker)");
    }

    @Test
    void ketamaFnv1a64WithHashTag(@TempDir Path dir) throws Exception {
        syncStopResume(dir, true, "hash: fnv1a_64", "distribution: ketama", "hash_tag: \"{}\"");
    }

    @Test
    void modulaMurmur(@TempDir Path dir) throws Exception {
        syncStopResume(dir, false, "hash: murmur", "distribution: modula");
    }

    private void syncStopResume(Path dir, boolean tagged, String... settings) throws Exception {
        try (RedisServerProcess src = RedisServerProcess.start(SOURCE_CONF); RedisConnection s = src.connection();
                TwemproxyPool pool = new TwemproxyPool(dir.resolve("pool"), tagged, settings)) {
            for (int i = 0; i < 1000; i++) {
                s.call("SET", "seed:" + i, "v" + i);
            }
            s.call("SET", "doomed", "x");
            TargetSpec target = new TargetSpec.Twemproxy(PoolReader.read(pool.proxy.conf(), "pool"));
            Path state = dir.resolve("state");
            try (SyncHarness sync = new SyncHarness(src.uri(), target, state)) {
                sync.awaitZeroLag(s, Duration.ofSeconds(60));
                s.call("FLUSHDB"); // a barrier on every backend
                live(s, 0, tagged);
                sync.awaitZeroLag(s, Duration.ofSeconds(60));
                assertThat(sync.session.stats().fullSyncs.sum()).isEqualTo(1);
            }
            live(s, 1, tagged); // while Ferry is stopped
            try (SyncHarness sync = new SyncHarness(src.uri(), target, state)) {
                live(s, 2, tagged);
                sync.awaitZeroLag(s, Duration.ofSeconds(60));
                assertThat(sync.session.stats().fullSyncs.sum()).as("the restart resumed the stream").isZero();
                pool.assertSameThroughProxy(s);
            }
            FerryCli.Result check = FerryCli.run("check", "-s", src.uriWithPassword(), "-t", pool.spec(), "--rounds", "1");
            assertThat(check.exit()).as(check.toString()).isZero();
        }
    }

    /** Writes of every kind the target routes differently; {@code tagged}: the pool has hash_tag {}. */
    private static void live(RedisConnection s, int round, boolean tagged) {
        String r = "r" + round + ":";
        for (int i = 0; i < 300; i++) {
            s.call("SET", r + "s:" + i, "v" + i);
            s.call("INCR", r + "ctr:" + i % 10);
            s.call("RPUSH", r + "l:" + i % 20, "e" + i);
            s.call("HSET", r + "h:" + i % 20, "f" + i, "v");
            s.call("SADD", r + "set:" + i % 20, "m" + i);
            s.call("ZADD", r + "z:" + i % 20, Integer.toString(i), "m" + i);
            if (i % 10 == 0) {
                s.call("SET", r + "ttl:" + i, "x", "PX", "3600000");
                s.call("PEXPIREAT", r + "h:" + i % 20, Long.toString(System.currentTimeMillis() + 7_200_000));
                s.call("DEL", r + "s:" + i, r + "s:" + (i + 1), r + "s:" + (i + 2)); // split per key, each to its backend
                s.call("MSET", r + "m:" + i, "a", r + "m:" + (i + 1), "b", r + "m:" + (i + 2), "c");
                s.call("LPOP", r + "l:" + i % 20);
            }
            if (i % 25 == 0) {
                // A block across backends is split per backend, in order.
                s.call("MULTI");
                s.call("INCR", r + "tx:a");
                s.call("RPUSH", r + "tx:b", "t" + i);
                s.call("SET", r + "tx:c", "tx" + i);
                s.call("EXEC");
                s.call("EVAL", "return redis.call('incr', KEYS[1])", "1", r + "eval:" + i % 3);
                if (tagged) {
                    String t = "{" + r + "g" + i % 4 + "}";
                    s.call("MULTI");
                    s.call("INCR", t + ":a");
                    s.call("RPUSH", t + ":b", "x" + i);
                    s.call("EXEC");
                    s.call("EVAL", "redis.call('incr', KEYS[1]); return redis.call('rpush', KEYS[2], ARGV[1])", "2", t + ":c", t + ":d", "y");
                    s.call("SET", t + ":from", "moved" + i);
                    s.call("RENAME", t + ":from", t + ":to");
                    s.call("SMOVE", r + "set:0", r + "set:0", "m0"); // same key twice: one backend
                }
            }
        }
    }

    /** The pool has one db: a source with keys in db 1 is refused before anything is written, unless mapped to db 0. */
    @Test
    void aMultiDbSourceIsRefusedAtTheStart(@TempDir Path dir) throws Exception {
        try (RedisServerProcess src = RedisServerProcess.start(SOURCE_CONF); RedisConnection s = src.connection();
                TwemproxyPool pool = new TwemproxyPool(dir.resolve("pool"), false, "hash: crc16", "distribution: ketama")) {
            s.call("SET", "zero", "0");
            s.call("SELECT", "1");
            s.call("SET", "one", "1");
            FerryCli.Result r = FerryCli.run("sync", "-s", src.uriWithPassword(), "-t", pool.spec(), "--state-dir", dir.resolve("state").toString());
            assertThat(r.exit()).as(r.toString()).isEqualTo(1);
            assertThat(r.errorLines()).hasSize(1);
            assertThat(r.errorLines().get(0)).contains("source db 1").contains("one db").contains("--target-db 0");
            assertThat(r.hasStackTrace()).isFalse();
            assertThat(pool.backendKeys()).isEmpty();
        }
    }

    /** A RENAME whose keys live on two backends cannot run there as one command: counted and skipped under --on-error skip. */
    @Test
    void aCommandAcrossBackendsIsCountedUnderSkip(@TempDir Path dir) throws Exception {
        try (RedisServerProcess src = RedisServerProcess.start(SOURCE_CONF); RedisConnection s = src.connection();
                TwemproxyPool pool = new TwemproxyPool(dir.resolve("pool"), false, "hash: md5", "distribution: ketama")) {
            Pool p = PoolReader.read(pool.proxy.conf(), "pool");
            String a = "from";
            String b = "to0";
            for (int i = 1; p.serverOf(a.getBytes()) == p.serverOf(b.getBytes()); i++) {
                b = "to" + i;
            }
            s.call("SET", "before", "1");
            SyncOptions opt = new SyncOptions(src.uri(), null, new TargetSpec.Twemproxy(p), dir.resolve("state"), ConflictPolicy.FAIL,
                    OnError.SKIP, 4, KeyFilter.ALL, io.ferry.filter.DbMap.IDENTITY, false, 1L << 30, 64L << 20, Duration.ofMillis(100), 0,
                    Duration.ofSeconds(30));
            try (SyncHarness sync = new SyncHarness(opt)) {
                sync.awaitZeroLag(s, Duration.ofSeconds(60));
                s.call("SET", a, "v");
                s.call("RENAME", a, b);
                s.call("SET", "after", "2");
                sync.awaitZeroLag(s, Duration.ofSeconds(60));
                assertThat(sync.session.status().values()).containsEntry("errors_skipped", 1L);
            }
            assertThat(pool.backendKeys()).contains("before", "after", a).doesNotContain(b);
        }
    }
}
