package io.ferry.target;

import java.util.concurrent.atomic.LongAdder;

/** Outcomes confirmed by the target's replies. */
public final class ApplyStats {
    public final LongAdder keysWritten = new LongAdder();
    public final LongAdder conflictsSkipped = new LongAdder();
    public final LongAdder keysFailed = new LongAdder();
    public final LongAdder commandsSent = new LongAdder();
    /** Keys that expired while being written (their rename found nothing). */
    public final LongAdder expiredInFlight = new LongAdder();
    public final LongAdder functionsLoaded = new LongAdder();
}
