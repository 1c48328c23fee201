package io.ferry.check;

/**
 * A compact set of 64-bit key hashes (open addressing, 8 bytes a slot, at most 2/3 full): the keys of an RDB file,
 * so that the target's keys absent from the file are found without holding the file's keys. Two different keys
 * share a hash with a probability of about n²/2^65, which for 100 million keys is below 1 in 3,000.
 */
public final class KeyHashSet {
    private final long maxEntries;
    private long[] table = new long[1 << 16];
    private int size;
    private boolean full;

    /** A set that grows as needed (up to about 1.4 billion entries). */
    public KeyHashSet() {
        this(Integer.MAX_VALUE / 3 * 2);
    }

    /**
     * A set that stops growing once it holds {@code maxEntries} (it may take up to about half as many again before
     * its table is full); then {@link #full()} is true.
     */
    KeyHashSet(long maxEntries) {
        this.maxEntries = maxEntries;
    }

    /** Adds a hash; false when the set is full (and did not take it). */
    public boolean add(long h) {
        if (h == 0) {
            h = 1; // 0 marks a free slot
        }
        if ((size + 1) * 3L > table.length * 2L) {
            if (size >= maxEntries || table.length >= 1 << 30) {
                full = true;
                return contains(h);
            }
            grow();
        }
        if (insert(table, h)) {
            size++;
        }
        return true;
    }

    /** Whether an entry was refused for lack of room. */
    boolean full() {
        return full;
    }

    public boolean contains(long h) {
        if (h == 0) {
            h = 1;
        }
        int mask = table.length - 1;
        for (int i = (int) (h ^ h >>> 32) & mask; ; i = (i + 1) & mask) {
            long v = table[i];
            if (v == h) {
                return true;
            }
            if (v == 0) {
                return false;
            }
        }
    }

    public int size() {
        return size;
    }

    private static boolean insert(long[] t, long h) {
        int mask = t.length - 1;
        for (int i = (int) (h ^ h >>> 32) & mask; ; i = (i + 1) & mask) {
            long v = t[i];
            if (v == h) {
                return false;
            }
            if (v == 0) {
                t[i] = h;
                return true;
            }
        }
    }

    private void grow() {
        long[] bigger = new long[table.length * 2];
        for (long v : table) {
            if (v != 0) {
                insert(bigger, v);
            }
        }
        table = bigger;
    }
}
