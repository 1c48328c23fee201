package io.ferry.source.pika.snapshot;

import java.util.Arrays;

/** blackwidow strings/default: key = user key, value = {@code user value ‖ ts:i32} (PIKA.md §8.2). */
record BwStringRow(byte[] userKey, byte[] userValue, int timestamp) {
    static BwStringRow decode(byte[] key, byte[] value) throws PikaFormatException {
        if (value.length < 4) {
            throw PikaFormatException.row("strings/default", key, "value of " + value.length + " bytes, expected ≥ 4");
        }
        return new BwStringRow(key, Arrays.copyOf(value, value.length - 4), Le.i32(value, value.length - 4));
    }

    boolean live(long nowSec) {
        return BwMetaRow.notExpired(timestamp, nowSec);
    }

    long expireAtMs() {
        return BwMetaRow.expireAtMs(timestamp);
    }
}
