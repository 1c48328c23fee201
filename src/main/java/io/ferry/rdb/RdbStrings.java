package io.ferry.rdb;

import java.util.Arrays;

/** Decodes one RDB string (length-prefixed, integer-encoded or LZF) held in a byte array. */
public final class RdbStrings {
    private RdbStrings() {}

    /** The string encoded at {@code b[off]}, e.g. the value of a captured STRING key at offset 1. */
    public static byte[] decode(byte[] b, int off) {
        try {
            int first = b[off] & 0xff;
            switch (first >>> 6) {
                case 0: return Arrays.copyOfRange(b, off + 1, off + 1 + (first & 0x3f));
                case 1: {
                    int n = ((first & 0x3f) << 8) | (b[off + 1] & 0xff);
                    return Arrays.copyOfRange(b, off + 2, off + 2 + n);
                }
                case 2: {
                    if (first != 0x80) {
                        throw new IllegalArgumentException("string longer than 4 GiB in a value held in memory");
                    }
                    int n = (int) be32(b, off + 1);
                    return Arrays.copyOfRange(b, off + 5, off + 5 + n);
                }
                default:
                    return special(b, off, first & 0x3f);
            }
        } catch (ArrayIndexOutOfBoundsException e) {
            throw new IllegalArgumentException("truncated RDB string");
        }
    }

    private static byte[] special(byte[] b, int off, int enc) {
        switch (enc) {
            case 0: return Ints.ascii(b[off + 1]);
            case 1: return Ints.ascii((short) ((b[off + 1] & 0xff) | (b[off + 2] & 0xff) << 8));
            case 2: return Ints.ascii((int) ((b[off + 1] & 0xffL) | (b[off + 2] & 0xffL) << 8 | (b[off + 3] & 0xffL) << 16 | (b[off + 4] & 0xffL) << 24));
            case 3: {
                int[] pos = {off + 1};
                int clen = (int) len(b, pos);
                int ulen = (int) len(b, pos);
                return Lzf.decompress(Arrays.copyOfRange(b, pos[0], pos[0] + clen), clen, ulen);
            }
            default: throw new IllegalArgumentException("unknown string encoding " + enc);
        }
    }

    private static long len(byte[] b, int[] pos) {
        int first = b[pos[0]] & 0xff;
        switch (first >>> 6) {
            case 0: pos[0] += 1; return first & 0x3f;
            case 1: pos[0] += 2; return ((first & 0x3f) << 8) | (b[pos[0] - 1] & 0xff);
            default:
                if (first != 0x80) {
                    throw new IllegalArgumentException("invalid LZF length prefix");
                }
                pos[0] += 5;
                return be32(b, pos[0] - 4);
        }
    }

    private static long be32(byte[] b, int off) {
        return (b[off] & 0xffL) << 24 | (b[off + 1] & 0xffL) << 16 | (b[off + 2] & 0xffL) << 8 | (b[off + 3] & 0xffL);
    }
}
