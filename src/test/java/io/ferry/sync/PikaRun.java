package io.ferry.sync;

import io.ferry.convert.ConflictPolicy;
import io.ferry.filter.KeyFilter;
import io.ferry.resp.RedisUri;
import io.ferry.source.pika.snapshot.TypeConflictPolicy;
import io.ferry.target.OnError;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.IntUnaryOperator;

/** A `ferry sync` of a Pika source run in a background thread (the coordinator, as the CLI runs it). */
final class PikaRun implements AutoCloseable {
    final SyncCoordinator run;
    private final Thread thread;
    volatile Throwable failure;

    PikaRun(String pikaUri, RedisUri target, Path stateDir, TypeConflictPolicy policy) {
        this(pikaUri, target, stateDir, policy, KeyFilter.ALL, io.ferry.filter.DbMap.IDENTITY, false);
    }

    PikaRun(String pikaUri, RedisUri target, Path stateDir, TypeConflictPolicy policy, KeyFilter filter, IntUnaryOperator dbMap, boolean noSecondFullSync) {
        SyncOptions opt = new SyncOptions(RedisUri.parse("redis://" + pikaUri.substring("pika://".length())), null, new TargetSpec.Server(target, null),
                stateDir, ConflictPolicy.FAIL, OnError.FAIL, 4, filter, dbMap, noSecondFullSync, 1L << 30, 64L << 20, Duration.ofMillis(100), 0,
                Duration.ofSeconds(30));
        SourceSpec spec = ((SourceSpec.Pika) SourceSpec.parse(pikaUri)).with(new SourceSpec.PikaOptions(policy, 0));
        run = SyncCoordinator.planSources(opt, List.of(spec));
        thread = new Thread(() -> {
            try {
                run.run();
            } catch (Throwable e) {
                failure = e;
            }
        }, "pika-sync-under-test");
        thread.setDaemon(true);
        thread.start();
    }

    List<Partition> partitions() {
        return run.sessions();
    }

    /** Waits until the run ends with a failure, and returns it. */
    Throwable awaitFailure(Duration timeout) throws InterruptedException {
        thread.join(timeout.toMillis());
        if (thread.isAlive() || failure == null) {
            throw new AssertionError("the run did not fail within " + timeout);
        }
        return failure;
    }

    boolean alive() {
        return thread.isAlive();
    }

    /** Stops the run (drain, checkpoint, goodbye) and waits for it; rethrows its failure. */
    void stop() throws Exception {
        run.stop();
        thread.join(60_000);
        if (thread.isAlive()) {
            throw new AssertionError("the run did not stop within 60 s");
        }
        if (failure instanceof Exception e) {
            throw e;
        }
    }

    @Override
    public void close() throws InterruptedException {
        run.stop();
        thread.join(60_000);
    }
}
