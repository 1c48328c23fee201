package io.ferry.cli;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * Passes only whole lines on: the line being written is held back until its newline, so a
 * decode that fails in the middle of a key leaves the complete records before it and no
 * half-written one. To keep memory bounded, a line that grows past {@code holdLimit} (one huge
 * collection) is passed on as it grows; only such a line can be left unfinished.
 */
final class WholeLinesOutputStream extends FilterOutputStream {
    private final int holdLimit;
    private byte[] held = new byte[8192];
    private int n;

    WholeLinesOutputStream(OutputStream out, int holdLimit) {
        super(out);
        this.holdLimit = holdLimit;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        int nl = -1;
        for (int i = off + len - 1; i >= off; i--) {
            if (b[i] == '\n') {
                nl = i;
                break;
            }
        }
        if (nl >= 0) {
            out.write(held, 0, n);
            n = 0;
            out.write(b, off, nl + 1 - off);
            len -= nl + 1 - off;
            off = nl + 1;
        }
        hold(b, off, len);
    }

    private void hold(byte[] b, int off, int len) throws IOException {
        if (n + len > held.length) {
            held = Arrays.copyOf(held, Math.max(n + len, held.length * 2));
        }
        System.arraycopy(b, off, held, n, len);
        n += len;
        if (n > holdLimit) {
            out.write(held, 0, n);
            n = 0;
        }
    }

    /** Forgets the unfinished line (what was held back of it). */
    void dropUnfinishedLine() {
        n = 0;
        if (held.length > 1 << 16) {
            held = new byte[8192];
        }
    }

    /** Flushes the complete lines only; the unfinished one stays held. */
    @Override
    public void flush() throws IOException {
        out.flush();
    }

    @Override
    public void close() throws IOException {
        try {
            out.write(held, 0, n); // normally empty: every record ends with a newline
            n = 0;
        } finally {
            super.close();
        }
    }
}
