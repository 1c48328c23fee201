package io.ferry.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ferry.resp.PipelinedConnection;
import io.ferry.resp.RedisConnection;
import io.ferry.testing.NutcrackerProcess;
import io.ferry.testing.RedisServerProcess;
import io.ferry.testing.TwemproxyPool;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exactly-once into a twemproxy pool: Ferry killed with SIGKILL twice while counters (INCR,
 * HINCRBY), lists (RPUSH) and blocks that span backends flow, restarted each time on the same
 * state directory; every lane resumes from the checkpoint on its own backend, and every counter
 * and list read back through nutcracker is exact.
 */
@Timeout(240)
class SyncTwemproxyKillIT {
    @BeforeAll
    static void nutcracker() {
        assumeTrue(NutcrackerProcess.available(), "nutcracker is not installed (apt-get install nutcracker)");
    }

    @Test
    void killedTwiceAndRestartedEveryCounterIsExact(@TempDir Path tmp) throws Exception {
        Path log = tmp.resolve("ferry.log");
        Path state = tmp.resolve("state");
        try (RedisServerProcess src = RedisServerProcess.start("repl-diskless-sync-delay 0", "repl-backlog-size 64mb");
                RedisConnection s = src.connection();
                TwemproxyPool pool = new TwemproxyPool(tmp.resolve("pool"), true, "hash: fnv1a_64", "distribution: ketama", "hash_tag: \"{}\"")) {
            for (int i = 0; i < 500; i++) {
                s.call("SET", "pre:" + i, "v" + i);
            }
            int statusPort = io.ferry.testing.FreePorts.pick();
            Process ferry = SyncKillIT.startFerry(src.uri().toString(), pool.spec(), state, log, statusPort);
            try {
                SyncKillIT.awaitZeroLag(s);
                for (int round = 0; round < 2; round++) {
                    long seed = round;
                    Thread load = new Thread(() -> load(src, 60_000, seed), "load");
                    load.start();
                    Thread.sleep(300);
                    assertThat(load.isAlive()).as("the load still runs when Ferry is killed").isTrue();
                    ferry.destroyForcibly().waitFor(); // SIGKILL mid-stream
                    load.join();
                    ferry = SyncKillIT.startFerry(src.uri().toString(), pool.spec(), state, log, statusPort);
                    SyncKillIT.awaitZeroLag(s);
                }
                String out = Files.readString(log);
                assertThat(out.split("full sync: receiving the snapshot", -1)).as("full syncs in:\n" + out).hasSize(2);
                pool.assertSameThroughProxy(s);
            } finally {
                ferry.destroyForcibly().waitFor();
            }
        }
    }

    private static byte[][] cmd(String... a) {
        byte[][] r = new byte[a.length][];
        for (int i = 0; i < a.length; i++) {
            r[i] = a[i].getBytes(StandardCharsets.UTF_8);
        }
        return r;
    }

    /** Non-idempotent writes: a lost or doubled one shows in a counter or a list. */
    private static void load(RedisServerProcess src, int ops, long seed) {
        Random rnd = new Random(seed);
        try (PipelinedConnection c = new PipelinedConnection(RedisConnection.open(src.uri(), null, Duration.ofSeconds(5)), 1000, 1 << 20)) {
            for (int i = 0; i < ops; i++) {
                int k = rnd.nextInt(60);
                switch (rnd.nextInt(6)) {
                    case 0 -> c.send(cmd("INCR", "ctr:" + k), r -> {});
                    case 1 -> c.send(cmd("RPUSH", "list:" + k, Integer.toString(i)), r -> {});
                    case 2 -> c.send(cmd("HINCRBY", "h:" + k, "f" + k % 3, "1"), r -> {});
                    case 3 -> {
                        c.send(cmd("MULTI"), r -> {});
                        c.send(cmd("INCR", "tx:a:" + k), r -> {});
                        c.send(cmd("RPUSH", "tx:b:" + k, Integer.toString(i)), r -> {});
                        c.send(cmd("INCR", "{g" + k % 5 + "}:c"), r -> {});
                        c.send(cmd("EXEC"), r -> {});
                    }
                    case 4 -> c.send(cmd("EVAL", "redis.call('incr', KEYS[1]); return redis.call('rpush', KEYS[2], ARGV[1])", "2",
                            "{e" + k % 4 + "}:n", "{e" + k % 4 + "}:l", Integer.toString(i)), r -> {});
                    default -> c.send(cmd("MSET", "m:" + k, Integer.toString(i), "m:" + (k + 1), Integer.toString(i)), r -> {});
                }
                if (i % 200 == 0) {
                    c.flush();
                    Thread.sleep(1);
                }
            }
            c.drain();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
