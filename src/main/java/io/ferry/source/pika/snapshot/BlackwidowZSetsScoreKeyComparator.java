package io.ferry.source.pika.snapshot;

import org.rocksdb.ComparatorOptions;

/**
 * zsets/score_cf of a blackwidow dump, keys {@code keylen:i32 ‖ key ‖ version:i32 ‖ score:f64 ‖
 * member} (PIKA.md §8.4): the first {@code 4 + keylen + 4} bytes raw (so the length's LE bytes
 * order keys first), then the score as a double, then the member bytewise.
 */
final class BlackwidowZSetsScoreKeyComparator extends PikaComparator {
    static final String NAME = "blackwidow.ZSetsScoreKeyComparator";

    BlackwidowZSetsScoreKeyComparator(ComparatorOptions options) {
        super(options);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    int order(KeyBytes a, KeyBytes b) {
        return compareKeys(a, b);
    }

    static int compareKeys(KeyBytes a, KeyBytes b) {
        if (a.length < 4 || b.length < 4) {
            return KeyBytes.compareRange(a, 0, a.length, b, 0, b.length);
        }
        int aPre = Math.min(a.length, 4 + Math.max(0, a.i32(0)) + 4);
        int bPre = Math.min(b.length, 4 + Math.max(0, b.i32(0)) + 4);
        int c = KeyBytes.compareRange(a, 0, aPre, b, 0, bPre);
        if (c != 0) {
            return c;
        }
        int at = aPre;
        if ((c = KeyBytes.endsFirst(a, b, at, 8)) != 0 || a.length < at + 8) {
            return c != 0 ? c : Integer.compare(a.length, b.length);
        }
        c = KeyBytes.compareDoubles(Double.longBitsToDouble(a.i64(at)), Double.longBitsToDouble(b.i64(at)));
        if (c != 0) {
            return c;
        }
        return KeyBytes.compareRange(a, at + 8, a.length, b, at + 8, b.length);
    }
}
