package io.ferry.rdb;

/** Reads a listpack blob (Redis 5+ streams, Redis 7+ compact lists, sets, hashes, sorted sets). */
final class Listpack implements PackCursor {
    private final byte[] b;
    private int p;
    private final int end;

    Listpack(byte[] blob) {
        if (blob.length < 7) {
            throw new IllegalArgumentException("listpack of " + blob.length + " bytes is too short");
        }
        long total = Ziplist.le(blob, 0, 4);
        if (total != blob.length) {
            throw new IllegalArgumentException("listpack header says " + total + " bytes, blob has " + blob.length);
        }
        if ((blob[blob.length - 1] & 0xff) != 0xff) {
            throw new IllegalArgumentException("listpack does not end with 0xFF");
        }
        this.b = blob;
        this.p = 6;
        this.end = blob.length - 1;
    }

    @Override
    public boolean hasNext() {
        return p < end;
    }

    private boolean isStr;
    private int strOff;
    private int strLen;
    private long intVal;

    @Override
    public byte[] next() {
        entry();
        return isStr ? java.util.Arrays.copyOfRange(b, strOff, strOff + strLen) : Ints.ascii(intVal);
    }

    @Override
    public long nextLong() {
        entry();
        return isStr ? Long.parseLong(new String(b, strOff, strLen, java.nio.charset.StandardCharsets.US_ASCII)) : intVal;
    }

    private void check(int at) {
        if (at > end) {
            throw new IllegalArgumentException("listpack entry runs past the end of the blob");
        }
    }

    /** Decodes the entry at p and moves p past it and its back-length. */
    private void entry() {
        check(p + 1);
        int start = p;
        int enc = b[p] & 0xff;
        isStr = false;
        if ((enc & 0x80) == 0) {
            intVal = enc & 0x7f;
            p += 1;
        } else if ((enc & 0xc0) == 0x80) {
            isStr = true;
            strLen = enc & 0x3f;
            strOff = p + 1;
        } else if ((enc & 0xe0) == 0xc0) {
            check(p + 2);
            int v = ((enc & 0x1f) << 8) | (b[p + 1] & 0xff);
            intVal = (v << 19) >> 19; // sign-extend 13 bits
            p += 2;
        } else if ((enc & 0xf0) == 0xe0) {
            check(p + 2);
            isStr = true;
            strLen = ((enc & 0x0f) << 8) | (b[p + 1] & 0xff);
            strOff = p + 2;
        } else {
            switch (enc) {
                case 0xf0: check(p + 5); isStr = true; strLen = (int) Ziplist.le(b, p + 1, 4); strOff = p + 5; break;
                case 0xf1: check(p + 3); intVal = (short) Ziplist.le(b, p + 1, 2); p += 3; break;
                case 0xf2: check(p + 4); intVal = ((int) (Ziplist.le(b, p + 1, 3) << 8)) >> 8; p += 4; break;
                case 0xf3: check(p + 5); intVal = (int) Ziplist.le(b, p + 1, 4); p += 5; break;
                case 0xf4: check(p + 9); intVal = Ziplist.le(b, p + 1, 8); p += 9; break;
                default: throw new IllegalArgumentException("invalid listpack entry encoding 0x" + Integer.toHexString(enc));
            }
        }
        if (isStr) {
            if (strLen < 0 || strLen > end - strOff) { // compared without adding: a corrupt length must not wrap around
                throw new IllegalArgumentException("listpack entry runs past the end of the blob");
            }
            p = strOff + strLen;
        }
        p += backlenSize(p - start);
        check(p);
    }

    /**
     * Size of the back-length field after an entry of {@code len} bytes (encoding + data). The
     * thresholds are lpEncodeBacklen's: 127, 16383, 2097151, 268435455, so an entry of exactly
     * 16383 bytes (a 16378-byte string) has a 3-byte back-length, not 2.
     */
    static int backlenSize(int len) {
        return len <= 127 ? 1 : len < 16383 ? 2 : len < 2097151 ? 3 : len < 268435455 ? 4 : 5;
    }
}
