package io.ferry.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.resp.RedisConnection;
import io.ferry.testing.RedisServerProcess;
import io.ferry.testing.WriteLoad;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ferry killed with SIGKILL mid-stream (while non-idempotent commands flow: INCR, RPUSH) and
 * restarted with the same state directory continues without a second full sync, and the target
 * ends identical to the source: nothing lost, nothing applied twice.
 */
@Timeout(180)
class SyncKillIT {
    private static Process startFerry(String src, String dst, Path state, Path log) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-cp", System.getProperty("java.class.path"), "io.ferry.cli.Main", "sync", "-s", src, "-t", dst,
                "--state-dir", state.toString(), "--ack-interval", "100", "--lanes", "4"));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    }

    /** The offset the replica (Ferry) last acked, from the source's INFO replication. */
    private static long ackedOffset(RedisConnection source) {
        Matcher m = Pattern.compile("slave0:.*offset=(\\d+)").matcher(source.call("INFO", "replication").asString());
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    private static void awaitZeroLag(RedisConnection source) throws InterruptedException {
        for (int i = 0; i < 600; i++) {
            long master = Long.parseLong(source.infoField("replication", "master_repl_offset"));
            if (ackedOffset(source) >= master && master > 0) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("Ferry did not catch up: acked " + ackedOffset(source));
    }

    @Test
    void killedAndRestartedContinuesExactlyOnce(@TempDir Path tmp) throws Exception {
        Path log = tmp.resolve("ferry.log");
        Path state = tmp.resolve("state");
        try (RedisServerProcess src = RedisServerProcess.start("repl-diskless-sync-delay 0", "repl-backlog-size 64mb");
                RedisServerProcess dst = RedisServerProcess.start(); RedisConnection s = src.connection(); RedisConnection t = dst.connection()) {
            for (int i = 0; i < 1000; i++) {
                s.call("SET", "pre:" + i, "v" + i);
            }
            Process ferry = startFerry(src.uri().toString(), dst.uri().toString(), state, log);
            try {
                awaitZeroLag(s);
                try (WriteLoad load = WriteLoad.start(src.uri(), 11, 40_000)) {
                    Thread.sleep(700);
                    ferry.destroyForcibly().waitFor(); // SIGKILL mid-stream
                    load.awaitDone();
                }
                assertThat(t.call("KEYS", "__ferry_checkpoint:*").asList()).as("target-side lane checkpoints left by the crash").isNotEmpty();
                ferry = startFerry(src.uri().toString(), dst.uri().toString(), state, log);
                awaitZeroLag(s);
                SyncHarness.assertSame(s, t);
            } finally {
                ferry.destroy();
                ferry.waitFor();
            }
            String out = Files.readString(log);
            assertThat(out).contains("partial resync");
            assertThat(out.split("full sync: receiving the snapshot", -1)).as("full syncs in:\n" + out).hasSize(2);
            assertThat(out).doesNotContain("NEW FULL SYNC");
        }
    }
}
