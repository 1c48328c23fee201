package io.ferry.source.pika.snapshot;

import java.util.Arrays;

/**
 * A blackwidow data-CF key, {@code keylen:i32 ‖ key ‖ version:i32 ‖ rest} (PIKA.md §8.2): rest is
 * the hash field, set/zset member, list index (u64) or, in zsets/score_cf, score ‖ member.
 */
record BwDataKey(byte[] userKey, int version, byte[] rest) {
    static BwDataKey decode(String where, byte[] key) throws PikaFormatException {
        if (key.length < 8) {
            throw PikaFormatException.row(where, key, "data key of " + key.length + " bytes");
        }
        int keyLen = Le.i32(key, 0);
        if (keyLen < 0 || 4 + keyLen + 4 > key.length) {
            throw PikaFormatException.row(where, key, "key length " + keyLen + " beyond the row key");
        }
        return new BwDataKey(Arrays.copyOfRange(key, 4, 4 + keyLen), Le.i32(key, 4 + keyLen),
                Arrays.copyOfRange(key, 8 + keyLen, key.length));
    }

    /** The bytes every data row of (key, version) starts with. */
    static byte[] prefix(byte[] userKey, int version) {
        byte[] p = new byte[userKey.length + 8];
        Le.putI32(p, 0, userKey.length);
        System.arraycopy(userKey, 0, p, 4, userKey.length);
        Le.putI32(p, 4 + userKey.length, version);
        return p;
    }

    /** The lists/data_cf key of an element. */
    static byte[] listKey(byte[] userKey, int version, long index) {
        byte[] p = prefix(userKey, version);
        byte[] k = Arrays.copyOf(p, p.length + 8);
        Le.putI64(k, p.length, index);
        return k;
    }

    long listIndex(byte[] rowKey) throws PikaFormatException {
        if (rest.length != 8) {
            throw PikaFormatException.row("lists/data_cf", rowKey, "index of " + rest.length + " bytes, expected 8");
        }
        return Le.i64(rest, 0);
    }

    /** zsets/score_cf: the score's 8 bytes LE. */
    long scoreBits(byte[] rowKey) throws PikaFormatException {
        if (rest.length < 8) {
            throw PikaFormatException.row("zsets/score_cf", rowKey, "no score");
        }
        return Le.i64(rest, 0);
    }

    /** zsets/score_cf: the member after the score. */
    byte[] scoreMember() {
        return Arrays.copyOfRange(rest, 8, rest.length);
    }

    /** zsets/data_cf value: the score, an IEEE-754 double LE, kept bit-exact. */
    static double score(String where, byte[] rowKey, byte[] value) throws PikaFormatException {
        if (value.length != 8) {
            throw PikaFormatException.row(where, rowKey, "score of " + value.length + " bytes, expected 8");
        }
        return Double.longBitsToDouble(Le.i64(value, 0));
    }
}
