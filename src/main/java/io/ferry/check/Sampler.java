package io.ferry.check;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Which keys a sampled check looks at: a key is picked when a hash of (db, key) falls below the rate, so both
 * directions and every run pick the same keys; a {@link Quota} caps how many each direction takes.
 */
final class Sampler {
    static final Sampler ALL = new Sampler(1.0, 0);

    private final double rate;
    private final long cap;

    Sampler(double rate, long cap) {
        this.rate = rate;
        this.cap = cap;
    }

    boolean all() {
        return rate >= 1.0 && cap <= 0;
    }

    double rate() {
        return rate;
    }

    boolean picks(int db, byte[] key) {
        return rate >= 1.0 || (KeyHash.of(db, key) >>> 11) * 0x1.0p-53 < rate;
    }

    Quota quota() {
        return new Quota(cap);
    }

    /** How many keys one direction may still take (no limit when the cap is 0). */
    static final class Quota {
        private final long cap;
        private final AtomicLong taken = new AtomicLong();

        Quota(long cap) {
            this.cap = cap;
        }

        boolean take() {
            return cap <= 0 || taken.incrementAndGet() <= cap;
        }

        boolean exhausted() {
            return cap > 0 && taken.get() >= cap;
        }
    }
}
