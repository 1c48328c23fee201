package io.ferry.source.pika.binlog;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;

/** What the translator did, for the status line and the final report. */
public final class PikaTranslationStats {
    /** How many conflicting names are kept for the report. */
    public static final int MAX_CONFLICT_NAMES = 100;

    /** Items that produced at least one action. */
    public final LongAdder translated = new LongAdder();
    /** Items dropped: padding, or writes the same-name policy leaves out. */
    public final LongAdder dropped = new LongAdder();
    /** Writes whose expiry had already passed: sent as DEL. */
    public final LongAdder expiredDeletes = new LongAdder();
    /** {@code pksetexat k 0 v} sent without KEEPTTL (target < 6.0): a TTL the master kept may be lost. */
    public final LongAdder ttlLosses = new LongAdder();
    /** Items that touched a name holding several types on the master. */
    public final LongAdder typeConflicts = new LongAdder();
    /** 3.x SPOPs turned into a re-read of the set. */
    public final LongAdder refetches = new LongAdder();
    /** 4.0 PEXPIREATs sent as DEL because the master deletes the key (its bug). */
    public final LongAdder pexpireatBugDeletes = new LongAdder();
    /** 131 072-byte Pika HLL strings (PFMERGE logged as SET) passed through as strings. */
    public final LongAdder hllStringsCopied = new LongAdder();

    private final Set<String> conflictNames = new LinkedHashSet<>();

    void conflict(byte[] name) {
        typeConflicts.increment();
        synchronized (conflictNames) {
            if (conflictNames.size() < MAX_CONFLICT_NAMES) {
                conflictNames.add(Argv.s(name));
            }
        }
    }

    /** The first {@link #MAX_CONFLICT_NAMES} names that had a same-name conflict (latin-1 text). */
    public List<String> conflictNames() {
        synchronized (conflictNames) {
            return new ArrayList<>(conflictNames);
        }
    }

    public String describe() {
        return "pika binlog: " + translated.sum() + " translated, " + dropped.sum() + " dropped, "
                + expiredDeletes.sum() + " expired→DEL, " + ttlLosses.sum() + " possible TTL losses, "
                + typeConflicts.sum() + " same-name conflicts, " + refetches.sum() + " refetches, "
                + pexpireatBugDeletes.sum() + " PEXPIREAT→DEL, " + hllStringsCopied.sum() + " Pika HLL strings";
    }
}
