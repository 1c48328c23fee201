package io.ferry.rdb;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes an RDB file that a server loads: header, aux fields, function libraries, keys with their
 * values exactly as a source RDB serialized them (never re-encoded, so the file's version must be
 * one that reads them), EOF and the CRC-64 of everything before it. Opcodes as in redis's rdb.h.
 */
public final class RdbWriter {
    private final OutputStream out;
    private final int version;
    private final byte[] scratch = new byte[1 << 16];
    private long crc;
    private long written;
    private int db = -1;

    /**
     * Starts the file: {@code REDIS} and a 4-digit version, or {@code VALKEY080} for Valkey's own
     * format. {@code out} should be buffered; the caller closes it.
     */
    public RdbWriter(OutputStream out, int version, boolean valkey) throws IOException {
        this.out = out;
        this.version = version;
        String magic = valkey ? "VALKEY" + String.format("%03d", version) : "REDIS" + String.format("%04d", version);
        write(magic.getBytes(StandardCharsets.US_ASCII));
    }

    /** Bytes written so far. */
    public long written() {
        return written;
    }

    /** An AUX field (RDB 7+, Redis 3.2; older versions have none and this writes nothing). */
    public void aux(String name, String value) throws IOException {
        if (version < 7) {
            return;
        }
        op(RdbReader.OP_AUX);
        string(name.getBytes(StandardCharsets.UTF_8));
        string(value.getBytes(StandardCharsets.UTF_8));
    }

    /** A function library (FUNCTION2 opcode, RDB 10+). */
    public void function(byte[] code) throws IOException {
        op(RdbReader.OP_FUNCTION2);
        string(code);
    }

    /**
     * One key: its expiry and eviction hints, then the type byte, the name and the value as
     * serialized in {@code raw} (type byte first). A SELECTDB precedes it when its db differs.
     */
    public void key(int keyDb, byte[] key, long expireAtMs, long idleSeconds, int lfuFreq, RawValue raw) throws IOException {
        if (keyDb != db) {
            op(RdbReader.OP_SELECTDB);
            length(keyDb);
            db = keyDb;
        }
        if (expireAtMs != KeyHeader.NO_EXPIRE) {
            if (version >= 3) {
                op(RdbReader.OP_EXPIRETIME_MS);
                long v = expireAtMs;
                for (int i = 0; i < 8; i++, v >>>= 8) {
                    scratch[i] = (byte) v;
                }
                write(scratch, 0, 8);
            } else { // seconds before RDB 3
                op(RdbReader.OP_EXPIRETIME);
                long v = (expireAtMs + 999) / 1000;
                for (int i = 0; i < 4; i++, v >>>= 8) {
                    scratch[i] = (byte) v;
                }
                write(scratch, 0, 4);
            }
        }
        if (version >= 9) { // IDLE/FREQ opcodes exist from RDB 9 (Redis 5.0)
            if (idleSeconds >= 0) {
                op(RdbReader.OP_IDLE);
                length(idleSeconds);
            } else if (lfuFreq >= 0) {
                op(RdbReader.OP_FREQ);
                op(lfuFreq);
            }
        }
        if (raw.inMemory()) {
            byte[] b = raw.bytes();
            write(b, 0, 1);
            string(key);
            write(b, 1, b.length - 1);
            return;
        }
        try (InputStream in = raw.open()) {
            int type = in.read();
            if (type < 0) {
                throw new IOException("the spilled value of a key is empty");
            }
            op(type);
            string(key);
            for (int n; (n = in.read(scratch)) > 0; ) {
                write(scratch, 0, n);
            }
        }
    }

    /** Ends the file: EOF and, from RDB 5 on, the checksum. Does not close the stream. */
    public void finish() throws IOException {
        op(RdbReader.OP_EOF);
        if (version >= 5) {
            long c = crc;
            for (int i = 0; i < 8; i++, c >>>= 8) {
                scratch[i] = (byte) c;
            }
            write(scratch, 0, 8);
        }
        out.flush();
    }

    private void op(int b) throws IOException {
        scratch[0] = (byte) b;
        write(scratch, 0, 1);
    }

    /** RDB length encoding: 6 bits, 14 bits, 32 or 64 bits big-endian. */
    private void length(long n) throws IOException {
        byte[] s = new byte[9];
        int len;
        if (n < 1 << 6) {
            s[0] = (byte) n;
            len = 1;
        } else if (n < 1 << 14) {
            s[0] = (byte) (0x40 | n >>> 8);
            s[1] = (byte) n;
            len = 2;
        } else if (n <= 0xffffffffL) {
            s[0] = (byte) 0x80;
            for (int i = 0; i < 4; i++) {
                s[1 + i] = (byte) (n >>> (24 - 8 * i));
            }
            len = 5;
        } else {
            s[0] = (byte) 0x81;
            for (int i = 0; i < 8; i++) {
                s[1 + i] = (byte) (n >>> (56 - 8 * i));
            }
            len = 9;
        }
        write(s, 0, len);
    }

    /** A plain (length-prefixed, uncompressed) RDB string. */
    private void string(byte[] b) throws IOException {
        length(b.length);
        write(b);
    }

    private void write(byte[] b) throws IOException {
        write(b, 0, b.length);
    }

    private void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
        crc = Crc64.update(crc, b, off, len);
        written += len;
    }
}
