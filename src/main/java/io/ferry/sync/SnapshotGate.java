package io.ferry.sync;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Lets one partition of a host at a time ask its source for a snapshot ({@code --source-safe}):
 * each full sync forks a BGSAVE on the source, and several forks on one host compete for its
 * memory (copy-on-write) and cores. A permit is held from the PSYNC until the snapshot has been
 * received whole (the source's child is done then), or until the source answers a partial resync.
 */
public final class SnapshotGate {
    /** No limit: every partition asks when it wants. */
    public static final SnapshotGate NONE = new SnapshotGate(null, null);

    private final String host;
    private final Semaphore one;

    private SnapshotGate(String host, Semaphore one) {
        this.host = host;
        this.one = one;
    }

    /** The gate shared by the partitions on {@code host}. */
    public static SnapshotGate forHost(String host) {
        return new SnapshotGate(host, new Semaphore(1, true));
    }

    public boolean limits() {
        return one != null;
    }

    public String host() {
        return host;
    }

    /**
     * Waits for this host's permit; {@code onWait} runs once if another partition holds it. Null
     * when {@code stopping} turned true while waiting.
     */
    public Permit enter(BooleanSupplier stopping, Runnable onWait) throws InterruptedException {
        if (one == null) {
            return new Permit(null);
        }
        if (!one.tryAcquire()) {
            onWait.run();
            while (!one.tryAcquire(200, TimeUnit.MILLISECONDS)) {
                if (stopping.getAsBoolean()) {
                    return null;
                }
            }
        }
        return new Permit(one);
    }

    /** A held turn; closing it more than once releases it once. */
    public static final class Permit implements AutoCloseable {
        private Semaphore held;

        private Permit(Semaphore held) {
            this.held = held;
        }

        @Override
        public synchronized void close() {
            if (held != null) {
                held.release();
                held = null;
            }
        }
    }
}
