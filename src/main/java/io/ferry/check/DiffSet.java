package io.ferry.check;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The differences of one round, at most one per (db, key), so a key is reported once however many times it was seen.
 * Beyond {@code max} kept differences, further ones are only counted (per db and kind): they are neither rechecked
 * nor listed.
 */
final class DiffSet {
    private final ConcurrentHashMap<DbKey, Difference> kept = new ConcurrentHashMap<>();
    private final long max;
    private final Map<Integer, long[]> overflow = new TreeMap<>();
    private long overflowed;

    DiffSet(long max) {
        this.max = max;
    }

    void add(Difference d) {
        DbKey k = d.dbKey();
        if (kept.size() < max || kept.containsKey(k)) {
            kept.put(k, d);
            return;
        }
        synchronized (overflow) {
            overflow.computeIfAbsent(d.db(), x -> new long[Kind.values().length])[d.kind().ordinal()]++;
            overflowed++;
        }
    }

    int size() {
        return kept.size();
    }

    boolean isEmpty() {
        return kept.isEmpty() && overflowed() == 0;
    }

    List<Difference> sorted() {
        List<DbKey> keys = new ArrayList<>(kept.keySet());
        keys.sort(null);
        List<Difference> out = new ArrayList<>(keys.size());
        for (DbKey k : keys) {
            out.add(kept.get(k));
        }
        return out;
    }

    List<DbKey> keys() {
        return new ArrayList<>(kept.keySet());
    }

    long overflowed() {
        synchronized (overflow) {
            return overflowed;
        }
    }

    /** Counted-only differences: db → counts by {@link Kind} ordinal. */
    Map<Integer, long[]> overflowCounts() {
        synchronized (overflow) {
            Map<Integer, long[]> copy = new TreeMap<>();
            overflow.forEach((db, c) -> copy.put(db, c.clone()));
            return copy;
        }
    }

    /** Keeps the counted-only differences of an earlier round (they are not rechecked). */
    void carryOverflow(DiffSet earlier) {
        synchronized (overflow) {
            earlier.overflowCounts().forEach((db, c) -> {
                long[] mine = overflow.computeIfAbsent(db, x -> new long[Kind.values().length]);
                for (int i = 0; i < c.length; i++) {
                    mine[i] += c[i];
                    overflowed += c[i];
                }
            });
        }
    }
}
