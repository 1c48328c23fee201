package io.ferry.rdb;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Builds RDB bytes for tests: header, opcodes, lengths in each encoding, strings (plain,
 * integer-encoded, LZF) and the EOF trailer with its CRC-64. {@link #size()} is the offset the
 * next byte will have, so tests can state the exact offsets error messages must name.
 */
public final class RdbBytes {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    public static RdbBytes redis(int version) {
        return new RdbBytes().ascii(String.format("REDIS%04d", version));
    }

    public static RdbBytes magic(String nineChars) {
        return new RdbBytes().ascii(nineChars);
    }

    public int size() {
        return out.size();
    }

    public byte[] bytes() {
        return out.toByteArray();
    }

    public RdbBytes raw(int... bytes) {
        for (int b : bytes) {
            out.write(b);
        }
        return this;
    }

    public RdbBytes raw(byte[] b) {
        out.write(b, 0, b.length);
        return this;
    }

    public RdbBytes ascii(String s) {
        return raw(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    public RdbBytes u32le(long v) {
        for (int i = 0; i < 4; i++) {
            out.write((int) (v >>> (8 * i)));
        }
        return this;
    }

    public RdbBytes u64le(long v) {
        for (int i = 0; i < 8; i++) {
            out.write((int) (v >>> (8 * i)));
        }
        return this;
    }

    public RdbBytes u64be(long v) {
        for (int i = 7; i >= 0; i--) {
            out.write((int) (v >>> (8 * i)));
        }
        return this;
    }

    // ---- lengths ----

    /** The shortest encoding, as Redis writes it. */
    public RdbBytes len(long n) {
        if (n >= 0 && n < 64) {
            return len6(n);
        }
        if (n >= 0 && n < 16384) {
            return len14(n);
        }
        if (n >= 0 && n <= 0xffffffffL) {
            return len32(n);
        }
        return len64(n);
    }

    public RdbBytes len6(long n) {
        return raw((int) n & 0x3f);
    }

    public RdbBytes len14(long n) {
        return raw(0x40 | (int) (n >> 8) & 0x3f, (int) n & 0xff);
    }

    public RdbBytes len32(long n) {
        raw(0x80);
        for (int i = 3; i >= 0; i--) {
            out.write((int) (n >>> (8 * i)));
        }
        return this;
    }

    public RdbBytes len64(long n) {
        return raw(0x81).u64be(n);
    }

    // ---- strings ----

    public RdbBytes str(String s) {
        return str(s.getBytes(StandardCharsets.UTF_8));
    }

    public RdbBytes str(byte[] b) {
        return len(b.length).raw(b);
    }

    /** An integer-encoded string: int8, int16 or int32, whichever fits. */
    public RdbBytes intStr(long v) {
        if (v >= Byte.MIN_VALUE && v <= Byte.MAX_VALUE) {
            return raw(0xc0, (int) v & 0xff);
        }
        if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) {
            return raw(0xc1, (int) v & 0xff, (int) (v >> 8) & 0xff);
        }
        if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
            return raw(0xc2).u32le(v);
        }
        throw new IllegalArgumentException(v + " does not fit an integer-encoded string");
    }

    /** An LZF-compressed string (whether or not compression saves space). */
    public RdbBytes lzfStr(byte[] b) {
        byte[] c = LzfCompressor.compress(b);
        return raw(0xc3).len(c.length).len(b.length).raw(c);
    }

    // ---- opcodes ----

    public RdbBytes aux(String name, String value) {
        return raw(RdbReader.OP_AUX).str(name).str(value);
    }

    public RdbBytes selectDb(long db) {
        return raw(RdbReader.OP_SELECTDB).len(db);
    }

    public RdbBytes resizeDb(long size, long expires) {
        return raw(RdbReader.OP_RESIZEDB).len(size).len(expires);
    }

    public RdbBytes expireMs(long at) {
        return raw(RdbReader.OP_EXPIRETIME_MS).u64le(at);
    }

    public RdbBytes expireSeconds(long at) {
        return raw(RdbReader.OP_EXPIRETIME).u32le(at);
    }

    /** A key's type byte and name; the value follows. */
    public RdbBytes key(int type, String name) {
        return raw(type).str(name);
    }

    public RdbBytes key(int type, byte[] name) {
        return raw(type).str(name);
    }

    /** A string key with a plain string value. */
    public RdbBytes stringKey(String name, String value) {
        return key(RdbType.STRING, name).str(value);
    }

    /** EOF and the CRC-64 of everything before it (the EOF byte included), as Redis writes it. */
    public byte[] eof() {
        raw(RdbReader.OP_EOF);
        byte[] b = bytes();
        return u64le(Crc64.of(b)).bytes();
    }

    /** EOF without a checksum, as RDB versions before 5 end. */
    public byte[] eofNoChecksum() {
        return raw(RdbReader.OP_EOF).bytes();
    }

    /** EOF and an all-zero checksum, as a server with {@code rdbchecksum no} writes it. */
    public byte[] eofZeroChecksum() {
        return raw(RdbReader.OP_EOF).u64le(0).bytes();
    }
}
