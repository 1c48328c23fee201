package io.ferry.convert;

import java.util.concurrent.atomic.LongAdder;

/** Counters of the conversion side (what was decided, before any reply). */
public final class ConvertStats {
    public final LongAdder restoreKeys = new LongAdder();
    /** Plain strings written with SET (cheaper for the target than RESTORE). */
    public final LongAdder setKeys = new LongAdder();
    public final LongAdder typedKeys = new LongAdder();
    public final LongAdder bigKeys = new LongAdder();
    public final LongAdder expiredKeys = new LongAdder();
    public final LongAdder emptyKeys = new LongAdder();
    public final LongAdder expiredFields = new LongAdder();
    /** Hash fields whose TTL the target cannot hold: written without it. */
    public final LongAdder droppedFieldTtls = new LongAdder();
    /** Stream pending entries whose message no longer exists (the typed path cannot recreate them). */
    public final LongAdder lostPendingEntries = new LongAdder();
    public final LongAdder moduleKeysRefused = new LongAdder();
    /** Function libraries a target older than 7.0 cannot hold. */
    public final LongAdder functionsRefused = new LongAdder();
}
