package io.ferry.rdb;

/** Reads an intset blob: a sorted array of 16, 32 or 64-bit little-endian integers. */
final class Intset implements PackCursor {
    private final byte[] b;
    private final int width;
    private final long count;
    private int i;

    Intset(byte[] blob) {
        if (blob.length < 8) {
            throw new IllegalArgumentException("intset of " + blob.length + " bytes is too short");
        }
        width = (int) Ziplist.le(blob, 0, 4);
        count = Ziplist.le(blob, 4, 4);
        if (width != 2 && width != 4 && width != 8) {
            throw new IllegalArgumentException("invalid intset encoding " + width);
        }
        if (8 + count * width != blob.length) {
            throw new IllegalArgumentException("intset of " + count + " x " + width + " bytes does not match its " + blob.length + "-byte blob");
        }
        b = blob;
    }

    long count() {
        return count;
    }

    @Override
    public boolean hasNext() {
        return i < count;
    }

    @Override
    public long nextLong() {
        int off = 8 + i++ * width;
        long v = Ziplist.le(b, off, width);
        return width == 2 ? (short) v : width == 4 ? (int) v : v;
    }

    @Override
    public byte[] next() {
        return Ints.ascii(nextLong());
    }
}
