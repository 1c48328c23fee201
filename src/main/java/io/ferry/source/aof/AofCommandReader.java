package io.ferry.source.aof;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the command part of an AOF: RESP arrays of bulk strings, as Redis writes them, and the
 * {@code #...} annotation lines between them ({@code #TS:<unix-seconds>} in Redis 7.0+). Offsets
 * are byte positions in the file. A file that ends inside a command is
 * {@link AofTruncatedException truncated} (a crash while Redis wrote it); any other departure from
 * that format is {@link AofFormatException corrupt}. Own parser rather than
 * {@link io.ferry.resp.RespReader}: replies have no annotations, and a reply parser cannot tell a
 * clean end of file from one inside a command.
 */
public final class AofCommandReader {
    /** Redis writes annotations up to 1024 bytes; a header line ({@code *N}, {@code $N}) is short. */
    private static final int MAX_ANNOTATION = 1024;
    private static final int MAX_HEADER = 32;

    /** A command or an annotation, with the file offsets before its first and after its last byte. */
    public sealed interface Entry {
        long start();

        long end();
    }

    public record Command(byte[][] argv, long start, long end) implements Entry {}

    /** An annotation line's text, without its '#' and line end (e.g. {@code TS:1700000000}). */
    public record Annotation(String text, long start, long end) implements Entry {}

    private final InputStream in;
    private final String name;
    private final long fileEnd;
    private final boolean keepValues;
    private final byte[] buf = new byte[64 * 1024];
    private int pos;
    private int lim;
    private long bufStart; // file offset of buf[0]

    /**
     * {@code in} is positioned at file offset {@code start}; {@code fileEnd} is the file's size
     * (Long.MAX_VALUE when unknown), so a bulk length beyond it is a truncation found without
     * allocating it. Without {@code keepValues} only each command's name is kept (a validating scan).
     */
    public AofCommandReader(InputStream in, String name, long start, long fileEnd, boolean keepValues) {
        this.in = in;
        this.name = name;
        this.bufStart = start;
        this.fileEnd = fileEnd;
        this.keepValues = keepValues;
    }

    /** File offset of the next unread byte. */
    public long position() {
        return bufStart + pos;
    }

    /** The next entry, or null at a clean end of file (between commands). */
    public Entry next() throws IOException {
        if (!ensure(1)) {
            return null;
        }
        long start = position();
        if (buf[pos] == '#') {
            String line = line(start, MAX_ANNOTATION, "an annotation");
            return new Annotation(line.substring(1), start, position());
        }
        if (buf[pos] != '*') {
            throw corrupt("expected a command (a RESP array, '*'), found byte 0x" + Integer.toHexString(buf[pos] & 0xff) + ": not an AOF, or corrupt", start);
        }
        long argc = number(start, '*', "a command's argument count");
        if (argc < 1) {
            throw corrupt("a command with " + argc + " arguments", start);
        }
        List<byte[]> argv = new ArrayList<>((int) Math.min(argc, 1024)); // the count is not trusted for allocation
        for (long i = 0; i < argc; i++) {
            long at = position();
            if (!ensure(1)) {
                throw truncated(start);
            }
            if (buf[pos] != '$') {
                throw corrupt("expected a bulk string ('$') in a command, found byte 0x" + Integer.toHexString(buf[pos] & 0xff), at);
            }
            long len = number(start, '$', "a bulk string length");
            if (len < 0 || len > Integer.MAX_VALUE - 8) {
                throw corrupt("invalid bulk string length " + len, at);
            }
            if (position() + len + 2 > fileEnd) {
                throw truncated(start);
            }
            argv.add(keepValues || i == 0 ? bytes(start, (int) len) : skip(start, len));
            if (!ensure(2)) {
                throw truncated(start);
            }
            if (buf[pos] != '\r' || buf[pos + 1] != '\n') {
                throw corrupt("a bulk string not followed by CRLF", position());
            }
            pos += 2;
        }
        return new Command(argv.toArray(new byte[0][]), start, position());
    }

    /** Reads a line starting at pos (up to LF, CR stripped); EOF before its LF is a truncation. */
    private String line(long entryStart, int max, String what) throws IOException {
        int scanned = 0;
        while (true) {
            for (int i = pos + scanned; i < lim; i++) {
                if (buf[i] == '\n') {
                    int end = i > pos && buf[i - 1] == '\r' ? i - 1 : i;
                    String s = new String(buf, pos, end - pos, StandardCharsets.ISO_8859_1);
                    pos = i + 1;
                    return s;
                }
                if (i - pos >= max) {
                    throw corrupt(what + " longer than " + max + " bytes", position());
                }
            }
            scanned = lim - pos;
            if (!ensure(scanned + 1)) {
                throw truncated(entryStart);
            }
        }
    }

    /** Parses a {@code <prefix><digits>\r\n} header line. */
    private long number(long entryStart, char prefix, String what) throws IOException {
        long at = position();
        String l = line(entryStart, MAX_HEADER, what);
        if (buf[pos - 2] != '\r') {
            throw corrupt(what + " line not ended by CRLF", at);
        }
        boolean negative = l.length() > 1 && l.charAt(1) == '-';
        int first = negative ? 2 : 1;
        if (l.charAt(0) != prefix || l.length() == first || l.length() - first > 18) {
            throw corrupt("invalid " + what + " line '" + l + "'", at);
        }
        long v = 0;
        for (int i = first; i < l.length(); i++) {
            char c = l.charAt(i);
            if (c < '0' || c > '9') {
                throw corrupt("invalid " + what + " '" + l.substring(1) + "'", at);
            }
            v = v * 10 + (c - '0');
        }
        return negative ? -v : v;
    }

    private byte[] bytes(long entryStart, int len) throws IOException {
        byte[] b = new byte[len];
        int done = Math.min(len, lim - pos);
        System.arraycopy(buf, pos, b, 0, done);
        pos += done;
        while (done < len) { // past the buffer: straight into the value
            int n = in.read(b, done, len - done);
            if (n < 0) {
                throw truncated(entryStart);
            }
            bufStart += n;
            done += n;
        }
        return b;
    }

    private byte[] skip(long entryStart, long len) throws IOException {
        long left = len;
        while (left > 0) {
            if (!ensure(1)) {
                throw truncated(entryStart);
            }
            int n = (int) Math.min(left, lim - pos);
            pos += n;
            left -= n;
        }
        return null;
    }

    /** Makes {@code n} bytes (n at most the buffer size) available from pos; false at end of file. */
    private boolean ensure(int n) throws IOException {
        while (lim - pos < n) {
            if (pos > 0) {
                System.arraycopy(buf, pos, buf, 0, lim - pos);
                bufStart += pos;
                lim -= pos;
                pos = 0;
            }
            int r = in.read(buf, lim, buf.length - lim);
            if (r < 0) {
                return false;
            }
            lim += r;
        }
        return true;
    }

    private AofTruncatedException truncated(long start) {
        return new AofTruncatedException(name + ": the file ends inside the command at byte offset " + start
                + " (truncated, as after a crash while it was written)", start);
    }

    private AofFormatException corrupt(String what, long at) {
        return new AofFormatException(name + ": corrupt AOF at byte offset " + at + ": " + what, at);
    }
}
