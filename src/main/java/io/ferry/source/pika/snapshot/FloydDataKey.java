package io.ferry.source.pika.snapshot;

import java.util.Arrays;

/**
 * A floyd data-CF key, {@code reserve[8] ‖ ekey ‖ version:u64 ‖ payload ‖ reserve[16]} (PIKA.md
 * §9): payload is the hash field, set/zset member, list index (u64 LE), score ‖ member in
 * zset_score_cf, or {@code ms:u64 BE ‖ seq:u64 BE} in stream_data_cf.
 */
record FloydDataKey(byte[] userKey, long version, byte[] payload) {
    static FloydDataKey decode(String cf, byte[] rowKey) throws PikaFormatException {
        FloydKey k = rowKey.length > FloydKey.RESERVE_PREFIX ? FloydKey.decode(rowKey, FloydKey.RESERVE_PREFIX) : null;
        if (k == null || k.end() + 8 + FloydKey.RESERVE_SUFFIX > rowKey.length) {
            throw PikaFormatException.row(cf, rowKey, "not reserve ‖ escaped key ‖ version ‖ … ‖ reserve");
        }
        return new FloydDataKey(k.userKey(), Le.i64(rowKey, k.end()),
                Arrays.copyOfRange(rowKey, k.end() + 8, rowKey.length - FloydKey.RESERVE_SUFFIX));
    }

    /** {@code reserve[8] ‖ ekey ‖ version}: the bytes every data row of (key, version) starts with. */
    static byte[] prefix(byte[] userKey, long version) {
        byte[] p = FloydKey.rowPrefix(userKey);
        byte[] out = Arrays.copyOf(p, p.length + 8);
        Le.putI64(out, p.length, version);
        return out;
    }

    /** The list_data_cf key of an element. */
    static byte[] listKey(byte[] userKey, long version, long index) {
        byte[] p = prefix(userKey, version);
        byte[] out = Arrays.copyOf(p, p.length + 8 + FloydKey.RESERVE_SUFFIX);
        Le.putI64(out, p.length, index);
        return out;
    }

    /** Data values end in {@code reserve[16] ‖ ctime:u64}; what precedes is the element/field value. */
    static byte[] valueBody(String cf, byte[] rowKey, byte[] value) throws PikaFormatException {
        if (value.length < 24) {
            throw PikaFormatException.row(cf, rowKey, "data value of " + value.length + " bytes, expected ≥ 24");
        }
        return Arrays.copyOf(value, value.length - 24);
    }
}
