package io.ferry.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.convert.ConflictPolicy;
import io.ferry.filter.DbMap;
import io.ferry.filter.KeyFilter;
import io.ferry.resp.RedisConnection;
import io.ferry.resp.RedisUri;
import io.ferry.target.OnError;
import io.ferry.testing.RedisServerProcess;
import io.ferry.testing.TcpProxy;
import io.ferry.testing.WriteLoad;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The target link breaks under a write load, during the stream and during the snapshot: the run
 * reconnects and continues exactly where the target stands (WriteLoad's INCR, RPUSH and EVAL show
 * anything applied twice or lost). A target gone for longer than allowed ends the run in one
 * line, and the run's threads end with it. Spilled values never outlive the snapshot.
 */
@Timeout(180)
class SyncTargetLinkIT {
    private static final String[] SOURCE_CONF = {"repl-diskless-sync-delay 0", "repl-backlog-size 64mb"};

    private static SyncOptions options(RedisUri src, RedisUri dst, Path state, KeyFilter filter, long bigKeyBytes, Duration reconnectFor) {
        return new SyncOptions(src, null, new TargetSpec.Server(dst, null), state, ConflictPolicy.FAIL, OnError.FAIL, 4, filter, DbMap.IDENTITY, false, 1L << 30,
                bigKeyBytes, Duration.ofMillis(100), 0, reconnectFor);
    }

    @Test
    void cutTargetLinksUnderLoadAreRiddenOutExactlyOnce(@TempDir Path state) throws Exception {
        try (RedisServerProcess src = RedisServerProcess.start(SOURCE_CONF); RedisServerProcess dst = RedisServerProcess.start();
                TcpProxy proxy = new TcpProxy(dst.port()); RedisConnection s = src.connection(); RedisConnection t = dst.connection()) {
            s.call("SET", "seed", "1");
            RedisUri viaProxy = RedisUri.parse("redis://127.0.0.1:" + proxy.port());
            try (SyncHarness sync = new SyncHarness(src.uri(), viaProxy, state)) {
                sync.awaitZeroLag(s, Duration.ofSeconds(30));
                try (WriteLoad load = WriteLoad.start(src.uri(), 7, 30_000)) {
                    for (int i = 0; i < 3; i++) {
                        long before = sync.session.stats().targetReconnects.sum();
                        while (load.ops() < (i + 1) * 5_000L && load.ops() < 29_000) {
                            Thread.sleep(5);
                        }
                        proxy.cut();
                        awaitReconnects(sync, before + 1);
                    }
                    load.awaitDone();
                }
                sync.awaitZeroLag(s, Duration.ofSeconds(60));
                SyncHarness.assertSame(s, t);
                assertThat(sync.session.stats().targetReconnects.sum()).as("target reconnects").isGreaterThanOrEqualTo(3);
                assertThat(sync.session.stats().fullSyncs.sum()).as("full syncs").isEqualTo(1);
            }
        }
    }

