package io.ferry.source.pika.snapshot;

import java.io.ByteArrayOutputStream;

/**
 * The escaped user key of a floyd row key (PIKA.md §9): after {@code reserve[8]}, every NUL of the
 * name is {@code 00 01} and {@code 00 00} terminates it. {@code end} is the offset just after the
 * terminator.
 */
record FloydKey(byte[] userKey, int end) {
    static final int RESERVE_PREFIX = 8;
    static final int RESERVE_SUFFIX = 16;

    /** The key escaped at {@code from}, or null when it has no terminator or a bad escape. */
    static FloydKey decode(byte[] rowKey, int from) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(0, rowKey.length - from));
        int i = from;
        while (i < rowKey.length) {
            int b = rowKey[i] & 0xff;
            if (b != 0) {
                out.write(b);
                i++;
                continue;
            }
            if (i + 1 >= rowKey.length) {
                return null;
            }
            int next = rowKey[i + 1] & 0xff;
            if (next == 0) {
                return new FloydKey(out.toByteArray(), i + 2);
            }
            if (next != 1) {
                return null;
            }
            out.write(0);
            i += 2;
        }
        return null;
    }

    /**
     * The user key of a meta row ({@code reserve[8] ‖ ekey ‖ reserve[16]}), or null when the row
     * does not have that shape: 4.0.1 writes names containing NUL cut at the NUL and followed by
     * stray bytes (its README, discrepancy 23), which no reader can turn back into the name.
     */
    static FloydKey decodeMeta(byte[] rowKey) {
        if (rowKey.length < RESERVE_PREFIX + 2 + RESERVE_SUFFIX) {
            return null;
        }
        FloydKey k = decode(rowKey, RESERVE_PREFIX);
        return k != null && k.end + RESERVE_SUFFIX == rowKey.length ? k : null;
    }

    /** {@code reserve[8] ‖ ekey}: the bytes every row of the name starts with. */
    static byte[] rowPrefix(byte[] userKey) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(userKey.length + 12);
        out.writeBytes(new byte[RESERVE_PREFIX]);
        for (byte b : userKey) {
            out.write(b);
            if (b == 0) {
                out.write(1);
            }
        }
        out.write(0);
        out.write(0);
        return out.toByteArray();
    }
}
