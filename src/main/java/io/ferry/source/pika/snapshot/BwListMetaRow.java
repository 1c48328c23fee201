package io.ferry.source.pika.snapshot;

/**
 * blackwidow lists/default: value = {@code count:u64 ‖ version:i32 ‖ ts:i32 ‖ left_index:u64 ‖
 * right_index:u64} (PIKA.md §8.2); the elements are the indices strictly between left and right.
 */
record BwListMetaRow(byte[] userKey, long count, int version, int timestamp, long leftIndex, long rightIndex) {
    static BwListMetaRow decode(byte[] key, byte[] value) throws PikaFormatException {
        if (value.length != 32) {
            throw PikaFormatException.row("lists/default", key, "meta value of " + value.length + " bytes, expected 32");
        }
        return new BwListMetaRow(key, Le.i64(value, 0), Le.i32(value, 8), Le.i32(value, 12), Le.i64(value, 16), Le.i64(value, 24));
    }

    boolean live(long nowSec) {
        return count != 0 && BwMetaRow.notExpired(timestamp, nowSec);
    }

    long expireAtMs() {
        return BwMetaRow.expireAtMs(timestamp);
    }

    /** Whether an index (unsigned) lies strictly between left and right. */
    boolean inRange(long index) {
        return Long.compareUnsigned(leftIndex, index) < 0 && Long.compareUnsigned(index, rightIndex) < 0;
    }
}
