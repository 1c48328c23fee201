package io.ferry.sync;

import static org.assertj.core.api.Assertions.assertThat;

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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A source that answers PSYNC with "unknown command" — Redis before 2.8, or a managed service
 * that renamed PSYNC away — is followed with SYNC. The real server here is 7.0 with PSYNC renamed,
 * which still serves SYNC exactly as a pre-2.8 master: no +FULLRESYNC line, no offsets. Without
 * offsets there is no partial resync, so a cut link means a new full sync.
 */
@Timeout(180)
class LegacySyncIT {
    private static final String[] NO_PSYNC = {"rename-command PSYNC \"\"", "repl-diskless-sync-delay 0"};
    /** As a 2.6 master: no REPLCONF either, so no capa eof (a disk-based snapshot) and no ACKs. */
    private static final String[] NO_PSYNC_NO_REPLCONF = {"rename-command PSYNC \"\"", "rename-command REPLCONF \"\"",
        "repl-diskless-sync-delay 0"};

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"no PSYNC", "no PSYNC, no REPLCONF"})
    void sourceWithoutPsyncIsFollowedWithSync(String kind, @TempDir Path state) throws Exception {
        String[] conf = kind.contains("REPLCONF") ? NO_PSYNC_NO_REPLCONF : NO_PSYNC;
        try (RedisServerProcess src = RedisServerProcess.start(conf); RedisServerProcess dst = RedisServerProcess.start();
                RedisConnection s = src.connection(); RedisConnection t = dst.connection()) {
            assertThat(((io.ferry.resp.Reply.Error) s.call("PSYNC", "?", "-1")).message()).as("PSYNC is gone").contains("unknown command");
            for (int i = 0; i < 3000; i++) {
                s.call("SET", "seed:" + i, "v" + i);
            }
            s.call("RPUSH", "seed:list", "a", "b");
            try (WriteLoad during = WriteLoad.start(src.uri(), 5, 20_000); SyncHarness sync = new SyncHarness(src.uri(), dst.uri(), state)) {
                during.awaitDone();
                try (WriteLoad after = WriteLoad.start(src.uri(), 6, 10_000)) {
                    after.awaitDone();
                }
                awaitMarker(s, t, "marker:1", sync);
                SyncHarness.assertSame(s, t);
                assertThat(sync.session.stats().fullSyncs.sum()).isEqualTo(1);
                assertThat(sync.session.stats().replid).as("SYNC has no replication id").isEqualTo("?");
                assertThat(sync.session.stats().partialSyncs.sum()).isZero();
                // What the source saw: a replica that asked with SYNC; without capa eof, a disk-based snapshot.
                assertThat(src.log()).contains("Replica 127.0.0.1:").contains(conf == NO_PSYNC ? "target: replicas sockets" : "target: disk");
            }
        }
    }

    @Test
    void cutLinkWithoutPsyncStartsAFullSyncAgainAndEndsIdentical(@TempDir Path state) throws Exception {
        try (RedisServerProcess src = RedisServerProcess.start(NO_PSYNC); RedisServerProcess dst = RedisServerProcess.start();
                TcpProxy proxy = new TcpProxy(src.port()); RedisConnection s = src.connection(); RedisConnection t = dst.connection()) {
            for (int i = 0; i < 3000; i++) {
                s.call("SET", "seed:" + i, "v" + i);
            }
            RedisUri viaProxy = RedisUri.parse("redis://127.0.0.1:" + proxy.port());
            try (SyncHarness sync = new SyncHarness(viaProxy, dst.uri(), state)) {
                awaitMarker(s, t, "marker:before-cut", sync);
                proxy.cut();
                try (WriteLoad load = WriteLoad.start(src.uri(), 7, 10_000)) {
                    load.awaitDone();
                }
                awaitMarker(s, t, "marker:after-cut", sync);
                SyncHarness.assertSame(s, t);
                assertThat(sync.session.stats().fullSyncs.sum()).as("full syncs").isEqualTo(2);
            }
        }
    }

    /** Without offsets, "caught up" means a key written last on the source has reached the target. */
    private static void awaitMarker(RedisConnection s, RedisConnection t, String marker, SyncHarness sync) throws InterruptedException {
        s.call("SELECT", "0");
        s.call("SET", marker, "1");
        t.call("SELECT", "0");
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (((io.ferry.resp.Reply.Int) t.call("EXISTS", marker)).value() == 0) {
            if (sync.failure != null) {
                throw new AssertionError("sync failed", sync.failure);
            }
            assertThat(System.nanoTime()).as("%s reached the target within 60 s", marker).isLessThan(deadline);
            Thread.sleep(20);
        }
    }
}
