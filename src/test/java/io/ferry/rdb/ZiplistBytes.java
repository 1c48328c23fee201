package io.ferry.rdb;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds ziplist blobs entry by entry with an explicit encoding each, as ziplist.c lays them out:
 * zlbytes, zltail, zllen, entries (prevlen, encoding, data), 0xFF.
 */
public final class ZiplistBytes {
    private final List<byte[]> entries = new ArrayList<>(); // encoding + data, no prevlen

    private ZiplistBytes add(int... b) {
        byte[] e = new byte[b.length];
        for (int i = 0; i < b.length; i++) {
            e[i] = (byte) b[i];
        }
        entries.add(e);
        return this;
    }

    private ZiplistBytes add(byte[] head, byte[] data) {
        byte[] e = new byte[head.length + data.length];
        System.arraycopy(head, 0, e, 0, head.length);
        System.arraycopy(data, 0, e, head.length, data.length);
        entries.add(e);
        return this;
    }

    public ZiplistBytes str6(byte[] s) {
        return add(new byte[] {(byte) s.length}, s);
    }

    public ZiplistBytes str14(byte[] s) {
        return add(new byte[] {(byte) (0x40 | s.length >> 8), (byte) s.length}, s);
    }

    public ZiplistBytes str32(byte[] s) {
        int n = s.length;
        return add(new byte[] {(byte) 0x80, (byte) (n >>> 24), (byte) (n >>> 16), (byte) (n >>> 8), (byte) n}, s);
    }

    /** The encoding Redis picks for a non-integer string. */
    public ZiplistBytes str(byte[] s) {
        return s.length < 64 ? str6(s) : s.length < 16384 ? str14(s) : str32(s);
    }

    public ZiplistBytes str(String s) {
        return str(s.getBytes(StandardCharsets.UTF_8));
    }

    public ZiplistBytes int8(int v) {
        return add(0xfe, v);
    }

    public ZiplistBytes int16(int v) {
        return add(0xc0, v, v >> 8);
    }

    public ZiplistBytes int24(int v) {
        return add(0xf0, v, v >> 8, v >> 16);
    }

    public ZiplistBytes int32(int v) {
        return add(0xd0, v, v >> 8, v >> 16, v >> 24);
    }

    public ZiplistBytes int64(long v) {
        byte[] e = new byte[9];
        e[0] = (byte) 0xe0;
        for (int i = 0; i < 8; i++) {
            e[1 + i] = (byte) (v >>> (8 * i));
        }
        entries.add(e);
        return this;
    }

    /** The 4-bit immediate encodings 0xF1-0xFD hold 0..12. */
    public ZiplistBytes imm(int v) {
        return add(0xf1 + v);
    }

    /** The encoding Redis picks for an integer. */
    public ZiplistBytes integer(long v) {
        if (v >= 0 && v <= 12) {
            return imm((int) v);
        }
        if (v >= Byte.MIN_VALUE && v <= Byte.MAX_VALUE) {
            return int8((int) v);
        }
        if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) {
            return int16((int) v);
        }
        if (v >= -(1 << 23) && v < (1 << 23)) {
            return int24((int) v);
        }
        if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
            return int32((int) v);
        }
        return int64(v);
    }

    /** A string element stored as Redis would: canonical decimal integers as integers. */
    public ZiplistBytes element(byte[] s) {
        Long v = Packs.canonicalLong(s);
        return v != null ? integer(v) : str(s);
    }

    public byte[] build() {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        int prev = 0;
        int tail = 10;
        for (byte[] e : entries) {
            tail = 10 + body.size();
            int start = body.size();
            if (prev < 254) {
                body.write(prev);
            } else {
                body.write(0xfe);
                Packs.le(body, prev, 4);
            }
            body.write(e, 0, e.length);
            prev = body.size() - start;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Packs.le(out, 10 + body.size() + 1, 4);
        Packs.le(out, tail, 4);
        Packs.le(out, Math.min(entries.size(), 65535), 2);
        out.write(body.toByteArray(), 0, body.size());
        out.write(0xff);
        return out.toByteArray();
    }
}
