package io.ferry.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.resp.RedisConnection;
import io.ferry.testing.FerryCli;
import io.ferry.testing.RedisServerProcess;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an operator can get wrong, or a server can refuse, before or during a sync: each is one
 * line, exit 1, and nothing written where it was not asked for.
 */
@Timeout(120)
class SyncRefusalsIT {
    private static final String FAST = "repl-diskless-sync-delay 0";

    static boolean holdsNoKey(RedisConnection c) {
        return !c.call("INFO", "keyspace").asString().contains("keys=");
    }

    static void assertOneLine(FerryCli.Result r, String... contains) {
        assertThat(r.exit()).as(r.toString()).isEqualTo(1);
        assertThat(r.errorLines()).as(r.toString()).hasSize(1);
        assertThat(r.errorLines().get(0)).contains(contains);
        assertThat(r.hasStackTrace()).as(r.toString()).isFalse();
    }

    @Test
    void aSourceDbTheTargetLacksIsRefusedBeforeAnythingIsWritten(@TempDir Path state) throws Exception {
        try (RedisServerProcess src = RedisServerProcess.start(FAST, "databases 64"); RedisServerProcess dst = RedisServerProcess.start();
                RedisConnection s = src.connection(); RedisConnection t = dst.connection()) {
            s.call("SET", "in-db-0", "x");
            s.call("SELECT", "40");
            s.call("SET", "in-db-40", "y");
            FerryCli.Result r = FerryCli.run("sync", "-s", src.uri().toString(), "-t", dst.uri().toString(), "--state-dir", state.toString());
            assertOneLine(r, "source db 40", "only 16 dbs", "--db-map", "--target-db");
            assertThat(holdsNoKey(t)).as("target untouched").isTrue();

            // Mapped away, the same source syncs (the run is stopped once it streams).
            try (SyncHarness sync = new SyncHarness(src.uri(), dst.uri(), state.resolve("mapped"), io.ferry.filter.KeyFilter.ALL,
                    db -> db == 40 ? 3 : db)) {
                sync.awaitZeroLag(s, Duration.ofSeconds(30));
                t.call("SELECT", "3");
                assertThat(t.call("GET", "in-db-40").asString()).isEqualTo("y");
            }
        }
    }

    @Test
    void aLiveWriteIntoADbTheTargetLacksStopsTheRunBeforeItIsWritten(@TempDir Path state) throws Exception {
        try (RedisServerProcess src = RedisServerProcess.start(FAST, "databases 64"); RedisServerProcess dst = RedisServerProcess.start();
                RedisConnection s = src.connection(); RedisConnection t = dst.connection()) {
            s.call("SET", "before", "x");
            SyncHarness sync = new SyncHarness(src.uri(), dst.uri(), state);
            try {
                sync.awaitZeroLag(s, Duration.ofSeconds(30));
                s.call("SELECT", "40");
                s.call("SET", "in-db-40", "y");
                s.call("SELECT", "0");
                s.call("SET", "after", "z");
                sync.awaitFailure(Duration.ofSeconds(30));
            } finally {
                sync.close();
            }
            assertThat(sync.failure).isInstanceOf(io.ferry.target.ApplyFailedException.class)
                    .hasMessageContaining("source db 40").hasMessageContaining("--db-map");
            assertThat(t.call("EXISTS", "in-db-40").asLong()).as("not written into db 0").isZero();
            assertThat(t.call("EXISTS", "after").asLong()).as("nothing after the refused db").isZero();
            assertThat(t.call("GET", "before").asString()).isEqualTo("x");
        }
    }

    @Test
    void aStateDirectoryOfAnotherTargetIsRefused(@TempDir Path state) throws Exception {
        try (RedisServerProcess src = RedisServerProcess.start(FAST); RedisServerProcess a = RedisServerProcess.start();
                RedisServerProcess b = RedisServerProcess.start(); RedisConnection s = src.connection(); RedisConnection tb = b.connection()) {
            s.call("SET", "k", "v");
            try (SyncHarness sync = new SyncHarness(src.uri(), a.uri(), state)) {
                sync.awaitZeroLag(s, Duration.ofSeconds(30));
            }
            s.call("SET", "k2", "v2");
            FerryCli.Result r = FerryCli.run("sync", "-s", src.uri().toString(), "-t", b.uri().toString(), "--state-dir", state.toString());
            assertOneLine(r, "belongs to another migration", "its target is " + a.uri().identity(), "new --state-dir");
            assertThat(holdsNoKey(tb)).as("B never received the snapshot: nothing streamed into it").isTrue();
        }
    }

    @Test
    void aStateDirectoryWrittenWithOtherFiltersIsRefused(@TempDir Path state) throws Exception {
        try (RedisServerProcess src = RedisServerProcess.start(FAST); RedisServerProcess dst = RedisServerProcess.start();
                RedisConnection s = src.connection(); RedisConnection t = dst.connection()) {
            s.call("SET", "a:1", "v");
            s.call("SET", "b:1", "v");
            io.ferry.filter.KeyFilter onlyA = new io.ferry.filter.KeyFilter(java.util.Set.of(), java.util.List.of("a:*"), java.util.List.of(), java.util.Set.of());
            try (SyncHarness sync = new SyncHarness(src.uri(), dst.uri(), state, onlyA, io.ferry.filter.DbMap.IDENTITY)) {
                sync.awaitZeroLag(s, Duration.ofSeconds(30));
            }
            FerryCli.Result r = FerryCli.run("sync", "-s", src.uri().toString(), "-t", dst.uri().toString(), "--state-dir", state.toString());
            assertOneLine(r, "belongs to another migration", "key a:*");
            assertThat(t.call("EXISTS", "b:1").asLong()).isZero();
        }
    }

    @Test
    void aSourceThatRefusesToServeAReplicaIsOneLine(@TempDir Path state) throws Exception {
        try (RedisServerProcess src = RedisServerProcess.start("user default off", "user ferry on >pw ~* &* +@all -psync -sync");
                RedisServerProcess dst = RedisServerProcess.start(); RedisConnection t = dst.connection()) {
            FerryCli.Result r = FerryCli.run("sync", "-s", "redis://ferry:pw@127.0.0.1:" + src.port(), "-t", dst.uri().toString(),
                    "--state-dir", state.toString());
            assertOneLine(r, "NOPERM");
            assertThat(r.err()).doesNotContain(":pw@");
            assertThat(holdsNoKey(t)).isTrue();
        }
    }
}
