package io.ferry.convert;

import io.ferry.rdb.Crc64;
import io.ferry.rdb.RawValue;

/**
 * Builds a DUMP/RESTORE payload from a raw RDB value: the serialized value, a two-byte RDB
 * version, and a CRC-64 of both. The version is the target's own, not the source file's:
 * servers before 3.0 insist on an exact match, later ones on "not newer", and the value's type
 * has already been checked against what the target understands.
 */
public final class RestorePayload {
    private RestorePayload() {}

    public static byte[] build(RawValue raw, int version) {
        byte[] v = raw.bytes();
        byte[] out = new byte[v.length + 10];
        System.arraycopy(v, 0, out, 0, v.length);
        out[v.length] = (byte) version;
        out[v.length + 1] = (byte) (version >>> 8);
        long crc = Crc64.update(0, out, 0, v.length + 2);
        for (int i = 0; i < 8; i++) {
            out[v.length + 2 + i] = (byte) (crc >>> (8 * i));
        }
        return out;
    }
}
