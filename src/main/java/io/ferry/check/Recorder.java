package io.ferry.check;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Where verdicts go: checked keys per db (first round), differences into the round's {@link DiffSet}. */
final class Recorder {
    private final ConcurrentHashMap<Integer, LongAdder> checked = new ConcurrentHashMap<>();
    /** Keys gone through in the first round, for the progress display. */
    final LongAdder progress = new LongAdder();
    private volatile DiffSet diffs;
    private final ConcurrentHashMap<String, LongAdder> notes = new ConcurrentHashMap<>();

    /** Notes about a Pika source (counts beside the differences; they do not make the check fail). */
    static final String PIKA_HLL = "pika_hll_strings";
    static final String TTL_NOT_READABLE = "ttl_not_readable";
    static final String MULTI_TYPE_PAIRS = "multi_type_pairs";
    static final String LEFT_OUT_BY_POLICY = "left_out_by_policy";
    static final String STREAMS_NOT_LISTED = "streams_not_listed";

    Recorder(DiffSet first) {
        this.diffs = first;
    }

    void startRound(DiffSet round) {
        diffs = round;
    }

    DiffSet diffs() {
        return diffs;
    }

    void record(int db, Verdict v, boolean count) {
        if (count && v.inScope()) {
            checked(db);
        }
        if (v.difference() != null) {
            diffs.add(v.difference());
        }
    }

    void note(String what) {
        notes.computeIfAbsent(what, x -> new LongAdder()).increment();
    }

    Map<String, Long> notes() {
        Map<String, Long> out = new TreeMap<>();
        notes.forEach((k, n) -> out.put(k, n.sum()));
        return out;
    }

    void checked(int db) {
        checked.computeIfAbsent(db, x -> new LongAdder()).increment();
    }

    Map<Integer, Long> checkedPerDb() {
        Map<Integer, Long> out = new TreeMap<>();
        checked.forEach((db, n) -> out.put(db, n.sum()));
        return out;
    }
}
