package io.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.resp.RedisConnection;
import io.ferry.testing.Dataset;
import io.ferry.testing.FerryCli;
import io.ferry.testing.FileTargets;
import io.ferry.testing.RandomDataset;
import io.ferry.testing.RedisServerProcess;
import io.ferry.testing.ServerDataset;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code ferry dump} against real servers, disk-based and diskless: the RDB it writes loads into
 * a new redis-server with exactly the source's data (every type and encoding, big values, TTLs,
 * several dbs, a function library); a diskless source never writes an RDB of its own; the
 * source drops the replica afterwards.
 */
@Timeout(180)
class DumpIT {
    static final long SEED = Long.getLong("ferry.seed", System.nanoTime());

    @TempDir
    Path dir;

    @ParameterizedTest(name = "repl-diskless-sync {0}")
    @ValueSource(strings = {"no", "yes"})
    void aNewServerLoadsTheDumpWithExactlyTheSourceData(String diskless) throws Exception {
        try (RedisServerProcess source = RedisServerProcess.start("repl-diskless-sync " + diskless, "repl-diskless-sync-delay 0");
                RedisConnection c = source.connection()) {
            RandomDataset.fill(c, SEED, new int[] {0, 1, 3, 15}, 150);
            FileTargets.fillBigValues(c, 20_000, 2048);
            Dataset expected = ServerDataset.read(c, 15);

            Path out = dir.resolve("backup.rdb");
            FerryCli.Result r = FerryCli.run("dump", "--source", source.uri().toString(), "-o", out.toString());
            assertThat(r.exit()).as("seed %d\n%s", SEED, r).isZero();
            assertThat(r.err()).contains(String.format("dump summary: %,d keys", expected.keyCount()))
                    .contains(diskless.equals("yes") ? "diskless transfer" : "disk-based transfer");
            assertThat(Files.exists(Path.of(out + ".tmp"))).isFalse();
            assertThat(Files.exists(source.dir().resolve("dump.rdb"))).as("the source wrote an RDB of its own")
                    .isEqualTo(diskless.equals("no"));

            FileTargets.assertSameKeyspace(FileTargets.loadRdb(out), expected, "a server loading the dump (seed " + SEED + ")");
            awaitNoReplica(c);
        }
    }

    private static void awaitNoReplica(RedisConnection c) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            if (c.infoField("replication", "connected_slaves").equals("0")) {
                return;
            }
            Thread.sleep(50);
        }
        assertThat(c.infoField("replication", "connected_slaves")).as("replicas after the dump").isEqualTo("0");
    }

    @Test
    void aRefusedSourceIsOneErrorLine() throws Exception {
        try (RedisServerProcess source = RedisServerProcess.start("requirepass s3cret")) {
            Path out = dir.resolve("never.rdb");
            FerryCli.Result r = FerryCli.run("dump", "--source", "redis://:wrong@127.0.0.1:" + source.port(), "-o", out.toString());
            assertThat(r.exit()).isEqualTo(1);
            assertThat(r.errorLines()).as("%s", r).hasSize(1);
            assertThat(r.hasStackTrace()).isFalse();
            assertThat(r.err()).doesNotContain("wrong");
            assertThat(Files.exists(out)).isFalse();
            assertThat(Files.exists(Path.of(out + ".tmp"))).isFalse();
        }
    }

    @Test
    void anExistingOutputIsRefusedUnlessOverwrite() throws Exception {
        try (RedisServerProcess source = RedisServerProcess.start(); RedisConnection c = source.connection()) {
            c.call("SET", "a", "1");
            Path out = dir.resolve("taken.rdb");
            Files.writeString(out, "keep me");
            FerryCli.Result r = FerryCli.run("dump", "--source", source.uri().toString(), "-o", out.toString());
            assertThat(r.exit()).isEqualTo(1);
            assertThat(r.errorLines()).singleElement().asString().contains("exists");
            assertThat(Files.readString(out)).isEqualTo("keep me");

            assertThat(FerryCli.run("dump", "--source", source.uri().toString(), "-o", out.toString(), "--overwrite").exit()).isZero();
            assertThat(FileTargets.loadRdb(out).dbs.get(0)).containsOnlyKeys("a");
        }
    }
}
