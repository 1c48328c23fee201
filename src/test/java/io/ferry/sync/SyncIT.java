package io.ferry.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.cli.Main;
import io.ferry.filter.KeyFilter;
import io.ferry.testing.Dataset;
import io.ferry.testing.ServerDataset;
import io.ferry.resp.RedisConnection;
import io.ferry.resp.RedisUri;
import io.ferry.testing.RedisServerProcess;
import io.ferry.testing.TcpProxy;
import io.ferry.testing.WriteLoad;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Online sync against real servers: a snapshot plus a concurrent mixed write load (during and
 * after the snapshot) ends with source and target identical once Ferry reports zero lag; the
 * source link cut mid-snapshot and mid-stream; a slow target behind a source with a small
 * replica output buffer.
 */
@Timeout(180)
class SyncIT {
    private static final String[] SOURCE_CONF = {"repl-diskless-sync-delay 0", "repl-backlog-size 64mb"};

    private static void seed(RedisConnection c) {
        c.call("SELECT", "1");
        for (int i = 0; i < 2000; i++) {
            c.call("SET", "seed:" + i, "value-" + i);
        }
        c.call("HSET", "seed:hash", "a", "1", "b", "2");
        c.call("ZADD", "seed:zset", "1.5", "x", "-2", "y");
        c.call("XADD", "seed:stream", "1-1", "f", "v");
        c.call("XGROUP", "CREATE", "seed:stream", "g", "0");
        c.call("SELECT", "0");
        c.call("RPUSH", "seed:list", "a", "b", "c");
    }

    @Test
    void snapshotAndLiveLoadEndIdentical(@TempDir Path state) throws Exception {
        try (RedisServerProcess src = RedisServerProcess.start(SOURCE_CONF); RedisServerProcess dst = RedisServerProcess.start();
                RedisConnection s = src.connection(); RedisConnection t = dst.connection()) {
            seed(s);
            try (WriteLoad during = WriteLoad.start(src.uri(), 1, 30_000); SyncHarness sync = new SyncHarness(src.uri(), dst.uri(), state)) {
                during.awaitDone();
                try (WriteLoad after = WriteLoad.start(src.uri(), 2, 20_000)) {
                    after.awaitDone();
                }
                sync.awaitZeroLag(s, Duration.ofSeconds(60));
                SyncHarness.assertSame(s, t);
                assertThat(sync.session.stats().fullSyncs.sum()).isEqualTo(1);
            }
        }
    }

    @Test
    void sourceLinkCutMidStreamResumesWithoutFullSync(@TempDir Path state) throws Exception {
        try (RedisServerProcess src = RedisServerProcess.start(SOURCE_CONF); RedisServerProcess dst = RedisServerProcess.start();
                TcpProxy proxy = new TcpProxy(src.port()); RedisConnection s = src.connection(); RedisConnection t = dst.connection()) {
            seed(s);
            RedisUri viaProxy = RedisUri.parse("redis://127.0.0.1:" + proxy.port());
            try (SyncHarness sync = new SyncHarness(viaProxy, dst.uri(), state)) {
                sync.awaitZeroLag(s, Duration.ofSeconds(30));
                try (WriteLoad load = WriteLoad.start(src.uri(), 3, 20_000)) {
                    for (int i = 0; i < 3; i++) {
                        Thread.sleep(150);
                        proxy.cut();
                    }
                    load.awaitDone();
                }
                sync.awaitZeroLag(s, Duration.ofSeconds(60));
                SyncHarness.assertSame(s, t);
                assertThat(sync.session.stats().fullSyncs.sum()).as("full syncs").isEqualTo(1);
                assertThat(sync.session.stats().reconnects.sum()).as("reconnects").isPositive();
            }
        }
    }

    @Test
    void sourceLinkCutMidSnapshotStartsTheSnapshotAgain(@TempDir Path state) throws Exception {
        try (RedisServerProcess src = RedisServerProcess.start(SOURCE_CONF); RedisServerProcess dst = RedisServerProcess.start();
                TcpProxy proxy = new TcpProxy(src.port()); TcpProxy slowTarget = new TcpProxy(dst.port());
                RedisConnection s = src.connection(); RedisConnection t = dst.connection()) {
            seed(s);
            for (int i = 0; i < 20; i++) {
                s.call("EVAL", "for i=1,5000 do redis.call('set', 'bulk:' .. ARGV[1] .. ':' .. i, string.rep('x', 100)) end", "0", Integer.toString(i));
            }
            slowTarget.throttleToServer(2_000_000); // the snapshot takes a few seconds to apply
            proxy.throttleToClient(2_000_000); // and to arrive, so the cut lands inside the transfer
            RedisUri viaProxy = RedisUri.parse("redis://127.0.0.1:" + proxy.port());
            try (SyncHarness sync = new SyncHarness(viaProxy, RedisUri.parse("redis://127.0.0.1:" + slowTarget.port()), state)) {
                while (!sync.session.stats().state.equals("snapshot")) {
                    Thread.sleep(10);
                }
                Thread.sleep(300);
                assertThat(sync.session.stats().snapshotBytes.get()).as("snapshot still arriving").isZero();
                proxy.cut();
                proxy.throttleToClient(0);
                slowTarget.throttleToServer(0);
                s.call("SET", "written-after-cut", "1");
                sync.awaitZeroLag(s, Duration.ofSeconds(90));
                SyncHarness.assertSame(s, t);
                assertThat(sync.session.stats().fullSyncs.sum()).as("full syncs").isGreaterThanOrEqualTo(2);
            }
        }
    }

