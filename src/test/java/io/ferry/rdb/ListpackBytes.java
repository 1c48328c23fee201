package io.ferry.rdb;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds listpack blobs entry by entry with an explicit encoding each, as listpack.c lays them
 * out: total bytes, element count, entries (encoding, data, backlen), 0xFF. The backlen uses
 * lpEncodeBacklen's exact size thresholds.
 */
public final class ListpackBytes {
    private final List<byte[]> entries = new ArrayList<>(); // encoding + data, no backlen

    private ListpackBytes add(byte[] e) {
        entries.add(e);
        return this;
    }

    private ListpackBytes add(int... b) {
        byte[] e = new byte[b.length];
        for (int i = 0; i < b.length; i++) {
            e[i] = (byte) b[i];
        }
        return add(e);
    }

    private ListpackBytes add(byte[] head, byte[] data) {
        byte[] e = new byte[head.length + data.length];
        System.arraycopy(head, 0, e, 0, head.length);
        System.arraycopy(data, 0, e, head.length, data.length);
        return add(e);
    }

    public int count() {
        return entries.size();
    }

    public ListpackBytes uint7(int v) {
        return add(v & 0x7f);
    }

    public ListpackBytes int13(int v) {
        return add(0xc0 | (v >> 8) & 0x1f, v & 0xff);
    }

    public ListpackBytes int16(int v) {
        return add(0xf1, v, v >> 8);
    }

    public ListpackBytes int24(int v) {
        return add(0xf2, v, v >> 8, v >> 16);
    }

    public ListpackBytes int32(int v) {
        return add(0xf3, v, v >> 8, v >> 16, v >> 24);
    }

    public ListpackBytes int64(long v) {
        byte[] e = new byte[9];
        e[0] = (byte) 0xf4;
        for (int i = 0; i < 8; i++) {
            e[1 + i] = (byte) (v >>> (8 * i));
        }
        return add(e);
    }

    public ListpackBytes str6(byte[] s) {
        return add(new byte[] {(byte) (0x80 | s.length)}, s);
    }

    public ListpackBytes str12(byte[] s) {
        return add(new byte[] {(byte) (0xe0 | s.length >> 8), (byte) s.length}, s);
    }

    public ListpackBytes str32(byte[] s) {
        int n = s.length;
        return add(new byte[] {(byte) 0xf0, (byte) n, (byte) (n >>> 8), (byte) (n >>> 16), (byte) (n >>> 24)}, s);
    }

    public ListpackBytes str(byte[] s) {
        return s.length < 64 ? str6(s) : s.length < 4096 ? str12(s) : str32(s);
    }

    public ListpackBytes str(String s) {
        return str(s.getBytes(StandardCharsets.UTF_8));
    }

    /** The encoding Redis picks for an integer (lpEncodeIntegerGetType). */
    public ListpackBytes integer(long v) {
        if (v >= 0 && v <= 127) {
            return uint7((int) v);
        }
        if (v >= -4096 && v <= 4095) {
            return int13((int) v);
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
    public ListpackBytes element(byte[] s) {
        Long v = Packs.canonicalLong(s);
        return v != null ? integer(v) : str(s);
    }

    /** lpEncodeBacklen: note the thresholds are 127, 16383, 2097151, 268435455 (not powers of two). */
    public static byte[] backlen(long l) {
        if (l <= 127) {
            return new byte[] {(byte) l};
        } else if (l < 16383) {
            return new byte[] {(byte) (l >> 7), (byte) (l & 127 | 128)};
        } else if (l < 2097151) {
            return new byte[] {(byte) (l >> 14), (byte) (l >> 7 & 127 | 128), (byte) (l & 127 | 128)};
        } else if (l < 268435455) {
            return new byte[] {(byte) (l >> 21), (byte) (l >> 14 & 127 | 128), (byte) (l >> 7 & 127 | 128), (byte) (l & 127 | 128)};
        } else {
            return new byte[] {(byte) (l >> 28), (byte) (l >> 21 & 127 | 128), (byte) (l >> 14 & 127 | 128), (byte) (l >> 7 & 127 | 128), (byte) (l & 127 | 128)};
        }
    }

    public byte[] build() {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (byte[] e : entries) {
            body.write(e, 0, e.length);
            byte[] bl = backlen(e.length);
            body.write(bl, 0, bl.length);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Packs.le(out, 6 + body.size() + 1, 4);
        Packs.le(out, Math.min(entries.size(), 65535), 2);
        out.write(body.toByteArray(), 0, body.size());
        out.write(0xff);
        return out.toByteArray();
    }
}
