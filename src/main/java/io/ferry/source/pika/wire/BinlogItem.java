package io.ferry.source.pika.wire;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The {@code binlog} bytes of one push item: a 34-byte little-endian header and the command as a RESP array.
 * The header's filenum/offset is where the producer stood before writing (after a rollover: the end of the previous
 * file), so it is informational only — acks and resumes use the PB offset of the push item.
 */
public record BinlogItem(int type, long execTime, long termId, long logicId, long filenum, long offset, byte[][] argv) {
    public static final int HEADER_LENGTH = 34;

    public static BinlogItem parse(byte[] binlog) throws PikaProtocolException {
        if (binlog.length < HEADER_LENGTH) throw new PikaProtocolException("binlog item of " + binlog.length + " bytes is shorter than its 34-byte header");
        ByteBuffer b = ByteBuffer.wrap(binlog).order(ByteOrder.LITTLE_ENDIAN);
        int type = b.getShort() & 0xffff;
        long execTime = b.getInt() & 0xffffffffL;
        long termId = b.getInt() & 0xffffffffL;
        long logicId = b.getLong();
        long filenum = b.getInt() & 0xffffffffL;
        long offset = b.getLong();
        long contentLen = b.getInt() & 0xffffffffL;
        if (contentLen != binlog.length - HEADER_LENGTH) {
            throw new PikaProtocolException("binlog item content_len " + contentLen + " but " + (binlog.length - HEADER_LENGTH) + " bytes follow the header");
        }
        return new BinlogItem(type, execTime, termId, logicId, filenum, offset, parseResp(binlog, HEADER_LENGTH));
    }

    public static byte[] encode(BinlogItem item) {
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        content.writeBytes(("*" + item.argv.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
        for (byte[] a : item.argv) {
            content.writeBytes(("$" + a.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            content.writeBytes(a);
            content.writeBytes(new byte[] {'\r', '\n'});
        }
        byte[] c = content.toByteArray();
        ByteBuffer b = ByteBuffer.allocate(HEADER_LENGTH + c.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort((short) item.type).putInt((int) item.execTime).putInt((int) item.termId).putLong(item.logicId)
                .putInt((int) item.filenum).putLong(item.offset).putInt(c.length).put(c);
        return b.array();
    }

    /** The command name as logged (letter case kept: Pika logs the client's argv verbatim, rewrites in lower case). */
    public String command() {
        return argv.length == 0 ? "" : new String(argv[0], StandardCharsets.ISO_8859_1);
    }

    private static byte[][] parseResp(byte[] buf, int start) throws PikaProtocolException {
        int[] pos = {start};
        long argc = number(buf, pos, '*');
        if (argc < 1 || argc > buf.length) throw new PikaProtocolException("binlog item RESP array of " + argc + " arguments");
        byte[][] argv = new byte[(int) argc][];
        for (int i = 0; i < argc; i++) {
            long len = number(buf, pos, '$');
            if (len < 0 || len > buf.length - pos[0] - 2) throw new PikaProtocolException("binlog item argument " + i + " of " + len + " bytes runs past the item");
            argv[i] = java.util.Arrays.copyOfRange(buf, pos[0], pos[0] + (int) len);
            pos[0] += (int) len;
            if (buf[pos[0]] != '\r' || buf[pos[0] + 1] != '\n') throw new PikaProtocolException("binlog item argument " + i + " not terminated by CRLF");
            pos[0] += 2;
        }
        if (pos[0] != buf.length) throw new PikaProtocolException("binlog item has " + (buf.length - pos[0]) + " bytes after its RESP array");
        return argv;
    }

    /** {@code <prefix><decimal>\r\n} */
    private static long number(byte[] buf, int[] pos, char prefix) throws PikaProtocolException {
        if (pos[0] >= buf.length || buf[pos[0]] != prefix) throw new PikaProtocolException("binlog item RESP: expected '" + prefix + "' at byte " + pos[0]);
        int p = pos[0] + 1;
        long v = 0;
        int digits = 0;
        while (p < buf.length && buf[p] >= '0' && buf[p] <= '9' && digits < 12) {
            v = v * 10 + (buf[p++] - '0');
            digits++;
        }
        if (digits == 0 || p + 1 >= buf.length || buf[p] != '\r' || buf[p + 1] != '\n') {
            throw new PikaProtocolException("binlog item RESP: malformed '" + prefix + "' line at byte " + pos[0]);
        }
        pos[0] = p + 2;
        return v;
    }
}
