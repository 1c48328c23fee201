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
    static Process startFerry(String src, String dst, Path state, Path log, int statusPort, String... extra) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-cp", System.getProperty("java.class.path"), "io.ferry.cli.Main", "sync", "-s", src, "-t", dst,
                "--state-dir", state.toString(), "--ack-interval", "100", "--lanes", "4", "--status-port", Integer.toString(statusPort)));
        cmd.addAll(List.of(extra));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    }

    /** The offset the replica (Ferry) last acked, from the source's INFO replication. */
    static long ackedOffset(RedisConnection source) {
        Matcher m = Pattern.compile("slave0:.*offset=(\\d+)").matcher(source.call("INFO", "replication").asString());
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    static void awaitZeroLag(RedisConnection source) throws InterruptedException {
        for (int i = 0; i < 600; i++) {
            long master = Long.parseLong(source.infoField("replication", "master_repl_offset"));
            if (ackedOffset(source) >= master && master > 0) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("Ferry did not catch up: acked " + ackedOffset(source));
    }

    /** The log of every run so far, after checking that only the first run made a full sync. */
    private static String logWithOneFullSync(Path log) throws java.io.IOException {
        String out = Files.readString(log);
        assertThat(out.split("full sync: receiving the snapshot", -1)).as("full syncs in:\n" + out).hasSize(2);
        return out;
    }

    /** Starts Ferry again on the same state directory and waits until the target equals the source. */
    private static Process restartAndAwaitIdentical(String src, String dst, Path state, Path log, int statusPort, RedisConnection s,
            RedisConnection t) throws Exception {
        Process ferry = startFerry(src, dst, state, log, statusPort);
        awaitZeroLag(s);
        try {
            SyncHarness.assertSame(s, t);
        } catch (AssertionError e) {
            // The runs' log (resume points, reconnects) is what tells a lost or doubled write apart.
            List<String> lines = Files.readAllLines(log);
            e.addSuppressed(new AssertionError("Ferry's log:\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 200), lines.size()))));
            throw e;
        }
        return ferry;
    }

    /** The status port answers /status (JSON) with the live numbers, and INFO over RESP. */
    private static void assertStatus(int port, long masterOffset) throws Exception {
        var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(http(port, "/status"));
        assertThat(json.get("state").asText()).isEqualTo("incremental");
        assertThat(json.get("applied_offset").asLong()).isGreaterThan(0).isLessThanOrEqualTo(masterOffset);
        assertThat(json.get("partial_syncs").asLong()).isEqualTo(1);
        assertThat(http(port, "/metrics")).contains("ferry_applied_offset ").contains("ferry_ops_applied_total ");
        try (RedisConnection info = RedisConnection.open(io.ferry.resp.RedisUri.parse("redis://127.0.0.1:" + port), null, java.time.Duration.ofSeconds(5))) {
            assertThat(info.call("INFO").asString()).contains("state:incremental").contains("lag_bytes:");
        }
    }

    private static String http(int port, String path) throws Exception {
        try (java.net.Socket sock = new java.net.Socket("127.0.0.1", port)) {
            sock.getOutputStream().write(("GET " + path + " HTTP/1.0\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            String resp = new String(sock.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(resp).startsWith("HTTP/1.");
            return resp.substring(resp.indexOf("\r\n\r\n") + 4);
        }
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
            int statusPort = io.ferry.testing.FreePorts.pick();
            Process ferry = startFerry(src.uri().toString(), dst.uri().toString(), state, log, statusPort);
            try {
                awaitZeroLag(s);
                try (WriteLoad load = WriteLoad.start(src.uri(), 11, 40_000)) {
                    Thread.sleep(700);
                    ferry.destroyForcibly().waitFor(); // SIGKILL mid-stream
                    load.awaitDone();
                }
                assertThat(t.call("KEYS", "__ferry_checkpoint:*").asList()).as("target-side lane checkpoints left by the crash").isNotEmpty();
                ferry = restartAndAwaitIdentical(src.uri().toString(), dst.uri().toString(), state, log, statusPort, s, t);
                assertStatus(statusPort, Long.parseLong(s.infoField("replication", "master_repl_offset")));

                ferry.destroy(); // SIGTERM: drain, checkpoint, exit 0
                assertThat(ferry.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
                assertThat(ferry.exitValue()).as("exit status after SIGTERM").isZero();
                assertThat(t.call("KEYS", "__ferry_checkpoint:*").asList()).as("checkpoint keys after a clean stop").isEmpty();
                assertThat(Files.readString(state.resolve("checkpoint.json"))).contains("\"clean\":true");
            } finally {
                ferry.destroyForcibly();
                ferry.waitFor();
            }
            assertThat(logWithOneFullSync(log)).contains("partial resync").doesNotContain("NEW FULL SYNC");
        }
    }

    /**
     * The source selects a db once per change, not per replica: a stream resumed after a crash
     * starts without the SELECT that preceded it. Every write here goes to db 5 behind a single
     * SELECT, so a resume that forgot the db would write to db 0.
     */
    @Test
    void resumeAfterAKillKeepsTheSelectedDb(@TempDir Path tmp) throws Exception {
        Path log = tmp.resolve("ferry.log");
        Path state = tmp.resolve("state");
        try (RedisServerProcess src = RedisServerProcess.start("repl-diskless-sync-delay 0", "repl-backlog-size 64mb");
                RedisServerProcess dst = RedisServerProcess.start(); RedisConnection s = src.connection(); RedisConnection t = dst.connection();
                RedisConnection writer = src.connection()) {
            s.call("SET", "pre", "1");
            int statusPort = io.ferry.testing.FreePorts.pick();
            Process ferry = startFerry(src.uri().toString(), dst.uri().toString(), state, log, statusPort);
            try {
                awaitZeroLag(s);
                writer.call("SELECT", "5");
                Thread load = new Thread(() -> {
                    for (int i = 0; i < 30_000; i++) {
                        writer.call("INCR", "db5:counter");
                        writer.call("RPUSH", "db5:list:" + (i % 50), Integer.toString(i));
                    }
                });
                load.start();
                Thread.sleep(800);
                ferry.destroyForcibly().waitFor(); // SIGKILL mid-stream, well after the only SELECT
                load.join();
                ferry = startFerry(src.uri().toString(), dst.uri().toString(), state, log, statusPort);
                awaitZeroLag(s);
                t.call("SELECT", "0");
                assertThat(t.call("KEYS", "db5:*").asList()).as("db-5 keys written to db 0 after the resume").isEmpty();
                SyncHarness.assertSame(s, t);
            } finally {
                ferry.destroyForcibly();
                ferry.waitFor();
            }
            assertThat(Files.readString(log)).contains("partial resync").contains("(db 5)");
        }
    }

    /**
     * A source failover while Ferry streams: the source is a replica; it is promoted (REPLICAOF NO
     * ONE), which gives it a new replication id and drops its replicas; Ferry continues with
     * +CONTINUE and the new id. Killed later and restarted, it still trusts the lane checkpoints
     * it wrote before the failover and after it: a partial resync, nothing doubled.
     */
    @Test
    void sourceFailoverThenKillStillResumesExactlyOnce(@TempDir Path tmp) throws Exception {
        Path log = tmp.resolve("ferry.log");
        Path state = tmp.resolve("state");
        String[] conf = {"repl-diskless-sync-delay 0", "repl-backlog-size 64mb"};
        try (RedisServerProcess master = RedisServerProcess.start(conf); RedisServerProcess src = RedisServerProcess.start(conf);
                RedisServerProcess dst = RedisServerProcess.start(); RedisConnection m = master.connection();
                RedisConnection s = src.connection(); RedisConnection t = dst.connection()) {
            s.call("REPLICAOF", "127.0.0.1", Integer.toString(master.port()));
            for (int i = 0; i < 200 && !s.infoField("replication", "master_link_status").equals("up"); i++) {
                Thread.sleep(50);
            }
            for (int i = 0; i < 1000; i++) {
                m.call("SET", "pre:" + i, "v" + i);
            }
            int statusPort = io.ferry.testing.FreePorts.pick();
            Process ferry = startFerry(src.uri().toString(), dst.uri().toString(), state, log, statusPort);
            try {
                try (WriteLoad load = WriteLoad.start(master.uri(), 21, 10_000)) {
                    load.awaitDone();
                }
                awaitZeroLag(s);
                String oldId = s.infoField("replication", "master_replid");
                s.call("REPLICAOF", "NO", "ONE"); // failover: a new replication id, replicas dropped
                assertThat(s.infoField("replication", "master_replid")).isNotEqualTo(oldId);
                try (WriteLoad load = WriteLoad.start(src.uri(), 22, 40_000)) {
                    Thread.sleep(900);
                    ferry.destroyForcibly().waitFor(); // SIGKILL after the failover, mid-stream
                    load.awaitDone();
                }
                ferry = restartAndAwaitIdentical(src.uri().toString(), dst.uri().toString(), state, log, statusPort, s, t);
            } finally {
                ferry.destroyForcibly();
                ferry.waitFor();
            }
            assertThat(logWithOneFullSync(log)).contains("source link restored").contains("partial resync");
        }
    }

    /**
     * The source's backlog is tiny (16 kB) and the target slow, so Ferry has received far more than
     * it has applied when it is killed. Restarted, it replays the rest from its local spool and asks
     * the source only for what follows: no second full sync, target identical.
     */
    @Test
    void restartReplaysTheLocalSpoolWhenTheSourceBacklogNoLongerHasTheAppliedOffset(@TempDir Path tmp) throws Exception {
        Path log = tmp.resolve("ferry.log");
        Path state = tmp.resolve("state");
        try (RedisServerProcess src = RedisServerProcess.start("repl-diskless-sync-delay 0", "repl-backlog-size 16kb");
                RedisServerProcess dst = RedisServerProcess.start(); io.ferry.testing.TcpProxy slowTarget = new io.ferry.testing.TcpProxy(dst.port());
                RedisConnection s = src.connection(); RedisConnection t = dst.connection()) {
            for (int i = 0; i < 1000; i++) {
                s.call("SET", "pre:" + i, "v" + i);
            }
            String target = "redis://127.0.0.1:" + slowTarget.port();
            int statusPort = io.ferry.testing.FreePorts.pick();
            Process ferry = startFerry(src.uri().toString(), target, state, log, statusPort);
            try {
                awaitZeroLag(s);
                slowTarget.throttleToServer(20_000); // the target takes almost nothing while the load runs
                try (WriteLoad load = WriteLoad.start(src.uri(), 31, 20_000)) {
                    load.awaitDone();
                }
                long master = Long.parseLong(s.infoField("replication", "master_repl_offset"));
                var json = new com.fasterxml.jackson.databind.ObjectMapper();
                for (int i = 0; i < 200 && json.readTree(http(statusPort, "/status")).get("source_offset").asLong() < master; i++) {
                    Thread.sleep(50);
                }
                assertThat(json.readTree(http(statusPort, "/status")).get("source_offset").asLong()).as("all received").isEqualTo(master);
                assertThat(master - ackedOffset(s)).as("bytes received but not applied, far beyond the 16 kB backlog").isGreaterThan(200_000);
                ferry.destroyForcibly().waitFor();
                slowTarget.throttleToServer(0);
                ferry = restartAndAwaitIdentical(src.uri().toString(), target, state, log, statusPort, s, t);
            } finally {
                ferry.destroyForcibly();
                ferry.waitFor();
            }
            assertThat(logWithOneFullSync(log)).contains("from the local spool").contains("partial resync").doesNotContain("NEW FULL SYNC");
        }
    }

    /**
     * With --no-second-full-sync, a restart that finds the source's backlog gone (writes went on
     * while Ferry was down, past a 16 kB backlog) stops with one clear line and exit 1 instead of
     * copying everything again over a target that may hold deleted keys; and a second sync on the
     * same state directory is refused while one runs.
     */
    @Test
    void noSecondFullSyncStopsWithOneClearLineAndTheStateDirIsExclusive(@TempDir Path tmp) throws Exception {
        Path log = tmp.resolve("ferry.log");
        Path state = tmp.resolve("state");
        try (RedisServerProcess src = RedisServerProcess.start("repl-diskless-sync-delay 0", "repl-backlog-size 16kb");
                RedisServerProcess dst = RedisServerProcess.start(); RedisConnection s = src.connection()) {
            s.call("SET", "pre", "1");
            int statusPort = io.ferry.testing.FreePorts.pick();
            Process ferry = startFerry(src.uri().toString(), dst.uri().toString(), state, log, statusPort, "--no-second-full-sync");
            try {
                awaitZeroLag(s);
                Path log2 = tmp.resolve("second.log");
                Process second = startFerry(src.uri().toString(), dst.uri().toString(), state, log2, io.ferry.testing.FreePorts.pick());
                assertThat(second.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
                assertThat(second.exitValue()).isEqualTo(1);
                assertThat(Files.readString(log2)).contains("another ferry sync is using the state directory").doesNotContain("\tat ");

                ferry.destroyForcibly().waitFor();
                for (int i = 0; i < 2000; i++) {
                    s.call("SET", "while-down:" + i, "x".repeat(50)); // ~150 kB of stream: past the 16 kB backlog
                }
                ferry = startFerry(src.uri().toString(), dst.uri().toString(), state, log, statusPort, "--no-second-full-sync");
                assertThat(ferry.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).as("Ferry stops by itself").isTrue();
                assertThat(ferry.exitValue()).isEqualTo(1);
            } finally {
                ferry.destroyForcibly();
                ferry.waitFor();
            }
            assertThat(logWithOneFullSync(log)).contains("--no-second-full-sync forbids a new full sync").doesNotContain("\tat ");
        }
    }
}
