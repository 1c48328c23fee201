package io.ferry.resp;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Blocking RESP2 parser over an {@link InputStream}, with its own buffer.
 *
 * <p>Besides whole replies ({@link #read()}) it offers line, byte and stream access to the same buffered
 * input, because replication reads {@code +FULLRESYNC ...}, a {@code $<len>} snapshot header and raw snapshot
 * bytes before the command stream. {@link #bytesConsumed()} counts every byte handed out by any of these
 * methods (not bytes merely buffered), which is what replication offsets are computed from.
 *
 * <p>If the underlying read times out ({@link java.net.SocketTimeoutException}) and {@link #bytesConsumed()}
 * did not move during the call, nothing was lost and the call may simply be repeated. Not thread-safe.
 */
public final class RespReader {
    private static final int DEFAULT_BUFFER = 64 * 1024;
    // Lines are short in practice; a longer one means we are not talking to a RESP server.
    private static final int MAX_LINE = 64 * 1024 * 1024;
    private static final int MAX_PRESIZE = 1024;
    private static final byte[] OK = {'O', 'K'};
    private static final byte[] PONG = {'P', 'O', 'N', 'G'};
    private static final byte[] QUEUED = {'Q', 'U', 'E', 'U', 'E', 'D'};

    private final InputStream in;
    private byte[] buf;
    private int pos;
    private int limit;
    /** Stream offset of {@code buf[0]}. */
    private long base;
    private InputStream view;

    public RespReader(InputStream in) {
        this(in, DEFAULT_BUFFER);
    }

    public RespReader(InputStream in, int bufferSize) {
        if (bufferSize < 16) {
            throw new IllegalArgumentException("bufferSize must be at least 16, got " + bufferSize);
        }
        this.in = in;
        this.buf = new byte[bufferSize];
    }

    /** Bytes consumed from the stream so far by any read method. */
    public long bytesConsumed() {
        return base + pos;
    }

    /** Bytes already received but not consumed yet; 0 means the next read will block on the stream. */
    public int buffered() {
        return limit - pos;
    }

    /** Parses the next reply. Throws {@link EOFException} if the stream ends, {@link ProtocolException} on garbage. */
    public Reply read() throws IOException {
        int lf = lineEnd();
        int start = pos + 1;
        int end = contentEnd(lf);
        switch (buf[pos]) {
            case '+': {
                Reply r = matches(start, end, OK) ? Reply.OK
                        : matches(start, end, PONG) ? Reply.PONG
                        : matches(start, end, QUEUED) ? Reply.QUEUED
                        : Reply.simple(text(start, end));
                pos = lf + 1;
                return r;
            }
            case '-': {
                Reply r = Reply.error(text(start, end));
                pos = lf + 1;
                return r;
            }
            case ':': {
                long v = parseLong(start, end);
                pos = lf + 1;
                return Reply.integer(v);
            }
            case '$': {
                long len = parseLong(start, end);
                if (len == -1) {
                    pos = lf + 1;
                    return Reply.NULL_BULK;
                }
                if (len < 0 || len > Integer.MAX_VALUE - 8) {
                    throw new ProtocolException("invalid bulk length: " + text(pos, end));
                }
                pos = lf + 1;
                byte[] value = new byte[(int) len];
                readFully(value, 0, value.length);
                expectCrlf();
                return Reply.bulk(value);
            }
            case '*': {
                long n = parseLong(start, end);
                if (n == -1 || n == 0) {
                    pos = lf + 1;
                    return n == 0 ? Reply.EMPTY_ARRAY : Reply.NULL_ARRAY;
                }
                if (n < 0 || n > Integer.MAX_VALUE - 8) {
                    throw new ProtocolException("invalid array length: " + text(pos, end));
                }
                pos = lf + 1;
                // Do not trust the announced size for preallocation.
                List<Reply> items = new ArrayList<>((int) Math.min(n, MAX_PRESIZE));
                for (long i = 0; i < n; i++) {
                    items.add(read());
                }
                return Reply.array(items);
            }
            default:
                throw new ProtocolException("unexpected reply type byte 0x" + Integer.toHexString(buf[pos] & 0xff)
                        + " in line '" + text(pos, end) + "'");
        }
    }

    /**
     * Reads one line terminated by LF; a preceding CR is stripped. A bare {@code "\n"} (the keepalive a master
     * sends while it prepares a snapshot) yields an empty string.
     */
    public String readLine() throws IOException {
        int lf = lineEnd();
        int end = lf > pos && buf[lf - 1] == '\r' ? lf - 1 : lf;
        String s = text(pos, end);
        pos = lf + 1;
        return s;
    }

    /** Reads exactly {@code n} raw bytes. */
    public byte[] readBytes(int n) throws IOException {
        byte[] b = new byte[n];
        readFully(b, 0, n);
        return b;
    }

    /** Reads exactly {@code len} raw bytes into {@code dst}. */
    public void readFully(byte[] dst, int off, int len) throws IOException {
        int avail = limit - pos;
        if (avail >= len) {
            System.arraycopy(buf, pos, dst, off, len);
            pos += len;
            return;
        }
        System.arraycopy(buf, pos, dst, off, avail);
        pos = limit;
        off += avail;
        len -= avail;
        while (len > 0) {
            int n = readInto(dst, off, len);
            if (n < 0) {
                throw new EOFException("stream ended with " + len + " bytes of a value still missing");
            }
            off += n;
            len -= n;
        }
    }

    /**
     * A view of the remaining input that shares this reader's buffer and byte counter, e.g. for streaming a
     * snapshot to a parser. Closing the view does not close the underlying stream.
     */
    public InputStream inputStream() {
        if (view == null) {
            view = new View();
        }
        return view;
    }

    /** Reads up to {@code len} bytes, bypassing the buffer for large reads once it is empty; -1 at end of stream. */
    private int readInto(byte[] dst, int off, int len) throws IOException {
        if (pos < limit) {
            int n = Math.min(len, limit - pos);
            System.arraycopy(buf, pos, dst, off, n);
            pos += n;
            return n;
        }
        if (len >= buf.length) {
            base += limit;
            pos = limit = 0;
            int n = in.read(dst, off, len);
            if (n > 0) {
                base += n;
            }
            return n;
        }
        if (!fill()) {
            return -1;
        }
        return readInto(dst, off, len);
    }

    private void expectCrlf() throws IOException {
        while (limit - pos < 2) {
            if (!fill()) {
                throw new EOFException("stream ended before the CRLF closing a bulk value");
            }
        }
        if (buf[pos] != '\r' || buf[pos + 1] != '\n') {
            throw new ProtocolException("bulk value not followed by CRLF");
        }
        pos += 2;
    }

    /** Index of the LF ending the line that starts at {@code pos}, reading more input as needed. */
    private int lineEnd() throws IOException {
        int scanned = 0;
        while (true) {
            for (int i = pos + scanned; i < limit; i++) {
                if (buf[i] == '\n') {
                    return i;
                }
            }
            scanned = limit - pos;
            if (!fill()) {
                throw new EOFException(scanned == 0 ? "end of stream" : "stream ended in the middle of a line");
            }
        }
    }

    /** End of the content of a reply line: the CR before {@code lf}, which must be there. */
    private int contentEnd(int lf) {
        if (lf == pos || buf[lf - 1] != '\r') {
            throw new ProtocolException("reply line not terminated by CRLF: '" + text(pos, lf) + "'");
        }
        return lf - 1;
    }

    /** Reads more input into the buffer, compacting or growing it when full; false at end of stream. */
    private boolean fill() throws IOException {
        if (pos == limit) {
            base += pos;
            pos = limit = 0;
        } else if (limit == buf.length) {
            if (pos > 0) {
                System.arraycopy(buf, pos, buf, 0, limit - pos);
                base += pos;
                limit -= pos;
                pos = 0;
            } else {
                if (buf.length >= MAX_LINE) {
                    throw new ProtocolException("reply line longer than " + MAX_LINE + " bytes");
                }
                buf = Arrays.copyOf(buf, Math.min(buf.length * 2, MAX_LINE));
            }
        }
        int n = in.read(buf, limit, buf.length - limit);
        if (n < 0) {
            return false;
        }
        limit += n;
        return true;
    }

    private boolean matches(int start, int end, byte[] literal) {
        if (end - start != literal.length) {
            return false;
        }
        for (int i = 0; i < literal.length; i++) {
            if (buf[start + i] != literal[i]) {
                return false;
            }
        }
        return true;
    }

    private long parseLong(int start, int end) {
        int i = start;
        boolean negative = i < end && buf[i] == '-';
        if (negative) {
            i++;
        }
        if (i == end || end - i > 19) {
            throw new ProtocolException("invalid number in reply line '" + text(start - 1, end) + "'");
        }
        long v = 0;
        for (; i < end; i++) {
            int d = buf[i] - '0';
            if (d < 0 || d > 9) {
                throw new ProtocolException("invalid number in reply line '" + text(start - 1, end) + "'");
            }
            v = v * 10 + d;
            if (v < 0) {
                throw new ProtocolException("number out of range in reply line '" + text(start - 1, end) + "'");
            }
        }
        return negative ? -v : v;
    }

    private String text(int start, int end) {
        return new String(buf, start, end - start, StandardCharsets.UTF_8);
    }

    private final class View extends InputStream {
        @Override
        public int read() throws IOException {
            if (pos == limit && !fill()) {
                return -1;
            }
            return buf[pos++] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            return len == 0 ? 0 : readInto(b, off, len);
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = 0;
            while (skipped < n) {
                if (pos == limit && !fill()) {
                    break;
                }
                int step = (int) Math.min(n - skipped, limit - pos);
                pos += step;
                skipped += step;
            }
            return skipped;
        }

        @Override
        public int available() throws IOException {
            return limit - pos + in.available();
        }
    }
}
