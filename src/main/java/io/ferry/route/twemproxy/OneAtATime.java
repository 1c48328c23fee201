package io.ferry.route.twemproxy;

/** nutcracker's {@code one_at_a_time} (Jenkins' one-at-a-time), bytes sign-extended as C {@code char}s. */
final class OneAtATime {
    private OneAtATime() {}

    static int hash(byte[] k, int off, int len) {
        int v = 0;
        for (int i = off; i < off + len; i++) {
            v += k[i];
            v += v << 10;
            v ^= v >>> 6;
        }
        v += v << 3;
        v ^= v >>> 11;
        v += v << 15;
        return v;
    }
}
