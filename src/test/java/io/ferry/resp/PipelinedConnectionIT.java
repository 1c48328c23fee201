package io.ferry.resp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.testing.RedisServerProcess;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The drain contract of {@link PipelinedConnection}: when drain returns (or throws), every callback has run. */
@Timeout(60)
class PipelinedConnectionIT {
    static byte[][] argv(String... a) {
        return RespWriter.utf8(a);
    }

    @Test
    void drainReturnsOnlyAfterTheLastCallbackRan() {
        try (RedisServerProcess server = RedisServerProcess.start();
                PipelinedConnection p = new PipelinedConnection(RedisConnection.open(server.uri(), null, Duration.ofSeconds(5)), 100, 1 << 20)) {
            AtomicInteger replies = new AtomicInteger();
            for (int i = 0; i < 999; i++) {
                p.send(argv("PING"), r -> replies.incrementAndGet());
            }
            AtomicBoolean lastDone = new AtomicBoolean();
            p.send(argv("PING"), r -> {
                LockSupport.parkNanos(Duration.ofMillis(300).toNanos()); // a slow callback
                lastDone.set(true);
            });
            p.drain();
            assertThat(lastDone).as("last callback finished before drain returned").isTrue();
            assertThat(replies).hasValue(999);
        }
    }

    @Test
    void drainOnADeadConnectionThrowsOnlyAfterEveryCallbackGotTheFailure() {
        int n = 3000;
        try (RedisServerProcess server = RedisServerProcess.start(); RedisConnection admin = server.connection()) {
            PipelinedConnection p = new PipelinedConnection(RedisConnection.open(server.uri(), null, Duration.ofSeconds(5)), 2 * n, 1 << 26);
            admin.call("CLIENT", "PAUSE", "60000", "WRITE");
            AtomicInteger failures = new AtomicInteger();
            AtomicInteger replies = new AtomicInteger();
            ReplyCallback cb = new ReplyCallback() {
                @Override
                public void onReply(Reply r) {
                    replies.incrementAndGet();
                }

                @Override
                public void onFailure(Throwable cause) {
                    LockSupport.parkNanos(50_000); // slow failure handling widens any race
                    failures.incrementAndGet();
                }
            };
            for (int i = 0; i < n; i++) {
                p.send(argv("SET", "k" + i, "v"), cb);
            }
            p.flush();
            server.kill();
            assertThatThrownBy(p::drain).isInstanceOf(RedisException.class);
            assertThat(failures.get() + replies.get()).as("callbacks notified when drain threw").isEqualTo(n);
            p.close();
        }
    }
}
