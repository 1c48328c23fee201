package io.ferry.route.twemproxy;

/**
 * nutcracker's FNV hashes. Its key bytes are C {@code char}s, signed on the platforms it runs on,
 * so a byte of 0x80 and above enters as a sign-extended word: Java's {@code (int) byte} and
 * {@code (long) byte} do the same. nutcracker's {@code fnv1a_64} keeps a 32-bit state from the
 * start (the 64-bit basis and prime cut to 32 bits: 0x84222325, 0x1b3), so it is in truth a
 * 32-bit FNV-1a with odd constants; {@code fnv1_64} runs in 64 bits and returns the low 32.
 */
final class Fnv {
    private static final long BASIS_64 = 0xcbf29ce484222325L;
    private static final long PRIME_64 = 0x100000001b3L;
    private static final int BASIS_32 = 0x811c9dc5;
    private static final int PRIME_32 = 0x01000193;

    private Fnv() {}

    static int fnv1_64(byte[] k, int off, int len) {
        long h = BASIS_64;
        for (int i = off; i < off + len; i++) {
            h *= PRIME_64;
            h ^= k[i];
        }
        return (int) h;
    }

    static int fnv1a_64(byte[] k, int off, int len) {
        int h = (int) BASIS_64;
        for (int i = off; i < off + len; i++) {
            h ^= k[i];
            h *= (int) PRIME_64;
        }
        return h;
    }

    static int fnv1_32(byte[] k, int off, int len) {
        int h = BASIS_32;
        for (int i = off; i < off + len; i++) {
            h *= PRIME_32;
            h ^= k[i];
        }
        return h;
    }

    static int fnv1a_32(byte[] k, int off, int len) {
        int h = BASIS_32;
        for (int i = off; i < off + len; i++) {
            h ^= k[i];
            h *= PRIME_32;
        }
        return h;
    }
}
