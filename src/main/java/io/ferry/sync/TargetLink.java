package io.ferry.sync;

import io.ferry.target.ApplyFailedException;
import io.ferry.target.Target;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The run's connection to its target, which outlives a lost link: a network blip or a target
 * restart is ridden out by reconnecting with backoff for at most {@code --target-reconnect-for};
 * what the target applied is then read back from its checkpoint keys (see SyncSession).
 */
final class TargetLink implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TargetLink.class);

    private final SyncOptions opt;
    private final SyncStats stats;
    private final BooleanSupplier stopping;
    private Target target;

    private TargetLink(SyncOptions opt, SyncStats stats, BooleanSupplier stopping) {
        this.opt = opt;
        this.stats = stats;
        this.stopping = stopping;
    }

    static TargetLink open(SyncOptions opt, SyncStats stats, BooleanSupplier stopping) {
        TargetLink l = new TargetLink(opt, stats, stopping);
        l.target = l.connect();
        io.ferry.convert.TargetFeatures f = l.target.features();
        if (!f.transactions()) {
            if (!opt.targetAtLeastOnce()) {
                l.close();
                throw new io.ferry.OperatorException("the target " + opt.target().redacted() + " (" + f.describe() + ") has no MULTI/EXEC, so a batch "
                        + "and its checkpoint cannot be written together and exactly-once is impossible; use --target-at-least-once to accept "
                        + "that a crash may apply the last batches again, or a target with transactions (Pika 3.5+)");
            }
            LOG.warn("target {} ({}) has no transactions: at-least-once (--target-at-least-once), a crash may apply the last batches again",
                    opt.target().redacted(), f.describe());
        }
        return l;
    }

    Target current() {
        return target;
    }

    /**
     * Refuses a state directory whose checkpoint belongs to another migration (another source,
     * target or shape), before anything is written; returns what the checkpoints of this run bind
     * the state directory to (see {@link Target#identity}).
     */
    String requireSameMigration(io.ferry.checkpoint.Checkpoint cp, String source, String shape) {
        String given = opt.target().identity();
        String identity = target.identity(given);
        String other = cp == null ? null : cp.differenceFrom(source, identity, recorded -> target.isIdentity(recorded, given), shape);
        if (other != null) {
            throw new io.ferry.checkpoint.SyncStateException("the state directory " + opt.stateDir() + " belongs to another migration (" + other
                    + "); use a new --state-dir for this one, or delete " + opt.stateDir() + " to start over with a full sync");
        }
        return identity;
    }

    private Target connect() {
        return opt.target().open(opt.lanes());
    }

    /**
     * Drops the broken connections and connects again, then runs {@code thenRead} (what the target
     * holds), retrying both with backoff — the link may flap — and throws once the allowance is spent.
     */
    <T> T reopen(String cause, java.util.function.Supplier<T> thenRead) {
        closeQuietly();
        String was = stats.state;
        stats.state = "target-reconnecting";
        Duration allowance = opt.targetReconnectFor();
        long deadline = System.nanoTime() + allowance.toNanos();
        LOG.warn("lost the target ({}); reconnecting for at most {} s", cause, allowance.toSeconds());
        for (int attempt = 1; ; attempt++) {
            if (stopping.getAsBoolean()) {
                throw new SyncSession.StopRequested("stopped while reconnecting to the target; the next run resumes from the checkpoint");
            }
            try {
                closeQuietly();
                target = connect();
                T read = thenRead.get();
                stats.targetReconnects.increment();
                stats.state = was;
                LOG.info("target link restored after {} attempt(s)", attempt);
                return read;
            } catch (io.ferry.resp.RedisException e) {
                if (System.nanoTime() > deadline) {
                    throw new ApplyFailedException("lost the target (" + cause + ") and could not reconnect within " + allowance.toSeconds()
                            + " s (last: " + e.getMessage() + "); run again with the same --state-dir to resume");
                }
                LOG.warn("target reconnect attempt {} failed: {}", attempt, e.getMessage());
                sleep(Math.min(5000, 100L << Math.min(attempt, 6)));
            }
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SyncSession.StopRequested("interrupted while reconnecting to the target");
        }
    }

    private void closeQuietly() {
        Target t = target;
        target = null;
        if (t != null) {
            try {
                t.close();
            } catch (RuntimeException ignored) {
                // its connections are already broken
            }
        }
    }

    @Override
    public void close() {
        Target t = target;
        if (t != null) {
            t.close();
        }
    }
}
