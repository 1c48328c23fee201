package io.ferry.check;

/** A well-mixed 64-bit hash of (db, key), for sampling and for the compact set of a file's keys. */
public final class KeyHash {
    private static final long M = 0x9E3779B97F4A7C15L;

    private KeyHash() {}

    public static long of(int db, byte[] key) {
        long h = M ^ (db + 1L) * 0xC2B2AE3D27D4EB4FL;
        int i = 0;
        int n = key.length;
        for (; i + 8 <= n; i += 8) {
            long w = (key[i] & 0xffL) | (key[i + 1] & 0xffL) << 8 | (key[i + 2] & 0xffL) << 16 | (key[i + 3] & 0xffL) << 24
                    | (key[i + 4] & 0xffL) << 32 | (key[i + 5] & 0xffL) << 40 | (key[i + 6] & 0xffL) << 48 | (key[i + 7] & 0xffL) << 56;
            h = Long.rotateLeft(h ^ fmix(w), 29) * M;
        }
        long w = 0;
        for (int s = 0; i < n; i++, s += 8) {
            w |= (key[i] & 0xffL) << s;
        }
        h = Long.rotateLeft(h ^ fmix(w ^ (long) n << 56), 29) * M;
        return fmix(h ^ n);
    }

    private static long fmix(long k) {
        k ^= k >>> 33;
        k *= 0xff51afd7ed558ccdL;
        k ^= k >>> 33;
        k *= 0xc4ceb9fe1a85ec53L;
        k ^= k >>> 33;
        return k;
    }
}