    @Test
    void slowTargetDoesNotGetFerryDroppedBySmallOutputBuffer(@TempDir Path state) throws Exception {
        String[] conf = {"repl-diskless-sync-delay 0", "repl-backlog-size 64mb", "client-output-buffer-limit replica 512kb 256kb 2"};
        try (RedisServerProcess src = RedisServerProcess.start(conf); RedisServerProcess dst = RedisServerProcess.start();
                TcpProxy slowTarget = new TcpProxy(dst.port()); RedisConnection s = src.connection(); RedisConnection t = dst.connection()) {
            seed(s);
            slowTarget.throttleToServer(300_000);
            try (SyncHarness sync = new SyncHarness(src.uri(), RedisUri.parse("redis://127.0.0.1:" + slowTarget.port()), state)) {
                try (WriteLoad load = WriteLoad.start(src.uri(), 4, 30_000)) {
                    load.awaitDone();
                }
                slowTarget.throttleToServer(0);
                sync.awaitZeroLag(s, Duration.ofSeconds(90));
                SyncHarness.assertSame(s, t);
                assertThat(sync.session.stats().fullSyncs.sum()).as("full syncs").isEqualTo(1);
                assertThat(sync.session.stats().reconnects.sum()).as("reconnects").isZero();
            }
        }
    }

    @Test
    void diskBasedSnapshotWithKeyFilterAndDbMap(@TempDir Path state) throws Exception {
        try (RedisServerProcess src = RedisServerProcess.start("repl-diskless-sync no", "repl-backlog-size 64mb"); RedisServerProcess dst = RedisServerProcess.start();
                RedisConnection s = src.connection(); RedisConnection t = dst.connection()) {
            seed(s);
            KeyFilter onlySeed = new KeyFilter(java.util.Set.of(), java.util.List.of("seed:*"), java.util.List.of("seed:1*"), java.util.Set.of());
            try (SyncHarness sync = new SyncHarness(src.uri(), dst.uri(), state, onlySeed, db -> db + 5)) {
                sync.awaitZeroLag(s, Duration.ofSeconds(30));
                s.call("SELECT", "1");
                s.call("SET", "seed:live", "yes");
                s.call("SET", "other:live", "no");
                s.call("SET", "seed:15", "excluded");
                // Commands that name a db take the mapped one: db 3 is target db 8, db 0 is 5.
                s.call("SET", "seed:moved", "m");
                s.call("MOVE", "seed:moved", "3");
                s.call("COPY", "seed:2", "seed:copy", "DB", "0");
                s.call("SELECT", "0");
                sync.awaitZeroLag(s, Duration.ofSeconds(30));
                Dataset want = new Dataset();
                ServerDataset.read(s, 15).dbs.forEach((db, keys) -> keys.forEach((k, v) -> {
                    if (k.startsWith("seed:") && !k.startsWith("seed:1")) {
                        want.put(db + 5, k, v);
                    }
                }));
                assertThat(SyncHarness.targetData(t)).isEqualTo(want);
                assertThat(want.dbs.get(6)).containsKey("seed:live").doesNotContainKey("seed:moved");
                assertThat(want.dbs.get(8)).containsKey("seed:moved");
                assertThat(want.dbs.get(5)).containsKey("seed:copy");
            }
        }
    }

    @Test
    void wrongSourcePasswordIsOneClearLine(@TempDir Path state) throws Exception {
        try (RedisServerProcess src = RedisServerProcess.start("requirepass s3cret-pw"); RedisServerProcess dst = RedisServerProcess.start()) {
            var err = new java.io.ByteArrayOutputStream();
            var old = System.err;
            System.setErr(new java.io.PrintStream(err, true));
            int status;
            try {
                status = Main.run("sync", "-s", "redis://:wrong-pw@127.0.0.1:" + src.port(), "-t", dst.uri().toString(), "--state-dir", state.toString());
            } finally {
                System.setErr(old);
            }
            assertThat(status).isEqualTo(1);
            String out = err.toString();
            assertThat(out).contains("ferry sync: error:").contains("authentication failed").doesNotContain("wrong-pw").doesNotContain("\tat ");
        }
    }
}
