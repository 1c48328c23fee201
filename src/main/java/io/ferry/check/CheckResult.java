package io.ferry.check;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a check found after its last round.
 *
 * @param differences every difference kept, sorted by db and key, one per key
 * @param overflow differences beyond {@code --max-diffs}, only counted: db → counts by {@link Kind} ordinal
 * @param checked keys checked in the first round, per db
 * @param rounds rounds run (fewer than asked when a round found nothing left to recheck)
 * @param firstRoundSeconds duration of the first, complete round
 * @param seconds duration of the whole check
 * @param notes counts about the source that are not differences (a Pika source: HyperLogLog strings Redis cannot
 *     read, TTLs Pika does not show, pairs left out by the same-name policy), by name
 */
public record CheckResult(
        List<Difference> differences,
        Map<Integer, long[]> overflow,
        Map<Integer, Long> checked,
        int rounds,
        double firstRoundSeconds,
        double seconds,
        Map<String, Long> notes) {

    public boolean identical() {
        return differences.isEmpty() && overflowed() == 0;
    }

    public long overflowed() {
        long n = 0;
        for (long[] c : overflow.values()) {
            for (long x : c) {
                n += x;
            }
        }
        return n;
    }

    public long checkedTotal() {
        long n = 0;
        for (long c : checked.values()) {
            n += c;
        }
        return n;
    }

    /** db → counts by {@link Kind} ordinal, listed and counted-only differences together; every checked db appears. */
    public Map<Integer, long[]> countsPerDb() {
        Map<Integer, long[]> out = new TreeMap<>();
        for (int db : checked.keySet()) {
            out.put(db, new long[Kind.values().length]);
        }
        for (Difference d : differences) {
            out.computeIfAbsent(d.db(), x -> new long[Kind.values().length])[d.kind().ordinal()]++;
        }
        overflow.forEach((db, c) -> {
            long[] mine = out.computeIfAbsent(db, x -> new long[Kind.values().length]);
            for (int i = 0; i < c.length; i++) {
                mine[i] += c[i];
            }
        });
        return out;
    }

    public long count(Kind kind) {
        long n = 0;
        for (long[] c : countsPerDb().values()) {
            n += c[kind.ordinal()];
        }
        return n;
    }

    /** Keys per second over the first round. */
    public double keysPerSecond() {
        return checkedTotal() / Math.max(firstRoundSeconds, 1e-3);
    }
}
