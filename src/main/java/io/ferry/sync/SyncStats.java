package io.ferry.sync;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** Live numbers of a sync run, read by the status line, the status endpoint and tests. */
public final class SyncStats {
    public volatile String state = "starting";
    public volatile String replid = "?";
    public final AtomicLong sourceOffset = new AtomicLong(); // last byte received from the source
    public final AtomicLong appliedOffset = new AtomicLong();
    public final AtomicLong snapshotBytes = new AtomicLong();
    public final AtomicLong snapshotBytesApplied = new AtomicLong();
    public final AtomicLong snapshotKeys = new AtomicLong();
    /** Keys of the last snapshot written as typed commands (their payload too new for the target). */
    public final AtomicLong snapshotTypedKeys = new AtomicLong();
    public volatile long snapshotSize = -1;
    /** Snapshot keys left as they were on the target under --on-conflict skip (with several sources: a key another source wrote). */
    public final LongAdder snapshotConflictsSkipped = new LongAdder();
    public final LongAdder fullSyncs = new LongAdder();
    public final LongAdder partialSyncs = new LongAdder();
    public final LongAdder reconnects = new LongAdder();
    public final LongAdder targetReconnects = new LongAdder();
    /** When the last full sync's PSYNC was sent and when its snapshot had been received whole (System.nanoTime; -1: not yet). */
    public volatile long snapshotStartNanos = -1;
    public volatile long snapshotEndNanos = -1;
    public volatile double lagSeconds;
    public volatile double opsPerSecond;
    public final long startedNanos = System.nanoTime();
    /** How a position reads for an operator: a replication offset, or a Pika binlog position. */
    public volatile java.util.function.LongFunction<String> positionText = position -> "offset " + position;
    /** For a source whose positions are not byte offsets (Pika): the received items not yet applied; null otherwise. */
    public volatile java.util.function.LongSupplier unappliedItems;

    public long lagBytes() {
        return Math.max(0, sourceOffset.get() - appliedOffset.get());
    }
}
