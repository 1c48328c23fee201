package io.ferry.source.pika;

import io.ferry.source.pika.binlog.PikaTranslationStats;
import io.ferry.source.pika.binlog.TypeNames;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * What a Pika partition counts beyond a Redis source's numbers: binlog items, same-name conflicts
 * (of the snapshot and of the stream); and the same-name registry the snapshot
 * seeds for the stream's translator.
 */
public final class PikaStats {
    private static final int LISTED = 1000;

    public final LongAdder items = new LongAdder();
    private final LongAdder snapshotConflicts = new LongAdder();
    private final LongAdder streamConflicts = new LongAdder();
    private final List<String> names = new ArrayList<>();
    private volatile PikaTranslationStats translations;
    private volatile TypeNames registry;

    public PikaStats(TypeNames registry) {
        this.registry = registry;
    }

    public synchronized void snapshotConflicts(long count, List<String> conflictNames) {
        snapshotConflicts.add(count);
        for (String n : conflictNames) {
            if (names.size() < LISTED && !names.contains(n)) {
                names.add(n);
            }
        }
    }

    /**
     * A stream write the target refused as WRONGTYPE: the name holds another type there, which Pika
     * (<= 3.5) allows; the type already there keeps the name.
     */
    public synchronized void streamConflict(byte[] key) {
        streamConflicts.increment();
        String n = new String(key, java.nio.charset.StandardCharsets.ISO_8859_1);
        if (names.size() < LISTED && !names.contains(n)) {
            names.add(n);
        }
    }

    public void translations(PikaTranslationStats s) {
        translations = s;
    }

    /** A counter of the stream's translator (0 before the stream starts). */
    public long translated(java.util.function.Function<PikaTranslationStats, LongAdder> counter) {
        PikaTranslationStats t = translations;
        return t == null ? 0 : counter.apply(t).sum();
    }

    public TypeNames names() {
        return registry;
    }

    public long typeConflicts() {
        PikaTranslationStats t = translations;
        return snapshotConflicts.sum() + streamConflicts.sum() + (t == null ? 0 : t.typeConflicts.sum());
    }

    /** The names with a conflict, at most {@value #LISTED}. */
    public synchronized List<String> conflictNames() {
        return List.copyOf(names);
    }
}
