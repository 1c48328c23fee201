package io.ferry.resp;

import java.io.InputStream;

/** Serves a byte array in pieces: at most {@code chunk} bytes per read, or split once at {@code cut}. */
final class ChunkedInputStream extends InputStream {
    private final byte[] data;
    private final int chunk;
    private final int cut;
    private int pos;

    private ChunkedInputStream(byte[] data, int chunk, int cut) {
        this.data = data;
        this.chunk = chunk;
        this.cut = cut;
    }

    static ChunkedInputStream ofChunkSize(byte[] data, int chunk) {
        return new ChunkedInputStream(data, chunk, -1);
    }

    static ChunkedInputStream splitAt(byte[] data, int cut) {
        return new ChunkedInputStream(data, Integer.MAX_VALUE, cut);
    }

    @Override
    public int read() {
        return pos < data.length ? data[pos++] & 0xff : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
        if (pos >= data.length) {
            return -1;
        }
        int end = pos < cut ? cut : data.length;
        int n = Math.min(Math.min(len, chunk), end - pos);
        System.arraycopy(data, pos, b, off, n);
        pos += n;
        return n;
    }
}
