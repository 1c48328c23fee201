package io.ferry.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * Holds back the bytes of the record being written and passes them on only when the writer
 * declares the record complete ({@link #commit}), so a decode that fails in the middle of a key
 * leaves the complete records before it and no half-written one. To keep memory bounded, a
 * record that grows past {@code holdLimit} (one huge collection) is passed on as it grows; only
 * such a record can be left unfinished.
 */
final class RecordOutputStream extends OutputStream {
    private final OutputStream out;
    private final int holdLimit;
    private byte[] held = new byte[8192];
    private int n;

    RecordOutputStream(OutputStream out, int holdLimit) {
        this.out = out;
        this.holdLimit = holdLimit;
    }

    @Override
    public void write(int b) throws IOException {
        if (n == held.length) {
            grow(1);
        }
        held[n++] = (byte) b;
        spillIfLarge();
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (n + len > held.length) {
            grow(len);
        }
        System.arraycopy(b, off, held, n, len);
        n += len;
        spillIfLarge();
    }

    private void grow(int more) {
        held = Arrays.copyOf(held, Math.max(n + more, held.length * 2));
    }

    private void spillIfLarge() throws IOException {
        if (n > holdLimit) {
            commit();
        }
    }

    /** The record written so far is complete: pass it on. */
    void commit() throws IOException {
        out.write(held, 0, n);
        n = 0;
        if (held.length > 1 << 20) {
            held = new byte[8192]; // do not keep a huge record's buffer for the small ones after it
        }
    }

    /** Forgets what was written since the last commit (a record the failure interrupted). */
    void dropUncommitted() {
        n = 0;
    }

    /**
     * Does not reach the device: writers flush after every record, and passing that on would
     * cost a write(2) per key. Committed bytes leave when the downstream buffer fills, and on close.
     */
    @Override
    public void flush() {
    }

    /** Passes on what is held (nothing, unless a record was left uncommitted), then closes. */
    @Override
    public void close() throws IOException {
        try {
            commit();
            out.flush();
        } finally {
            out.close();
        }
    }
}
