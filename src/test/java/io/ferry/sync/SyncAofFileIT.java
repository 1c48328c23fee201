package io.ferry.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.resp.RedisConnection;
import io.ferry.target.StreamApplier;
import io.ferry.testing.Dataset;
import io.ferry.testing.FerryCli;
import io.ferry.testing.FileTargets;
import io.ferry.testing.RedisServerProcess;
import io.ferry.testing.ServerDataset;
import io.ferry.testing.WriteLoad;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ferry sync --target file:x.aof}: the snapshot and the live stream go into an AOF that a
 * new redis-server loads with exactly the source's data; a killed sync resumes and appends
 * exactly what is missing (WriteLoad's INCR, RPUSH and EVAL show anything doubled or lost).
 */
@Timeout(180)
class SyncAofFileIT {
    private static final String[] SOURCE_CONF = {"repl-diskless-sync-delay 0", "repl-backlog-size 64mb"};

    private static void seed(RedisConnection c) {
        for (int i = 0; i < 500; i++) {
            c.call("SET", "seed:" + i, "v" + i);
        }
        c.call("HSET", "seed:h", "a", "1");
        c.call("SELECT", "2");
        c.call("RPUSH", "seed:l", "x", "y");
        c.call("SELECT", "0");
    }

    /** The AOF as a server loads it, without Ferry's lane checkpoint keys. */
    private static Dataset loaded(Path aof, Path scratch) throws Exception {
        Dataset d = FileTargets.loadAof(aof, scratch);
        d.dbs.values().forEach(keys -> keys.keySet().removeIf(k -> k.startsWith(StreamApplier.CHECKPOINT_KEY)));
        d.dbs.values().removeIf(java.util.Map::isEmpty);
        return d;
    }

    @Test
    void theSnapshotAndTheStreamGoIntoAnAofAServerLoads(@TempDir Path dir) throws Exception {
        Path aof = dir.resolve("out.aof");
        try (RedisServerProcess src = RedisServerProcess.start(SOURCE_CONF); RedisConnection s = src.connection()) {
            seed(s);
            try (SyncHarness sync = new SyncHarness(src.uri(), new TargetSpec.AofFile(aof), dir.resolve("state"))) {
                try (WriteLoad load = WriteLoad.start(src.uri(), 41, 20_000)) {
                    load.awaitDone();
                }
                sync.awaitZeroLag(s, Duration.ofSeconds(60));
            }
            FileTargets.assertSameKeyspace(loaded(aof, dir), ServerDataset.read(s, 15), "a server loading the sync's AOF");
        }
    }

    @Test
    void aKilledSyncResumesAndAppendsExactlyWhatIsMissing(@TempDir Path dir) throws Exception {
        Path aof = dir.resolve("out.aof");
        Path log = dir.resolve("ferry.log");
        Path state = dir.resolve("state");
        try (RedisServerProcess src = RedisServerProcess.start(SOURCE_CONF); RedisConnection s = src.connection()) {
            seed(s);
            int statusPort = io.ferry.testing.FreePorts.pick();
            Process ferry = SyncKillIT.startFerry(src.uri().toString(), "file:" + aof, state, log, statusPort);
            try {
                SyncKillIT.awaitZeroLag(s);
                try (WriteLoad load = WriteLoad.start(src.uri(), 42, 40_000)) {
                    while (load.ops() < 15_000) {
                        Thread.sleep(5);
                    }
                    ferry.destroyForcibly().waitFor(); // kill -9 mid-stream: the file may end inside a transaction
                    load.awaitDone();
                }
                ferry = SyncKillIT.startFerry(src.uri().toString(), "file:" + aof, state, log, statusPort);
                SyncKillIT.awaitZeroLag(s);
            } finally {
                ferry.destroy(); // SIGTERM: a clean stop
                ferry.waitFor();
            }
            String out = Files.readString(log);
            assertThat(out.split("full sync: receiving the snapshot", -1)).as(out).hasSize(2);
            assertThat(out).contains("resuming from checkpoint");
            FileTargets.assertSameKeyspace(loaded(aof, dir), ServerDataset.read(s, 15), "a server loading the resumed sync's AOF");
        }
    }

    @Test
    void aFileTargetThatIsNotAnAofIsRefusedWithTheCommandThatWritesIt(@TempDir Path dir) {
        FerryCli.Result r = FerryCli.run("sync", "-s", "redis://127.0.0.1:1", "-t", "file:" + dir.resolve("x.rdb"), "--state-dir", dir.resolve("state").toString());
        assertThat(r.exit()).as(r.toString()).isEqualTo(1);
        assertThat(r.errorLines()).singleElement().asString().contains("file:PATH.aof").contains("ferry dump");
        assertThat(r.hasStackTrace()).isFalse();
        assertThat(dir.resolve("x.rdb")).doesNotExist();
    }

    @Test
    void aFileThatIsNotFromThisSyncIsRefused(@TempDir Path dir) throws Exception {
        Path aof = dir.resolve("other.aof");
        byte[] theirs = "*3\r\n$3\r\nSET\r\n$1\r\na\r\n$1\r\nb\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        Files.write(aof, theirs);
        try (RedisServerProcess src = RedisServerProcess.start(SOURCE_CONF); RedisConnection s = src.connection()) {
            seed(s);
            FerryCli.Result r = FerryCli.run("sync", "-s", src.uri().toString(), "-t", "file:" + aof, "--state-dir", dir.resolve("state").toString());
            assertThat(r.exit()).as(r.toString()).isEqualTo(1);
            assertThat(r.errorLines()).singleElement().asString().contains("not from this sync");
            assertThat(r.hasStackTrace()).isFalse();
            assertThat(Files.readAllBytes(aof)).isEqualTo(theirs);
        }
    }
}
