package io.ferry.rdb;

/** Reads a ziplist blob (Redis 2.6 – 6.2 compact lists, hashes and sorted sets). */
final class Ziplist implements PackCursor {
    private final byte[] b;
    private int p;
    private final int end;

    Ziplist(byte[] blob) {
        if (blob.length < 11) {
            throw new IllegalArgumentException("ziplist of " + blob.length + " bytes is too short");
        }
        long zlbytes = le(blob, 0, 4);
        if (zlbytes != blob.length) {
            throw new IllegalArgumentException("ziplist header says " + zlbytes + " bytes, blob has " + blob.length);
        }
        if ((blob[blob.length - 1] & 0xff) != 0xff) {
            throw new IllegalArgumentException("ziplist does not end with 0xFF");
        }
        this.b = blob;
        this.p = 10;
        this.end = blob.length - 1;
    }

    static long le(byte[] b, int off, int n) {
        long v = 0;
        for (int i = n - 1; i >= 0; i--) {
            v = (v << 8) | (b[off + i] & 0xffL);
        }
        return v;
    }

    @Override
    public boolean hasNext() {
        return p < end;
    }

    private void check(int need) {
        if (need < 0 || need > end - p) { // a 32-bit length >= 2^31 reads negative; never add it to p first
            throw new IllegalArgumentException("ziplist entry runs past the end of the blob");
        }
    }

    @Override
    public byte[] next() {
        int kind = header();
        if (kind == STR) {
            byte[] out = java.util.Arrays.copyOfRange(b, p, p + strLen);
            p += strLen;
            return out;
        }
        return Ints.ascii(intVal);
    }

    @Override
    public long nextLong() {
        int kind = header();
        if (kind == STR) {
            String s = new String(b, p, strLen, java.nio.charset.StandardCharsets.US_ASCII);
            p += strLen;
            return Long.parseLong(s);
        }
        return intVal;
    }

    private static final int STR = 0;
    private static final int INT = 1;
    private int strLen;
    private long intVal;

    /** Parses prevlen and encoding; leaves p at the string data (STR) or after the integer (INT). */
    private int header() {
        check(1);
        p += (b[p] & 0xff) == 0xfe ? 5 : 1;
        check(1);
        int enc = b[p] & 0xff;
        switch (enc >>> 6) {
            case 0:
                strLen = enc & 0x3f;
                p += 1;
                break;
            case 1:
                check(2);
                strLen = ((enc & 0x3f) << 8) | (b[p + 1] & 0xff);
                p += 2;
                break;
            case 2:
                check(5);
                strLen = (int) ((b[p + 1] & 0xffL) << 24 | (b[p + 2] & 0xffL) << 16 | (b[p + 3] & 0xffL) << 8 | (b[p + 4] & 0xffL));
                p += 5;
                break;
            default:
                p += 1;
                switch (enc) {
                    case 0xc0: check(2); intVal = (short) le(b, p, 2); p += 2; break;
                    case 0xd0: check(4); intVal = (int) le(b, p, 4); p += 4; break;
                    case 0xe0: check(8); intVal = le(b, p, 8); p += 8; break;
                    case 0xf0: check(3); intVal = ((int) (le(b, p, 3) << 8)) >> 8; p += 3; break;
                    case 0xfe: check(1); intVal = b[p]; p += 1; break;
                    default:
                        if (enc >= 0xf1 && enc <= 0xfd) {
                            intVal = (enc & 0x0f) - 1;
                        } else {
                            throw new IllegalArgumentException("invalid ziplist entry encoding 0x" + Integer.toHexString(enc));
                        }
                }
                return INT;
        }
        check(strLen);
        return STR;
    }
}
