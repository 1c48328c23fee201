package io.ferry.rdb;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * CRC-64 with the Jones polynomial (reflected 0xad93d23594c935a9), as Redis uses for RDB files
 * and DUMP payloads. Slice-by-8 tables: the checksum runs over every byte of a snapshot, so it
 * must keep up with the network.
 */
public final class Crc64 {
    private static final long POLY = 0x95ac9329ac4bc9b5L; // bit-reversed 0xad93d23594c935a9
    // One table per byte position; separate arrays (not long[8][256]) so the loop indexes each directly.
    private static final long[] T0 = new long[256];
    private static final long[] T1 = new long[256];
    private static final long[] T2 = new long[256];
    private static final long[] T3 = new long[256];
    private static final long[] T4 = new long[256];
    private static final long[] T5 = new long[256];
    private static final long[] T6 = new long[256];
    private static final long[] T7 = new long[256];
    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    static {
        long[][] t = {T0, T1, T2, T3, T4, T5, T6, T7};
        for (int n = 0; n < 256; n++) {
            long crc = n;
            for (int k = 0; k < 8; k++) {
                crc = (crc & 1) != 0 ? (crc >>> 1) ^ POLY : crc >>> 1;
            }
            T0[n] = crc;
        }
        for (int n = 0; n < 256; n++) {
            long crc = T0[n];
            for (int k = 1; k < 8; k++) {
                crc = T0[(int) (crc & 0xff)] ^ (crc >>> 8);
                t[k][n] = crc;
            }
        }
    }

    private Crc64() {}

    public static long update(long crc, byte[] b, int off, int len) {
        final long[] t0 = T0, t1 = T1, t2 = T2, t3 = T3, t4 = T4, t5 = T5, t6 = T6, t7 = T7;
        int i = off;
        int end = off + len;
        while (end - i >= 8) {
            crc ^= (long) LONG_LE.get(b, i);
            crc = t7[(int) (crc & 0xff)] ^ t6[(int) ((crc >>> 8) & 0xff)]
                    ^ t5[(int) ((crc >>> 16) & 0xff)] ^ t4[(int) ((crc >>> 24) & 0xff)]
                    ^ t3[(int) ((crc >>> 32) & 0xff)] ^ t2[(int) ((crc >>> 40) & 0xff)]
                    ^ t1[(int) ((crc >>> 48) & 0xff)] ^ t0[(int) (crc >>> 56)];
            i += 8;
        }
        while (i < end) {
            crc = t0[(int) ((crc ^ b[i++]) & 0xff)] ^ (crc >>> 8);
        }
        return crc;
    }

    public static long of(byte[] b) {
        return update(0, b, 0, b.length);
    }
}
