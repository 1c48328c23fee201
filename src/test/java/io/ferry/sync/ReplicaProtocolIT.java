package io.ferry.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.filter.KeyFilter;
import io.ferry.resp.RedisConnection;
import io.ferry.testing.FreePorts;
import io.ferry.testing.RedisServerProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.IntUnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Replica-protocol situations a real source produces: -NOMASTERLINK, and REPLCONF GETACK from WAIT. */
@Timeout(120)
class ReplicaProtocolIT {
    /**
     * A source that is itself a replica with its master link down answers PSYNC with -NOMASTERLINK;
     * Ferry waits and retries, and syncs once the source can serve (here: it is promoted).
     */
    @Test
    void sourceWithoutItsMasterLinkIsRetriedUntilItServes(@TempDir Path state) throws Exception {
        try (RedisServerProcess src = RedisServerProcess.start("repl-diskless-sync-delay 0"); RedisServerProcess dst = RedisServerProcess.start();
                RedisConnection s = src.connection(); RedisConnection t = dst.connection()) {
            s.call("SET", "before", "1");
            s.call("REPLICAOF", "127.0.0.1", Integer.toString(FreePorts.pick())); // a master that does not exist
            try (SyncHarness sync = new SyncHarness(src.uri(), dst.uri(), state)) {
                Thread.sleep(2500); // Ferry meets -NOMASTERLINK and retries every second
                assertThat(sync.session.stats().fullSyncs.sum()).as("no sync while the source has no master link").isZero();
                assertThat(sync.failure).isNull();
                s.call("REPLICAOF", "NO", "ONE");
                s.call("SET", "after", "2");
                sync.awaitZeroLag(s, Duration.ofSeconds(30));
                SyncHarness.assertSame(s, t);
                assertThat(sync.session.stats().fullSyncs.sum()).isEqualTo(1);
            }
        }
    }

    /**
     * WAIT on the source makes it send REPLCONF GETACK; Ferry answers with an ACK as soon as what
     * came before is applied on the target, not at its next ACK interval (30 s here).
     */
    @Test
    void waitOnTheSourceIsAnsweredOnceTheWriteIsApplied(@TempDir Path state) throws Exception {
        try (RedisServerProcess src = RedisServerProcess.start("repl-diskless-sync-delay 0"); RedisServerProcess dst = RedisServerProcess.start();
                RedisConnection s = src.connection(); RedisConnection t = dst.connection()) {
            s.call("SET", "seed", "1");
            try (SyncHarness sync = new SyncHarness(src.uri(), dst.uri(), state, KeyFilter.ALL, IntUnaryOperator.identity(), Duration.ofSeconds(30))) {
                for (int i = 0; i < 200 && !sync.session.stats().state.equals("incremental"); i++) {
                    Thread.sleep(50);
                }
                assertThat(sync.session.stats().state).isEqualTo("incremental");
                for (int i = 0; i < 5; i++) {
                    s.call("INCR", "counter");
                    s.call("RPUSH", "list", "e" + i);
                    long t0 = System.nanoTime();
                    long acked = s.call("WAIT", "1", "10000").asLong();
                    long ms = (System.nanoTime() - t0) / 1_000_000;
                    assertThat(acked).as("replicas that acknowledged write %d", i).isEqualTo(1);
                    assertThat(ms).as("WAIT answered within 5 s (the ACK interval is 30 s)").isLessThan(5000);
                    // WAIT returned: the write is on the target already.
                    assertThat(t.call("GET", "counter").asString()).isEqualTo(Integer.toString(i + 1));
                    assertThat(t.call("LLEN", "list").asLong()).isEqualTo(i + 1);
                }
            }
        }
    }
}
