package io.ferry.source.pika.snapshot;

import java.nio.ByteBuffer;

/**
 * A RocksDB key as a comparator receives it: a ByteBuffer whose bytes are position..limit. Reads
 * are absolute, so the buffer itself is never moved (RocksJava reuses it).
 */
final class KeyBytes {
    final ByteBuffer buf;
    final int base;
    final int length;

    KeyBytes(ByteBuffer buf) {
        this.buf = buf;
        this.base = buf.position();
        this.length = buf.remaining();
    }

    int u8(int i) {
        return buf.get(base + i) & 0xff;
    }

    int i32(int i) {
        return u8(i) | u8(i + 1) << 8 | u8(i + 2) << 16 | u8(i + 3) << 24;
    }

    long i64(int i) {
        return (i32(i) & 0xffffffffL) | (long) i32(i + 4) << 32;
    }

    /** Bytewise unsigned comparison of a[aFrom, aTo) and b[bFrom, bTo), a proper prefix first. */
    static int compareRange(KeyBytes a, int aFrom, int aTo, KeyBytes b, int bFrom, int bTo) {
        int n = Math.min(aTo - aFrom, bTo - bFrom);
        for (int i = 0; i < n; i++) {
            int c = Integer.compare(a.u8(aFrom + i), b.u8(bFrom + i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(aTo - aFrom, bTo - bFrom);
    }

    /**
     * The end (exclusive) of the floyd escaped key starting at {@code from}: just after its
     * {@code 00 00} terminator ({@code 00 01} is an escaped NUL), or the key's length if none.
     */
    int floydKeyEnd(int from) {
        int i = from;
        while (i < length) {
            if (u8(i) == 0) {
                if (i + 1 < length && u8(i + 1) == 0) {
                    return i + 2;
                }
                i += 2;
            } else {
                i++;
            }
        }
        return length;
    }

    /** 0 if both have {@code n} more bytes at {@code at}; otherwise the one that ends first sorts first. */
    static int endsFirst(KeyBytes a, KeyBytes b, int at, int n) {
        boolean aHas = a.length >= at + n;
        boolean bHas = b.length >= at + n;
        return aHas == bHas ? 0 : aHas ? 1 : -1;
    }

    static int compareDoubles(double x, double y) {
        // Pika compares with < and >: -0.0 equals 0.0 (Double.compare would order them)
        return x < y ? -1 : x > y ? 1 : 0;
    }
}
