package io.ferry.check;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Bounds commands per second, shared by every thread that talks to one side. Each caller reserves its permits
 * back to back on a timeline advancing at the given rate and waits for its turn, so the long-run rate never exceeds
 * the limit and there is no burst beyond one batch.
 */
final class RateLimiter {
    private final double nanosPerPermit;
    private long next = System.nanoTime();

    RateLimiter(double permitsPerSecond) {
        if (!(permitsPerSecond > 0)) {
            throw new IllegalArgumentException("rate must be positive, got " + permitsPerSecond);
        }
        this.nanosPerPermit = TimeUnit.SECONDS.toNanos(1) / permitsPerSecond;
    }

    /** Blocks until {@code permits} commands may be sent. */
    void acquire(int permits) {
        long wait = reserve(permits);
        long until = System.nanoTime() + wait;
        while (wait > 0) {
            LockSupport.parkNanos(this, wait);
            if (Thread.interrupted()) {
                Thread.currentThread().interrupt();
                throw new CheckAborted("interrupted");
            }
            wait = until - System.nanoTime();
        }
    }

    private synchronized long reserve(int permits) {
        long now = System.nanoTime();
        long start = Math.max(next, now);
        next = start + (long) (permits * nanosPerPermit);
        return start - now;
    }
}
