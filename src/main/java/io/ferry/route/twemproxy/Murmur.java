package io.ferry.route.twemproxy;

/**
 * nutcracker's {@code murmur}: MurmurHash2 (32-bit) with the seed {@code 0xdeadbeef * length},
 * words read little-endian, bytes unsigned.
 */
final class Murmur {
    private static final int M = 0x5bd1e995;

    private Murmur() {}

    static int hash(byte[] k, int off, int len) {
        int h = (0xdeadbeef * len) ^ len;
        int i = off;
        int rem = len;
        while (rem >= 4) {
            int w = (k[i] & 0xff) | (k[i + 1] & 0xff) << 8 | (k[i + 2] & 0xff) << 16 | (k[i + 3] & 0xff) << 24;
            w *= M;
            w ^= w >>> 24;
            w *= M;
            h *= M;
            h ^= w;
            i += 4;
            rem -= 4;
        }
        switch (rem) {
            case 3:
                h ^= (k[i + 2] & 0xff) << 16;
                // fall through
            case 2:
                h ^= (k[i + 1] & 0xff) << 8;
                // fall through
            case 1:
                h ^= k[i] & 0xff;
                h *= M;
                break;
            default:
                break;
        }
        h ^= h >>> 13;
        h *= M;
        h ^= h >>> 15;
        return h;
    }
}
