package io.ferry.source.pika.snapshot;

/**
 * blackwidow hashes|sets|zsets/default: key = user key, value = {@code count:i32 ‖ version:i32 ‖
 * ts:i32} (PIKA.md §8.2). DEL keeps the row with count 0 and a new version (§8.3).
 */
record BwMetaRow(byte[] userKey, int count, int version, int timestamp) {
    static BwMetaRow decode(String where, byte[] key, byte[] value) throws PikaFormatException {
        if (value.length != 12) {
            throw PikaFormatException.row(where, key, "meta value of " + value.length + " bytes, expected 12");
        }
        return new BwMetaRow(key, Le.i32(value, 0), Le.i32(value, 4), Le.i32(value, 8));
    }

    boolean live(long nowSec) {
        return count != 0 && notExpired(timestamp, nowSec);
    }

    long expireAtMs() {
        return expireAtMs(timestamp);
    }

    /** ts is absolute unix seconds, signed 32-bit, 0 = none; live while ts ≥ now (§8.3). */
    static boolean notExpired(int ts, long nowSec) {
        return ts == 0 || ts >= nowSec;
    }

    static long expireAtMs(int ts) {
        return ts == 0 ? io.ferry.rdb.KeyHeader.NO_EXPIRE : ts * 1000L;
    }
}
