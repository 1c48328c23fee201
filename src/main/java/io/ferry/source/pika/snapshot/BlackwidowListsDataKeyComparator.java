package io.ferry.source.pika.snapshot;

import org.rocksdb.ComparatorOptions;

/**
 * lists/data_cf of a blackwidow dump, keys {@code keylen:i32 ‖ key ‖ version:i32 ‖ index:u64}
 * (PIKA.md §8.4): user key bytewise, then version signed, then index unsigned; at each step a key
 * that ends there sorts first.
 */
final class BlackwidowListsDataKeyComparator extends PikaComparator {
    static final String NAME = "blackwidow.ListsDataKeyComparator";

    BlackwidowListsDataKeyComparator(ComparatorOptions options) {
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
        int aEnd = Math.min(a.length, 4 + Math.max(0, a.i32(0)));
        int bEnd = Math.min(b.length, 4 + Math.max(0, b.i32(0)));
        int c = KeyBytes.compareRange(a, 4, aEnd, b, 4, bEnd);
        if (c != 0) {
            return c;
        }
        int at = aEnd; // equal keys: same offset in both
        if ((c = KeyBytes.endsFirst(a, b, at, 4)) != 0 || a.length < at + 4) {
            return c;
        }
        if ((c = Integer.compare(a.i32(at), b.i32(at))) != 0) {
            return c;
        }
        at += 4;
        if ((c = KeyBytes.endsFirst(a, b, at, 8)) != 0 || a.length < at + 8) {
            return c;
        }
        return Long.compareUnsigned(a.i64(at), b.i64(at));
    }
}
