package io.ferry.rdb;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * Buffered little reader over an RDB byte stream. It tracks the absolute byte offset, keeps a
 * running CRC-64 of everything consumed, and can capture the consumed bytes of one value (the raw
 * payload later sent as a RESTORE). CRC and capture are updated lazily, a whole buffer at a time,
 * so the per-byte hot path is a bounds check and an array read.
 */
final class RdbInput {
    private static final int BUF = 64 * 1024;

    private final InputStream in;
    private byte[] buf;
    private int pos;
    private int lim;
    private long base; // absolute offset of buf[0]

    private boolean crcOn = true;
    private long crc;
    private int crcMark;

    private Capture capture; // null when not capturing
    private int capMark;

    /** True when the whole input is {@link #buf} (a captured value): nothing to read, nothing to move. */
    private final boolean fixed;

    RdbInput(InputStream in) {
        this.in = in;
        this.buf = new byte[BUF];
        this.fixed = false;
    }

    /**
     * Reads {@code data} in place, without copying it into a buffer of its own (a small captured
     * value is decoded this way once per key). The array is never modified.
     */
    RdbInput(byte[] data) {
        this.in = InputStream.nullInputStream();
        this.buf = data;
        this.lim = data.length;
        this.fixed = true;
    }

    long offset() {
        return base + pos;
    }

    /** Ensures {@code n} bytes are buffered; {@code what} names the thing being read for errors. */
    private void need(int n, String what) {
        if (lim - pos >= n) {
            return;
        }
        if (fixed) {
            throw new RdbTruncatedException(what, base + lim);
        }
        account();
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, lim - pos);
            base += pos;
            lim -= pos;
            pos = 0;
            crcMark = 0;
            capMark = 0;
        }
        if (n > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(n, buf.length * 2));
        }
        try {
            while (lim < n) {
                int r = in.read(buf, lim, buf.length - lim);
                if (r < 0) {
                    throw new RdbTruncatedException(what, base + lim);
                }
                lim += r;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading the RDB failed at byte offset " + (base + lim) + ": " + e.getMessage(), e);
        }
    }

    /**
     * Folds consumed bytes into the CRC and the capture. Called before the buffer is refilled and
     * when the CRC is asked for, so the CRC runs over whole buffers, not key-sized pieces.
     */
    private void account() {
        accountCrc();
        accountCapture();
    }

    private void accountCrc() {
        if (crcOn && pos > crcMark) {
            crc = Crc64.update(crc, buf, crcMark, pos - crcMark);
        }
        crcMark = pos;
    }

    private void accountCapture() {
        if (capture != null && pos > capMark) {
            capture.write(buf, capMark, pos - capMark);
        }
        capMark = pos;
    }

    int u8(String what) {
        need(1, what);
        return buf[pos++] & 0xff;
    }

    /** Peeks one byte without consuming it; -1 at end of input. */
    int peek() {
        if (lim - pos < 1) {
            try {
                need(1, "");
            } catch (RdbTruncatedException e) {
                return -1;
            }
        }
        return buf[pos] & 0xff;
    }

    /** Strings up to this size are allocated at once; larger ones grow as their bytes arrive. */
    private static final int EAGER = 1 << 20;

    byte[] bytes(int n, String what) {
        // A corrupt length (one flipped bit in a prefix) can claim up to 2 GiB: allocating it up
        // front would fail with OutOfMemoryError instead of reporting the truncation.
        byte[] out = new byte[Math.min(n, EAGER)];
        int done = 0;
        while (done < n) {
            if (pos == lim) {
                need(1, what);
            }
            if (done == out.length) {
                out = Arrays.copyOf(out, (int) Math.min(n, 2L * out.length));
            }
            int k = Math.min(Math.min(n - done, lim - pos), out.length - done);
            System.arraycopy(buf, pos, out, done, k);
            pos += k;
            done += k;
        }
        return out;
    }

    void skip(long n, String what) {
        while (n > 0) {
            if (pos == lim) {
                need(1, what);
            }
            int k = (int) Math.min(n, lim - pos);
            pos += k;
            n -= k;
        }
    }

    long u32le(String what) {
        need(4, what);
        long v = (buf[pos] & 0xffL) | (buf[pos + 1] & 0xffL) << 8 | (buf[pos + 2] & 0xffL) << 16 | (buf[pos + 3] & 0xffL) << 24;
        pos += 4;
        return v;
    }

    long u64le(String what) {
        need(8, what);
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = (v << 8) | (buf[pos + i] & 0xffL);
        }
        pos += 8;
        return v;
    }

    long u32be(String what) {
        need(4, what);
        long v = (buf[pos] & 0xffL) << 24 | (buf[pos + 1] & 0xffL) << 16 | (buf[pos + 2] & 0xffL) << 8 | (buf[pos + 3] & 0xffL);
        pos += 4;
        return v;
    }

    long u64be(String what) {
        need(8, what);
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (buf[pos + i] & 0xffL);
        }
        pos += 8;
        return v;
    }

    /** CRC-64 of every byte consumed so far. */
    long crc() {
        accountCrc();
        return crc;
    }

    void crcEnabled(boolean on) {
        account();
        crcOn = on;
    }

    /** Starts capturing consumed bytes, beginning with {@code firstByte} (already consumed). */
    void startCapture(long memoryLimit, java.nio.file.Path spillDir, byte firstByte) {
        capture = new Capture(memoryLimit, spillDir, firstByte);
        capMark = pos;
    }

    /** Ends the capture: the captured value, or null when it outgrew memory with no spill dir. */
    RawValue endCapture() {
        Capture c = capture;
        capture = null;
        RawValue v = c.finish(buf, capMark, pos - capMark);
        capMark = pos;
        return v;
    }
}
