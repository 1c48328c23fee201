package io.ferry.testing;

import java.io.InputStream;
import java.util.Arrays;
import java.util.Random;
import java.util.function.IntSupplier;

/**
 * An InputStream over a byte array whose reads return at most a scripted number of bytes, like
 * a socket delivering a replication stream in arbitrary pieces. Decoders must give the same
 * result whatever the piece sizes are.
 */
public final class TinyReads extends InputStream {
    private final byte[] data;
    private final IntSupplier chunk;
    private int pos;

    public TinyReads(byte[] data, IntSupplier chunkSizes) {
        this.data = data;
        this.chunk = chunkSizes;
    }

    public static InputStream oneByteAtATime(byte[] data) {
        return new TinyReads(data, () -> 1);
    }

    /** The first read returns at most {@code at} bytes (at least 1), later reads the rest. */
    public static InputStream splitAt(byte[] data, int at) {
        int[] first = {Math.max(1, at)};
        return new TinyReads(data, () -> {
            int n = first[0];
            first[0] = Integer.MAX_VALUE;
            return n;
        });
    }

    /** Reads of random sizes in [1, max], reproducible from the seed. */
    public static InputStream randomChunks(byte[] data, long seed, int max) {
        Random r = new Random(seed);
        return new TinyReads(data, () -> 1 + r.nextInt(max));
    }

    /** Reads following the given sizes in a cycle (each at least 1). */
    public static InputStream cycling(byte[] data, int... sizes) {
        int[] i = {0};
        int[] s = Arrays.copyOf(sizes, sizes.length);
        return new TinyReads(data, () -> Math.max(1, s[i[0]++ % s.length]));
    }

    @Override
    public int read() {
        return pos < data.length ? data[pos++] & 0xff : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
        if (len == 0) {
            return 0;
        }
        if (pos >= data.length) {
            return -1;
        }
        int n = Math.min(Math.min(len, chunk.getAsInt()), data.length - pos);
        System.arraycopy(data, pos, b, off, n);
        pos += n;
        return n;
    }
}
