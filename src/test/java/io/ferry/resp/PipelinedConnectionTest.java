package io.ferry.resp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.testing.RedisServerProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(120)
class PipelinedConnectionTest {
    private static RedisServerProcess server;

    @BeforeAll
    static void startServer() {
        server = RedisServerProcess.start();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @Test
    void pipelinesOneHundredThousandSetsAndReadsThemBackInOrder() {
        int n = 100_000;
        RedisUri uri = server.uri().withDb(1);
        Queue<String> problems = new ConcurrentLinkedQueue<>();
        AtomicInteger ok = new AtomicInteger();
        try (PipelinedConnection p = pipeline(uri, 1000, 256 * 1024)) {
            for (int i = 0; i < n; i++) {
                int k = i;
                p.send(argv("SET", "key:" + i, "value:" + i), r -> {
                    if (r == Reply.OK) {
                        ok.incrementAndGet();
                    } else {
                        problems.add("SET " + k + ": " + r);
                    }
                });
            }
            p.drain();
        }
        assertThat(problems).isEmpty();
        assertThat(ok).hasValue(n);

        try (RedisConnection c = open(uri)) {
            assertThat(c.call("DBSIZE").asLong()).isEqualTo(n);
            assertThat(c.call("GET", "key:0").asString()).isEqualTo("value:0");
            assertThat(c.call("GET", "key:54321").asString()).isEqualTo("value:54321");
            assertThat(c.call("GET", "key:" + (n - 1)).asString()).isEqualTo("value:" + (n - 1));
        }

        // Each callback knows which key it asked for, so any mismatch in FIFO matching shows up.
        AtomicInteger matched = new AtomicInteger();
        try (PipelinedConnection p = pipeline(uri, 5000, 1 << 20)) {
            for (int i = 0; i < n; i++) {
                String expected = "value:" + i;
                p.send(argv("GET", "key:" + i), r -> {
                    if (expected.equals(r.asString())) {
                        matched.incrementAndGet();
                    } else {
                        problems.add("GET " + expected + ": " + r);
                    }
                });
            }
            p.drain();
        }
        assertThat(problems).isEmpty();
        assertThat(matched).hasValue(n);
    }

    @Test
    void inFlightCommandsStayWithinTheCountWindow() {
        RedisUri uri = server.uri().withDb(2);
        try (PipelinedConnection p = pipeline(uri, 8, 1 << 20)) {
            for (int i = 0; i < 5000; i++) {
                p.send(argv("INCR", "window:count"), r -> { });
                assertThat(p.inFlight()).isLessThanOrEqualTo(8);
            }
            p.drain();
            assertThat(p.inFlight()).isZero();
        }
        try (RedisConnection c = open(uri)) {
            assertThat(c.call("GET", "window:count").asLong()).isEqualTo(5000);
        }
    }

    @Test
    void inFlightBytesStayWithinTheByteWindow() {
        RedisUri uri = server.uri().withDb(2);
        byte[][] command = argv("SET", "window:bytes", "v".repeat(100));
        long size = RespWriter.encodedSize(command);
        try (PipelinedConnection p = pipeline(uri, 10_000, 1000)) {
            for (int i = 0; i < 3000; i++) {
                p.send(command, r -> { });
                assertThat(p.inFlight() * size).isLessThanOrEqualTo(1000);
            }
            p.drain();
        }
    }

    @Test
    void commandLargerThanTheByteWindowIsStillSent() throws InterruptedException {
        RedisUri uri = server.uri().withDb(2);
        String big = "b".repeat(100_000);
        try (PipelinedConnection p = pipeline(uri, 10, 100)) {
            Outcome set = new Outcome();
            Outcome get = new Outcome();
            p.send(argv("SET", "window:big", big), set);
            p.send(argv("GET", "window:big"), get);
            p.drain();
            assertThat(set.reply).isSameAs(Reply.OK);
            assertThat(get.reply.asString()).isEqualTo(big);
        }
    }

    @Test
    void sendBlocksWhileTheWindowIsFull() throws InterruptedException {
        RedisUri uri = server.uri().withDb(3);
        Outcome blpop = new Outcome();
        Outcome ping = new Outcome();
        Outcome third = new Outcome();
        try (PipelinedConnection p = pipeline(uri, 2, 1 << 20)) {
            p.send(argv("BLPOP", "bp:queue", "0"), blpop);
            p.send(argv("PING"), ping);
            // The producer role moves to this thread; start() orders it after the sends above.
            Thread producer = new Thread(() -> p.send(argv("PING"), third), "producer");
            producer.start();
            awaitTrue(() -> producer.getState() == Thread.State.WAITING, "producer blocks on the full window");
            Thread.sleep(200);
            assertThat(producer.getState()).isEqualTo(Thread.State.WAITING);
            assertThat(third.notifications).hasValue(0);

            try (RedisConnection c = open(uri)) {
                c.call("LPUSH", "bp:queue", "item");
            }
            producer.join(10_000);
            assertThat(producer.isAlive()).isFalse();
            p.drain();
        }
        assertThat(blpop.reply).isEqualTo(Reply.array(List.of(Reply.bulk("bp:queue"), Reply.bulk("item"))));
        assertThat(ping.reply).isSameAs(Reply.PONG);
        assertThat(third.reply).isSameAs(Reply.PONG);
    }

    @Test
    void commandsWaitInTheBufferUntilFlush() throws InterruptedException {
        RedisUri uri = server.uri().withDb(4);
        try (PipelinedConnection p = pipeline(uri, 100, 1 << 20); RedisConnection c = open(uri)) {
            Outcome incr = new Outcome();
            p.send(argv("INCR", "flush:counter"), incr);
            Thread.sleep(200);
            assertThat(c.call("GET", "flush:counter").isNull()).isTrue();
            p.flush();
            assertThat(incr.await()).isTrue();
            assertThat(incr.reply).isEqualTo(Reply.integer(1));
        }
    }

    @Test
    void aFullBufferIsFlushedWithoutBeingAsked() throws InterruptedException {
        RedisUri uri = server.uri().withDb(4);
        CountDownLatch replies = new CountDownLatch(100);
        try (PipelinedConnection p = pipeline(uri, 10_000, 16 << 20)) {
            for (int i = 0; i < 1000; i++) { // about 140 KiB, more than the 64 KiB flush threshold
                p.send(argv("SET", "auto:" + i, "x".repeat(100)), r -> replies.countDown());
            }
            assertThat(replies.await(10, TimeUnit.SECONDS)).isTrue();
            p.drain();
        }
    }

    @Test
    void serverKilledWithCommandsPendingFailsEveryCallbackAndEverySend() throws InterruptedException {
        try (RedisServerProcess doomed = RedisServerProcess.start(); RedisConnection observer = doomed.connection()) {
            PipelinedConnection p = new PipelinedConnection(doomed.connection(), 1000, 1 << 20);
            List<Outcome> pending = new ArrayList<>();
            for (int i = 0; i <= 100; i++) {
                Outcome o = new Outcome();
                pending.add(o);
                // The BLPOP blocks the server's handling of this client, so the SETs queue up behind it.
                p.send(i == 0 ? argv("BLPOP", "kill:queue", "0") : argv("SET", "kill:" + i, "x"), o);
            }
            p.flush();
            awaitTrue(() -> "1".equals(observer.infoField("clients", "blocked_clients")), "BLPOP blocks");

            doomed.kill();

            for (Outcome o : pending) {
                assertThat(o.await()).isTrue();
                assertThat(o.reply).isNull();
                assertThat(o.failure).isInstanceOf(ConnectionLostException.class)
                        .hasMessageStartingWith("connection to 127.0.0.1:" + doomed.port() + " lost: ");
            }
            assertThatThrownBy(p::drain).isInstanceOf(ConnectionLostException.class);

            Outcome late = new Outcome();
            assertThatThrownBy(() -> p.send(argv("PING"), late))
                    .isInstanceOf(ConnectionLostException.class)
                    .hasMessageStartingWith("connection to 127.0.0.1:" + doomed.port() + " lost: ");
            assertThat(late.failure).isInstanceOf(ConnectionLostException.class);

            // A plain lambda learns about the failure through an error reply.
            AtomicReference<Reply> lambdaReply = new AtomicReference<>();
            assertThatThrownBy(() -> p.send(argv("PING"), lambdaReply::set)).isInstanceOf(RedisException.class);
            assertThat(lambdaReply.get().isError()).isTrue();
            assertThat(lambdaReply.get().toString()).contains("lost");

            p.close();
            for (Outcome o : pending) {
                assertThat(o.notifications).hasValue(1);
            }
        }
    }

    @Test
    void serverKilledDuringAStreamOfSendsNotifiesEachCallbackExactlyOnce() throws InterruptedException {
        try (RedisServerProcess doomed = RedisServerProcess.start()) {
            PipelinedConnection p = new PipelinedConnection(doomed.connection(), 500, 1 << 20);
            AtomicLong replies = new AtomicLong();
            List<CountingOutcome> outcomes = new ArrayList<>();
            Thread killer = new Thread(() -> {
                try {
                    while (replies.get() < 20_000) {
                        Thread.sleep(1);
                    }
                } catch (InterruptedException e) {
                    return;
                }
                doomed.kill();
            }, "killer");
            killer.setDaemon(true);
            killer.start();

            RedisException thrown = null;
            for (int i = 0; i < 50_000_000 && thrown == null; i++) {
                CountingOutcome o = new CountingOutcome(replies);
                outcomes.add(o);
                try {
                    p.send(argv("SET", "stream:" + (i % 1000), "v"), o);
                } catch (RedisException e) {
                    thrown = e;
                }
            }
            killer.join(10_000);

            assertThat(thrown).isInstanceOf(ConnectionLostException.class)
                    .hasMessageStartingWith("connection to 127.0.0.1:" + doomed.port() + " lost: ");
            awaitTrue(() -> outcomes.stream().allMatch(o -> o.notifications.get() > 0), "every callback notified");
            assertThat(outcomes).allSatisfy(o -> assertThat(o.notifications).hasValue(1));
            assertThat(outcomes.stream().filter(o -> o.failed).count()).isPositive();
            assertThat(outcomes.stream().filter(o -> !o.failed).count()).isGreaterThanOrEqualTo(20_000);
            p.close();
        }
    }

    @Test
    void garbageFromTheServerFailsPendingCallbacksWithAProtocolError() throws Exception {
        Function<List<String>, String> replies = cmd -> cmd.get(0).equals("BAD") ? "?garbage" : "+OK";
        try (FakeRedisServer fake = new FakeRedisServer(replies)) {
            RedisUri uri = RedisUri.parse("127.0.0.1:" + fake.port());
            PipelinedConnection p = pipeline(uri, 100, 1 << 20);
            Outcome good = new Outcome();
            Outcome bad = new Outcome();
            Outcome after = new Outcome();
            p.send(argv("SET", "a", "b"), good);
            p.send(argv("BAD"), bad);
            p.send(argv("SET", "c", "d"), after);
            assertThatThrownBy(p::drain).isInstanceOf(ProtocolException.class)
                    .hasMessage("127.0.0.1:" + fake.port() + ": unexpected reply type byte 0x3f in line '?garbage'");
            assertThat(good.reply).isSameAs(Reply.OK);
            assertThat(bad.failure).isInstanceOf(ProtocolException.class);
            assertThat(after.await()).isTrue();
            assertThat(after.failure).isInstanceOf(ProtocolException.class);
            p.close();
        }
    }

    @Test
    void aThrowingCallbackFailsThePipelineWithItsCause() throws InterruptedException {
        try (PipelinedConnection p = pipeline(server.uri(), 100, 1 << 20)) {
            Outcome next = new Outcome();
            p.send(argv("PING"), r -> {
                throw new IllegalStateException("boom");
            });
            p.send(argv("PING"), next);
            assertThatThrownBy(p::drain).isInstanceOf(RedisException.class)
                    .hasMessageContaining("reply callback")
                    .hasRootCauseMessage("boom");
            assertThat(next.await()).isTrue();
            assertThat(next.failure).isInstanceOf(RedisException.class).hasRootCauseMessage("boom");
            assertThatThrownBy(() -> p.send(argv("PING"), r -> { })).hasRootCauseMessage("boom");
        }
    }

    @Test
    void idlePipelineDoesNotTimeOutButAnUnansweredCommandDoes() throws InterruptedException {
        RedisConnection c = open(server.uri().withDb(5));
        c.readTimeout(Duration.ofMillis(300));
        try (PipelinedConnection p = new PipelinedConnection(c, 100, 1 << 20)) {
            Outcome first = new Outcome();
            p.send(argv("PING"), first);
            p.drain();
            assertThat(first.reply).isSameAs(Reply.PONG);

            Thread.sleep(1000); // idle for several read timeouts

            Outcome second = new Outcome();
            p.send(argv("PING"), second);
            p.drain();
            assertThat(second.reply).isSameAs(Reply.PONG);

            Outcome stuck = new Outcome();
            p.send(argv("BLPOP", "timeout:never", "0"), stuck);
            long start = System.nanoTime();
            assertThatThrownBy(p::drain).isInstanceOf(RedisTimeoutException.class)
                    .hasMessage("no reply from 127.0.0.1:" + server.port() + " within 300 ms; unanswered commands: 1");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
            assertThat(stuck.failure).isInstanceOf(RedisTimeoutException.class);
        }
    }

    @Test
    void closeDeliversOutstandingRepliesThenRefusesSends() {
        RedisUri uri = server.uri().withDb(6);
        List<Outcome> outcomes = new ArrayList<>();
        PipelinedConnection p = pipeline(uri, 100, 1 << 20);
        for (int i = 0; i < 1000; i++) {
            Outcome o = new Outcome();
            outcomes.add(o);
            p.send(argv("INCR", "close:counter"), o);
        }
        p.close();
        assertThat(outcomes).allSatisfy(o -> assertThat(o.reply).isNotNull());
        assertThat(outcomes.get(999).reply).isEqualTo(Reply.integer(1000));
        try (RedisConnection c = open(uri)) {
            assertThat(c.call("GET", "close:counter").asLong()).isEqualTo(1000);
        }
        Outcome late = new Outcome();
        assertThatThrownBy(() -> p.send(argv("PING"), late)).isInstanceOf(RedisException.class)
                .hasMessageContaining("is closed");
        assertThat(late.failure).isNotNull();
    }

    private static final class CountingOutcome implements ReplyCallback {
        final AtomicInteger notifications = new AtomicInteger();
        private final AtomicLong replies;
        volatile boolean failed;

        CountingOutcome(AtomicLong replies) {
            this.replies = replies;
        }

        @Override
        public void onReply(Reply r) {
            notifications.incrementAndGet();
            replies.incrementAndGet();
        }

        @Override
        public void onFailure(Throwable cause) {
            failed = true;
            notifications.incrementAndGet();
        }
    }

    private static PipelinedConnection pipeline(RedisUri uri, int maxCommands, long maxBytes) {
        return new PipelinedConnection(open(uri), maxCommands, maxBytes);
    }

    private static RedisConnection open(RedisUri uri) {
        return RedisConnection.open(uri, null, Duration.ofSeconds(5));
    }

    private static byte[][] argv(String... args) {
        return RespWriter.utf8(args);
    }

    private static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(5);
        }
    }
}
