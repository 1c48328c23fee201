package io.ferry.convert;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Counts of live-stream commands rewritten or dropped for an older target, and of what that lost. */
public final class TranslationStats {
    public final LongAdder translated = new LongAdder();
    public final LongAdder dropped = new LongAdder();
    /** Hash-field TTLs the target cannot hold (below Redis 7.4). */
    public final LongAdder fieldTtlsLost = new LongAdder();
    private final ConcurrentHashMap<String, LongAdder> byRule = new ConcurrentHashMap<>();

    void translated(String rule) {
        translated.increment();
        count(rule);
    }

    void dropped(String rule) {
        dropped.increment();
        count(rule);
    }

    private void count(String rule) {
        byRule.computeIfAbsent(rule, r -> new LongAdder()).increment();
    }

    /** Per rule (e.g. "HSETEX→HSET"), sorted by name. */
    public Map<String, Long> byRule() {
        Map<String, Long> m = new TreeMap<>();
        byRule.forEach((r, n) -> m.put(r, n.sum()));
        return m;
    }

    /** One line for a summary: "HSETEX→HSET 3, XNACK dropped 1; 4 field TTLs lost", or "none". */
    public String describe() {
        StringBuilder s = new StringBuilder();
        byRule().forEach((r, n) -> s.append(s.length() == 0 ? "" : ", ").append(r).append(' ').append(n));
        if (fieldTtlsLost.sum() > 0) {
            s.append(s.length() == 0 ? "" : "; ").append(fieldTtlsLost.sum()).append(" field TTLs lost");
        }
        return s.length() == 0 ? "none" : s.toString();
    }
}
