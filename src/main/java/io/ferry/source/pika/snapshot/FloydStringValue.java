package io.ferry.source.pika.snapshot;

import java.util.Arrays;

/** floyd string meta value: {@code type=0 ‖ user value ‖ reserve[16] ‖ ctime:u64 ‖ etime:u64} (PIKA.md §9). */
record FloydStringValue(byte[] userValue, boolean hll, long ctimeMs, long etimeMs) {
    static final int TAIL = 16 + 8 + 8;

    static FloydStringValue decode(byte[] rowKey, byte[] value) throws PikaFormatException {
        if (value.length < 1 + TAIL || value[0] != FloydMeta.TYPE_STRING) {
            throw PikaFormatException.row("default", rowKey, "string value of " + value.length + " bytes");
        }
        int reserve = value.length - TAIL;
        boolean hll = (value[reserve] & 0x80) != 0;
        return new FloydStringValue(Arrays.copyOfRange(value, 1, reserve), hll,
                FloydTime.toMs(Le.i64(value, reserve + 16), hll), FloydTime.toMs(Le.i64(value, reserve + 24), hll));
    }

    boolean live(long nowMs) {
        return FloydTime.live(etimeMs, nowMs);
    }
}
