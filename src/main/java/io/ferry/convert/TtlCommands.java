package io.ferry.convert;

/**
 * How an absolute expiry (unix ms) is written to a target. Redis and Valkey take PEXPIREAT and
 * SET … PXAT/PX as they are. Pika 4.0 deletes a key on PEXPIREAT with a future time (recorded,
 * 4.0.1 discrepancy #15) but keeps milliseconds exactly: it gets the remaining time, PEXPIRE / SET
 * … PX (late by the time in flight, never early). Pika 3.x keeps whole seconds (PEXPIRE and
 * PEXPIREAT are cut to the second below, i.e. early): it gets EXPIREAT / SET … EX rounded up, and
 * never a time after 2038-01-19, which its signed 32-bit field wraps into a deletion (recorded,
 * 3.5.5 #24): such a TTL is clamped to the latest second it holds, and counted.
 */
final class TtlCommands {
    private TtlCommands() {}

    /** Whether {@code atMs} is beyond what the target holds (it is written clamped). */
    static boolean clamped(TargetFeatures t, long atMs) {
        return atMs > t.latestExpiryMs();
    }

    /** The command that makes {@code key} expire at {@code atMs} (in the future), at {@code nowMs}. */
    static byte[][] expireAt(TargetFeatures t, byte[] key, long atMs, long nowMs) {
        if (t.secondsTtl()) {
            return new byte[][] {Args.b("EXPIREAT"), key, Args.b(ceilSeconds(Math.min(atMs, t.latestExpiryMs())))};
        }
        if (!t.pexpireAt()) {
            return new byte[][] {Args.b("PEXPIRE"), key, Args.b(Math.max(1, atMs - nowMs))};
        }
        return new byte[][] {Args.b("PEXPIREAT"), key, Args.b(atMs)};
    }

    /** The SET options (two arguments) for an expiry at {@code atMs}, at {@code nowMs}. */
    static byte[][] setOptions(TargetFeatures t, long atMs, long nowMs) {
        if (t.secondsTtl()) {
            long rest = Math.min(atMs, t.latestExpiryMs()) - nowMs;
            return new byte[][] {Args.b("EX"), Args.b(Math.max(1, ceilSeconds(rest)))};
        }
        if (t.setPxat()) {
            return new byte[][] {Args.b("PXAT"), Args.b(atMs)};
        }
        return new byte[][] {Args.b("PX"), Args.b(Math.max(1, atMs - nowMs))};
    }

    private static long ceilSeconds(long ms) {
        return Math.floorDiv(ms + 999, 1000);
    }
}
