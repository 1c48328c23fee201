package io.ferry.convert;

import java.util.ArrayList;
import java.util.List;
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
    /** NACKed stream entries (pending, owned by no consumer: XNACK, Redis 8.8) the typed path cannot recreate. */
    public final LongAdder lostNackedEntries = new LongAdder();
    /** Streams whose idempotent-producer state (XADD IDMP, Redis 8.6) the target does not get. */
    public final LongAdder lostIdmpStreams = new LongAdder();
    /** The idempotency ids those streams remembered. */
    public final LongAdder lostIdmpIids = new LongAdder();
    /** Arrays (Redis 8.8) not written: the target has no array type. */
    public final LongAdder lostArrays = new LongAdder();
    /** Keys whose module key metadata (KEY_META) was not carried over. */
    public final LongAdder droppedKeyMetadata = new LongAdder();
    public final LongAdder moduleKeysRefused = new LongAdder();
    /** Module keys left out under --on-unsupported skip. */
    public final LongAdder moduleKeysSkipped = new LongAdder();
    /** Function libraries a target older than 7.0 cannot hold. */
    public final LongAdder functionsRefused = new LongAdder();
    /** TTLs after 2038-01-19 written as that day's last second (Pika 3.x holds no later expiry). */
    public final LongAdder clampedTtls = new LongAdder();

    /** One line per kind of data the target did not get, for the run's summary (empty when nothing was lost). */
    public List<String> losses() {
        List<String> out = new ArrayList<>();
        line(out, functionsRefused, "%,d function libraries were not restored: the target is older than Redis 7.0 and has no functions");
        line(out, droppedFieldTtls, "%,d hash field TTLs could not be kept: the target has no hash-field expiration (Redis 7.4+, Valkey 9+); those fields were written without TTL");
        line(out, lostPendingEntries, "%,d stream pending entries refer to deleted messages and could not be recreated by typed commands");
        line(out, lostNackedEntries, "%,d NACKed stream entries (pending without a consumer, Redis 8.8 XNACK) could not be recreated by typed commands");
        if (lostIdmpStreams.sum() > 0) {
            out.add(String.format("WARNING: the idempotent-producer (IDMP) state of %,d streams could not be kept (%,d remembered idempotency ids): typed commands cannot recreate it",
                    lostIdmpStreams.sum(), lostIdmpIids.sum()));
        }
        line(out, lostArrays, "%,d arrays were not written: the target has no array type (Redis 8.8+)");
        line(out, droppedKeyMetadata, "%,d keys had module key metadata (Redis 8.6+ KEY_META), which was not carried over");
        line(out, clampedTtls, "%,d TTLs ended after 2038-01-19, later than Pika 3.x can hold (it would delete the key): they expire at 2038-01-19T03:14:07Z");
        line(out, moduleKeysSkipped, "%,d module keys were left out (--on-unsupported skip): the target cannot take their module values");
        return out;
    }

    private static void line(List<String> out, LongAdder n, String format) {
        if (n.sum() > 0) {
            out.add("WARNING: " + String.format(format, n.sum()));
        }
    }
}
