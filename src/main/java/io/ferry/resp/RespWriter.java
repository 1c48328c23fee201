package io.ferry.resp;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Encodes commands as RESP arrays of bulk strings into a growable buffer that is then written to a stream
 * in one call. Not thread-safe.
 */
public final class RespWriter {
    private static final int INITIAL_CAPACITY = 8 * 1024;
    // A single huge value may grow the buffer; do not keep that memory after it was written.
    private static final int RETAINED_CAPACITY = 1024 * 1024;

    private byte[] buf = new byte[INITIAL_CAPACITY];
    private int size;

    /** Appends one command. */
    public void command(byte[]... argv) {
        command(argv, encodedSize(argv));
    }

    /** Appends one command whose {@link #encodedSize} the caller already knows. */
    public void command(byte[][] argv, long encodedSize) {
        ensure(encodedSize);
        buf[size++] = '*';
        writeDecimal(argv.length);
        for (byte[] arg : argv) {
            buf[size++] = '$';
            writeDecimal(arg.length);
            System.arraycopy(arg, 0, buf, size, arg.length);
            size += arg.length;
            buf[size++] = '\r';
            buf[size++] = '\n';
        }
    }

    /** Appends one command whose arguments are UTF-8 encoded. */
    public void command(String... args) {
        command(utf8(args));
    }

    /** Bytes currently buffered. */
    public int size() {
        return size;
    }

    /** Writes the buffered bytes to {@code out} (without flushing it) and empties the buffer. */
    public void writeTo(OutputStream out) throws IOException {
        try {
            out.write(buf, 0, size);
        } finally {
            clear();
        }
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(buf, size);
    }

    public void clear() {
        size = 0;
        if (buf.length > RETAINED_CAPACITY) {
            buf = new byte[INITIAL_CAPACITY];
        }
    }

    /** Exact number of bytes {@link #command(byte[]...)} appends for {@code argv}. */
    public static long encodedSize(byte[][] argv) {
        long n = 1 + decimalLength(argv.length) + 2;
        for (byte[] arg : argv) {
            n += 1 + decimalLength(arg.length) + 2 + arg.length + 2;
        }
        return n;
    }

    static byte[][] utf8(String... args) {
        byte[][] argv = new byte[args.length][];
        for (int i = 0; i < args.length; i++) {
            argv[i] = args[i].getBytes(StandardCharsets.UTF_8);
        }
        return argv;
    }

    /** Writes {@code n} (non-negative) followed by CRLF, digits straight into the buffer. */
    private void writeDecimal(int n) {
        int end = size + decimalLength(n);
        int p = end;
        do {
            buf[--p] = (byte) ('0' + n % 10);
            n /= 10;
        } while (n != 0);
        buf[end] = '\r';
        buf[end + 1] = '\n';
        size = end + 2;
    }

    private static int decimalLength(int n) {
        if (n < 10) {
            return 1;
        }
        if (n < 100) {
            return 2;
        }
        if (n < 1000) {
            return 3;
        }
        int len = 4;
        for (int x = n / 10_000; x > 0; x /= 10) {
            len++;
        }
        return len;
    }

    private void ensure(long extra) {
        long needed = size + extra;
        if (needed > buf.length) {
            if (needed > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("command too large to encode: " + extra + " bytes");
            }
            buf = Arrays.copyOf(buf, (int) Math.max(needed, Math.min((long) buf.length * 2, Integer.MAX_VALUE - 8)));
        }
    }
}
