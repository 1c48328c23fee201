package io.ferry.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.check.CheckOptions;
import io.ferry.check.CheckResult;
import io.ferry.check.CheckSession;
import io.ferry.check.Topology;
import io.ferry.resp.RedisConnection;
import io.ferry.testing.RedisServerProcess;
import io.ferry.testing.WriteLoad;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ferry check} during a live {@code ferry sync} under a write load: the first round runs while writes are in
 * flight; once the load stops, the later rounds settle every difference away.
 */
@Timeout(180)
class CheckLiveSyncIT {
    @Test
    void aLiveSyncUnderLoadConvergesToNoDifferencesOverTheRounds(@TempDir Path state) throws Exception {
        try (RedisServerProcess src = RedisServerProcess.start("repl-diskless-sync-delay 0");
                RedisServerProcess dst = RedisServerProcess.start(); RedisConnection s = src.connection()) {
            for (int i = 0; i < 5000; i++) {
                s.call("SET", "seed:" + i, "value-" + i);
            }
            try (SyncHarness sync = new SyncHarness(src.uri(), dst.uri(), state)) {
                sync.awaitZeroLag(s, Duration.ofSeconds(60));
                WriteLoad load = WriteLoad.start(src.uri(), 7, Long.MAX_VALUE);
                Thread.sleep(300);
                CheckOptions opt = CheckOptions.of(Topology.standalone(src.uri()), null, Topology.standalone(dst.uri()))
                        .withRounds(5, Duration.ofSeconds(1));
                List<Integer> differing = new ArrayList<>();
                CheckResult result = new CheckSession(opt).onRoundEnd((round, diffs) -> {
                    differing.add(diffs.size());
                    if (round == 1) {
                        try {
                            load.close(); // the writes stop; the sync catches up before round 2
                            sync.awaitZeroLag(s, Duration.ofSeconds(60)); // on a busy host this can take longer than an interval
                        } catch (Exception e) {
                            throw new AssertionError(e);
                        }
                    }
                }).run();
                assertThat(load.ops()).isPositive();
                assertThat(result.checkedTotal()).isGreaterThanOrEqualTo(5000);
                assertThat(result.differences()).as("differences per round: %s", differing).isEmpty();
                assertThat(result.identical()).isTrue();
            }
        }
    }
}