    private static void awaitReconnects(SyncHarness sync, long atLeast) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (sync.session.stats().targetReconnects.sum() < atLeast) {
            if (sync.failure != null) {
                throw new AssertionError("sync failed", sync.failure);
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no target reconnect within 30 s");
            }
            Thread.sleep(10);
        }
    }

    @Test
    void aTargetCutDuringTheSnapshotGetsTheSnapshotAgainFromTheSpoolNotFromTheSource(@TempDir Path state) throws Exception {
        try (RedisServerProcess src = RedisServerProcess.start(SOURCE_CONF); RedisServerProcess dst = RedisServerProcess.start();
                TcpProxy proxy = new TcpProxy(dst.port()); RedisConnection s = src.connection(); RedisConnection t = dst.connection()) {
            for (int i = 0; i < 20; i++) {
                s.call("EVAL", "for i=1,5000 do redis.call('rpush', 'bulk:' .. ARGV[1] .. ':' .. i, string.rep('x', 100)) end", "0", Integer.toString(i));
            }
            proxy.throttleToServer(2_000_000); // the snapshot takes a few seconds to apply
            RedisUri viaProxy = RedisUri.parse("redis://127.0.0.1:" + proxy.port());
            try (SyncHarness sync = new SyncHarness(src.uri(), viaProxy, state)) {
                while (sync.session.stats().snapshotKeys.get() < 1000) {
                    if (sync.failure != null) {
                        throw new AssertionError("sync failed", sync.failure);
                    }
                    Thread.sleep(5);
                }
                assertThat(sync.session.stats().state).isEqualTo("snapshot");
                proxy.cut();
                proxy.throttleToServer(0);
                s.call("INCR", "written-after-cut");
                sync.awaitZeroLag(s, Duration.ofSeconds(90));
                SyncHarness.assertSame(s, t);
                assertThat(sync.session.stats().fullSyncs.sum()).as("full syncs from the source").isEqualTo(1);
                assertThat(sync.session.stats().targetReconnects.sum()).isPositive();
            }
        }
    }

    @Test
    void aTargetGoneLongerThanAllowedEndsTheRunAndItsThreads(@TempDir Path state) throws Exception {
        try (RedisServerProcess src = RedisServerProcess.start(SOURCE_CONF); RedisConnection s = src.connection()) {
            RedisServerProcess dst = RedisServerProcess.start();
            s.call("SET", "seed", "1");
            SyncHarness sync = new SyncHarness(options(src.uri(), dst.uri(), state, KeyFilter.ALL, 64L << 20, Duration.ofSeconds(1)));
            try {
                sync.awaitZeroLag(s, Duration.ofSeconds(30));
                dst.close();
                s.call("SET", "k", "v");
                sync.awaitFailure(Duration.ofSeconds(60));
                assertThat(sync.failure).isInstanceOf(io.ferry.target.ApplyFailedException.class)
                        .hasMessageContaining("could not reconnect within 1 s").hasMessageContaining("--state-dir");
                // Nobody asked the run to stop: its threads must end because it ended (the source
                // link used to be reconnected until the JVM exited).
                long deadline = System.nanoTime() + 5_000_000_000L;
                while (!ferryThreads().isEmpty() && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                assertThat(ferryThreads()).as("threads of the ended run").isEmpty();
            } finally {
                sync.close();
            }
        }
    }

    private static List<String> ferryThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(n -> n.equals("ferry-source-link") || n.equals("ferry-ack") || n.equals("ferry-first-ack")).toList();
    }

    @Test
    void spilledValuesOfFilteredKeysAreReleasedAndTheSpillDirCleaned(@TempDir Path state) throws Exception {
        try (RedisServerProcess src = RedisServerProcess.start(SOURCE_CONF); RedisServerProcess dst = RedisServerProcess.start();
                RedisConnection s = src.connection(); RedisConnection t = dst.connection()) {
            for (int i = 0; i < 5; i++) {
                s.call("EVAL", "for i=1,2000 do redis.call('rpush', KEYS[1], string.rep('y', 50) .. i) end", "1", "skip:big:" + i);
                s.call("EVAL", "for i=1,2000 do redis.call('rpush', KEYS[1], string.rep('y', 50) .. i) end", "1", "take:big:" + i);
            }
            KeyFilter take = new KeyFilter(Set.of(), List.of("take:*"), List.of(), Set.of());
            try (SyncHarness sync = new SyncHarness(options(src.uri(), dst.uri(), state, take, 4096, Duration.ofSeconds(30)))) {
                sync.awaitZeroLag(s, Duration.ofSeconds(60));
                assertThat(t.call("LLEN", "take:big:3").asLong()).isEqualTo(2000);
                assertThat(t.call("EXISTS", "skip:big:3").asLong()).isZero();
                Path spill = state.resolve("spill");
                try (var files = Files.exists(spill) ? Files.walk(spill) : java.util.stream.Stream.<Path>empty()) {
                    assertThat(files.filter(Files::isRegularFile).toList()).as("spill files left").isEmpty();
                }
            }
        }
    }
}
