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

    void checked(int db) {
        checked.computeIfAbsent(db, x -> new LongAdder()).increment();
    }

    Map<Integer, Long> checkedPerDb() {
        Map<Integer, Long> out = new TreeMap<>();
        checked.forEach((db, n) -> out.put(db, n.sum()));
        return out;
    }
}
