package io.ferry.source.pika.snapshot;

import org.rocksdb.ComparatorOptions;

/**
 * zset_score_cf of a floyd dump, keys {@code reserve[8] ‖ ekey ‖ version:u64 ‖ score:f64 ‖ member
 * ‖ reserve[16]} (PIKA.md §9): the bytes after the reserve through the ekey terminator bytewise,
 * then version unsigned, then the score as a double, then the rest bytewise.
 */
final class FloydZSetsScoreKeyComparator extends PikaComparator {
    static final String NAME = "floyd.ZSetsScoreKeyComparator";

    FloydZSetsScoreKeyComparator(ComparatorOptions options) {
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
        int aFrom = Math.min(8, a.length);
        int bFrom = Math.min(8, b.length);
        int aEnd = a.floydKeyEnd(aFrom);
        int bEnd = b.floydKeyEnd(bFrom);
        int c = KeyBytes.compareRange(a, aFrom, aEnd, b, bFrom, bEnd);
        if (c != 0) {
            return c;
        }
        int at = aEnd;
        if ((c = KeyBytes.endsFirst(a, b, at, 8)) != 0 || a.length < at + 8) {
            return c;
        }
        if ((c = Long.compareUnsigned(a.i64(at), b.i64(at))) != 0) {
            return c;
        }
        at += 8;
        if ((c = KeyBytes.endsFirst(a, b, at, 8)) != 0 || a.length < at + 8) {
            return c;
        }
        c = KeyBytes.compareDoubles(Double.longBitsToDouble(a.i64(at)), Double.longBitsToDouble(b.i64(at)));
        if (c != 0) {
            return c;
        }
        return KeyBytes.compareRange(a, at + 8, a.length, b, at + 8, b.length);
    }
}
