package io.ferry.route.twemproxy;

/**
 * nutcracker's {@code hsieh} (Paul Hsieh's SuperFastHash). Its 16-bit reads are unsigned, but
 * the third byte of a 3-byte tail is read as a signed C {@code char}: sign-extended before its
 * shift, as here.
 */
final class Hsieh {
    private Hsieh() {}

    private static int get16(byte[] k, int i) {
        return (k[i] & 0xff) | (k[i + 1] & 0xff) << 8;
    }

    static int hash(byte[] k, int off, int len) {
        if (len <= 0) {
            return 0;
        }
        int h = 0;
        int i = off;
        for (int n = len >>> 2; n > 0; n--) {
            h += get16(k, i);
            int tmp = (get16(k, i + 2) << 11) ^ h;
            h = (h << 16) ^ tmp;
            i += 4;
            h += h >>> 11;
        }
        switch (len & 3) {
            case 3:
                h += get16(k, i);
                h ^= h << 16;
                h ^= ((int) k[i + 2]) << 18;
                h += h >>> 11;
                break;
            case 2:
                h += get16(k, i);
                h ^= h << 11;
                h += h >>> 17;
                break;
            case 1:
                h += k[i] & 0xff;
                h ^= h << 10;
                h += h >>> 1;
                break;
            default:
                break;
        }
        h ^= h << 3;
        h += h >>> 5;
        h ^= h << 4;
        h += h >>> 17;
        h ^= h << 25;
        h += h >>> 6;
        return h;
    }
}
