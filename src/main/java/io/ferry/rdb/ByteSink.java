package io.ferry.rdb;

import java.util.Arrays;

/** A growable byte array without the synchronisation of ByteArrayOutputStream. */
public final class ByteSink {
    private byte[] a;
    private int n;

    public ByteSink(int initial) {
        a = new byte[Math.max(16, initial)];
    }

    public void write(byte[] b, int off, int len) {
        ensure(len);
        System.arraycopy(b, off, a, n, len);
        n += len;
    }

    public void write(int b) {
        ensure(1);
        a[n++] = (byte) b;
    }

    public void writeLongLE(long v) {
        ensure(8);
        for (int i = 0; i < 8; i++) {
            a[n++] = (byte) (v >>> (8 * i));
        }
    }

    private void ensure(int more) {
        if (n + more > a.length) {
            a = Arrays.copyOf(a, Math.max(n + more, a.length * 2));
        }
    }

    public int size() {
        return n;
    }

    public byte[] array() {
        return a;
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(a, n);
    }
}
