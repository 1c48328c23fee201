package io.ferry.source.pika.snapshot;

import org.rocksdb.ComparatorOptions;

/**
 * list_data_cf of a floyd dump, keys {@code reserve[8] ‖ ekey ‖ version:u64 ‖ index:u64 ‖
 * reserve[16]} (PIKA.md §9): bytes through the ekey terminator bytewise, then version and index
 * unsigned; a key that ends earlier sorts first at each step.
 */
final class FloydListsDataKeyComparator extends PikaComparator {
    static final String NAME = "floyd.ListsDataKeyComparator";

    FloydListsDataKeyComparator(ComparatorOptions options) {
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
        int aEnd = a.floydKeyEnd(Math.min(8, a.length));
        int bEnd = b.floydKeyEnd(Math.min(8, b.length));
        int c = KeyBytes.compareRange(a, 0, aEnd, b, 0, bEnd);
        if (c != 0) {
            return c;
        }
        int at = aEnd;
        for (int step = 0; step < 2; step++, at += 8) { // version, then index
            if ((c = KeyBytes.endsFirst(a, b, at, 8)) != 0 || a.length < at + 8) {
                return c;
            }
            if ((c = Long.compareUnsigned(a.i64(at), b.i64(at))) != 0) {
                return c;
            }
        }
        return 0;
    }
}
