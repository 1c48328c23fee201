package io.ferry.source.pika.snapshot;

/**
 * floyd ctime/etime (PIKA.md §9): with the top bit set the rest is milliseconds, otherwise seconds
 * (data converted from older versions); 0 = none. HLL strings ({@code reserve[0] & 0x80}) store
 * milliseconds without the flag (4.0.1 README, discrepancy 28), so the caller says so.
 */
final class FloydTime {
    private FloydTime() {}

    static long toMs(long raw, boolean msWithoutFlag) {
        if (raw == 0) {
            return 0;
        }
        if (raw < 0) {
            return raw & Long.MAX_VALUE;
        }
        return msWithoutFlag ? raw : raw * 1000;
    }

    static boolean live(long etimeMs, long nowMs) {
        return etimeMs == 0 || etimeMs >= nowMs;
    }

    static long expireAtMs(long etimeMs) {
        return etimeMs == 0 ? io.ferry.rdb.KeyHeader.NO_EXPIRE : etimeMs;
    }
}
