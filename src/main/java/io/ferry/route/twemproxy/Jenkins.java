package io.ferry.route.twemproxy;

/**
 * nutcracker's {@code jenkins}: Bob Jenkins' lookup3 {@code hashlittle} with an initial value of
 * 13, bytes unsigned. Its word-at-a-time paths (taken by pointer alignment) give the same value
 * as the byte path on a little-endian machine, which is what this follows. An empty key hashes
 * to the initial state without the final mix.
 */
final class Jenkins {
    private Jenkins() {}

    private static int u32(byte[] k, int i) {
        return (k[i] & 0xff) | (k[i + 1] & 0xff) << 8 | (k[i + 2] & 0xff) << 16 | (k[i + 3] & 0xff) << 24;
    }

    static int hash(byte[] k, int off, int len) {
        int a = 0xdeadbeef + len + 13;
        int b = a;
        int c = a;
        int i = off;
        int n = len;
        while (n > 12) {
            a += u32(k, i);
            b += u32(k, i + 4);
            c += u32(k, i + 8);
            // mix(a, b, c)
            a -= c; a ^= Integer.rotateLeft(c, 4); c += b;
            b -= a; b ^= Integer.rotateLeft(a, 6); a += c;
            c -= b; c ^= Integer.rotateLeft(b, 8); b += a;
            a -= c; a ^= Integer.rotateLeft(c, 16); c += b;
            b -= a; b ^= Integer.rotateLeft(a, 19); a += c;
            c -= b; c ^= Integer.rotateLeft(b, 4); b += a;
            n -= 12;
            i += 12;
        }
        if (n == 0) {
            return c;
        }
        // The last 1..12 bytes, little-endian into a, b, c.
        for (int j = 0; j < n; j++) {
            int v = (k[i + j] & 0xff) << ((j & 3) * 8);
            if (j < 4) {
                a += v;
            } else if (j < 8) {
                b += v;
            } else {
                c += v;
            }
        }
        // final(a, b, c)
        c ^= b; c -= Integer.rotateLeft(b, 14);
        a ^= c; a -= Integer.rotateLeft(c, 11);
        b ^= a; b -= Integer.rotateLeft(a, 25);
        c ^= b; c -= Integer.rotateLeft(b, 16);
        a ^= c; a -= Integer.rotateLeft(c, 4);
        b ^= a; b -= Integer.rotateLeft(a, 14);
        c ^= b; c -= Integer.rotateLeft(b, 24);
        return c;
    }
}
