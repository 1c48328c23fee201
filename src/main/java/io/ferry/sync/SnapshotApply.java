package io.ferry.sync;

import io.ferry.convert.ConflictPolicy;
import io.ferry.convert.ConvertOptions;
import io.ferry.convert.ConvertStats;
import io.ferry.convert.SnapshotConverter;
import io.ferry.filter.FilteringHandler;
import io.ferry.rdb.RdbHandler;
import io.ferry.target.ApplyStats;
import io.ferry.target.KeyApplier;
import io.ferry.target.Target;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one snapshot into the target, whatever reads it (an RDB from a Redis master, a Pika
 * dump): the filter, the converter (RESTORE payloads or typed commands) and the key applier, with
 * the conflict policy of the run; {@code afterEachKey} reports the reader's progress. A lost target is reported as {@link SyncSession.TargetLost} (the
 * caller reconnects and writes the snapshot again), a refused write as ApplyFailedException.
 */
final class SnapshotApply {
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotApply.class);

    /** Reads the whole snapshot into {@code handler}. */
    interface Feed {
        void into(RdbHandler handler) throws Exception;
    }

    private SnapshotApply() {}

    /**
     * {@code again}: an earlier snapshot of this sync was interrupted, so keys already there are
     * ours and are replaced; {@code disjoint}: no other partition writes these keys.
     */
    static void run(Target target, SyncOptions opt, boolean again, boolean disjoint, SyncStats stats, BooleanSupplier stopping,
            Runnable afterEachKey, Feed feed) throws Exception {
        run(target, opt, again, disjoint, stats, stopping, afterEachKey, false, feed);
    }

    /** {@code elementEvents}: the reader hands values over as elements, not raw RDB bytes (a Pika dump), so every key is written typed. */
    static void run(Target target, SyncOptions opt, boolean again, boolean disjoint, SyncStats stats, BooleanSupplier stopping,
            Runnable afterEachKey, boolean elementEvents, Feed feed)
            throws Exception {
        ConflictPolicy policy = opt.onConflict();
        if (again && policy != ConflictPolicy.REPLACE) {
            LOG.warn("an earlier snapshot of this sync was interrupted: keys already on the target are replaced this time");
            policy = ConflictPolicy.REPLACE;
        }
        ApplyStats applied = new ApplyStats();
        ConvertStats converted = new ConvertStats();
        KeyApplier keys = new KeyApplier(target, policy, applied);
        ConvertOptions co = new ConvertOptions(policy, opt.bigKeyBytes(), 1000, 1 << 20, false,
                target.emptyAtOpen() && disjoint || policy == ConflictPolicy.REPLACE, opt.onUnsupported());
        SnapshotConverter conv = new SnapshotConverter(target.features(), co, keys, converted, opt.dbMap(), System::currentTimeMillis);
        if (target.modules() != null && target.modules().isEmpty()) {
            conv.targetWithoutModules();
        }
        long t0 = System.nanoTime();
        try {
            Runnable before = () -> {
                if (stopping.getAsBoolean()) {
                    throw new SyncSession.StopRequested();
                }
            };
            Runnable after = () -> {
                afterEachKey.run();
                stats.snapshotKeys.set(applied.keysWritten.sum());
            };
            RdbHandler h = new FilteringHandler(opt.filter(), elementEvents ? conv.elementEvents(before, after) : conv.aroundEachKey(before, after));
            feed.into(h);
            target.flush();
            target.drain();
        } catch (RuntimeException e) {
            if (keys.targetLost() || e instanceof io.ferry.resp.ConnectionLostException || e instanceof io.ferry.resp.RedisTimeoutException) {
                throw new SyncSession.TargetLost(e.getMessage());
            }
            throw e;
        }
        if (keys.targetLost()) {
            throw new SyncSession.TargetLost(keys.failure());
        }
        if (keys.failure() != null) {
            throw new io.ferry.target.ApplyFailedException(keys.failure());
        }
        stats.snapshotKeys.set(applied.keysWritten.sum());
        stats.snapshotConflictsSkipped.add(applied.conflictsSkipped.sum());
        stats.snapshotTypedKeys.set(converted.typedKeys.sum());
        double s = (System.nanoTime() - t0) / 1e9;
        LOG.info(String.format("snapshot applied: %,d keys in %.1f s (%,.0f keys/s), %,d as typed commands, %,d expired, %,d skipped as existing",
                applied.keysWritten.sum(), s, applied.keysWritten.sum() / Math.max(s, 1e-3), converted.typedKeys.sum(), converted.expiredKeys.sum(),
                applied.conflictsSkipped.sum()));
        converted.losses().forEach(LOG::warn);
    }
}
