package io.ferry.cli;

import io.ferry.filter.KeyFilter;
import io.ferry.source.aof.AofSource;
import io.ferry.source.aof.AofTruncatedException;
import io.ferry.target.KeyApplier;
import io.ferry.target.OnError;
import io.ferry.target.Target;
import io.ferry.target.StreamApplier;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.IntUnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The command part of {@code ferry restore} for an AOF source. Its RDB part (preamble or base
 * RDB) goes through the RDB restore first; the commands after it go through the live-stream
 * applier of {@code ferry sync}, so MULTI/EXEC, per-key order, filters and db mapping behave the
 * same as in a sync.
 */
final class AofRestore {
    private static final Logger LOG = LoggerFactory.getLogger(AofRestore.class);

    private AofRestore() {}

    /**
     * The AOF among the inputs, checked to its end, or null when every input starts like an RDB.
     * An AOF comes alone: several would need an order between them that nothing records.
     */
    static AofSource detect(List<Path> files, boolean allowTruncated, Long untilMs) throws IOException {
        Path aof = null;
        for (Path f : files) {
            if (AofSource.isAof(f)) {
                aof = f;
            }
        }
        if (aof != null && files.size() > 1) {
            throw new UserError(aof + " is an AOF: restore it on its own, not together with other files");
        }
        AofSource s = aof == null ? null : AofSource.open(aof);
        Path rdb = s != null ? s.rdbPart() : files.size() == 1 ? files.get(0) : null;
        if (untilMs != null && rdb != null && AofSource.startsWithRdb(rdb)) {
            long ctime = AofSource.rdbCreatedAt(rdb);
            if (ctime * 1000 > untilMs) {
                throw new UserError("--until " + untilMs + " is before " + rdb + " was written (" + Instant.ofEpochSecond(ctime)
                        + "): it holds no state that early");
            }
        }
        if (s != null) {
            checkTail(s, -1, allowTruncated);
        }
        return s;
    }

    /**
     * The AOF whose commands follow the RDB part just restored, or null. An input that starts like
     * an RDB but goes on after it is an AOF with an RDB preamble (only its content tells).
     */
    static AofSource afterRdb(AofSource aof, List<Path> rdbs, long[] rdbEnds) throws IOException {
        if (aof != null) {
            return aof;
        }
        for (int i = 0; i < rdbs.size(); i++) {
            if (rdbEnds[i] < Files.size(rdbs.get(i))) {
                if (rdbs.size() > 1) {
                    throw new UserError(rdbs.get(i) + " goes on after its RDB (an AOF with an RDB preamble): restore it on its own");
                }
                return AofSource.open(rdbs.get(i));
            }
        }
        return null;
    }

    /** Replays the commands from {@code rdbEnd} (0 without an RDB part); failures go to {@code keys}. */
    static void replay(Target t, AofSource src, long rdbEnd, Long untilMs, boolean allowTruncated, OnError onError,
            KeyFilter filter, IntUnaryOperator dbs, KeyApplier keys, AtomicLongArray progress) throws IOException {
        checkTail(src, rdbEnd, allowTruncated);
        // With FAIL each lane batch is one MULTI/EXEC and a rejected command stops the run; no
        // resume here, so the applier's checkpoint keys only matter until clearCheckpointKeys.
        StreamApplier a = new StreamApplier(t, onError, "aof", 0, 0, null, filter, dbs, 1000, () -> {});
        long t0 = System.nanoTime();
        AofSource.End end = src.replay(rdbEnd, untilMs, allowTruncated, c -> {
            a.apply(c);
            return a.failure() == null;
        }, pos -> progress.lazySet(0, pos));
        a.drain();
        if (a.failure() != null) {
            // Replies come back batched and pipelined: where the reader was, not the command's own offset.
            keys.fail(a.failure() + " (noticed when the AOF was read up to byte offset " + end.offset() + " of " + end.file() + ")");
            return;
        }
        a.clearCheckpointKeys();
        double secs = (System.nanoTime() - t0) / 1e9;
        LOG.info(String.format("AOF replay: %,d commands read, %,d writes applied, %,d filtered out, %,d rejected and skipped, %,d barriers, "
                + "%,d unknown to Ferry (forwarded); translated for the target: %s; %.1f s; %s", end.commands(), a.applied.sum(), a.filtered.sum(),
                a.skippedErrors.sum(), a.barriers.sum(), a.unknownCommands.sum(), a.translations.describe(), secs, where(end, untilMs)));
        if (untilMs != null && !end.sawTimestamps()) {
            LOG.warn("WARNING: --until had no effect: the AOF has no #TS: annotations (written without aof-timestamp-enabled yes); every command was applied");
        }
        if (end.stop() == AofSource.Stop.TRUNCATED) {
            LOG.warn("WARNING: {} ends inside a command at byte offset {} (truncated); everything before it was applied, the {} bytes from there were not",
                    end.file(), end.offset(), Files.size(end.file()) - end.offset());
        }
    }

    private static String where(AofSource.End end, Long untilMs) {
        return switch (end.stop()) {
            case UNTIL -> "stopped at --until " + untilMs + " (" + Instant.ofEpochMilli(untilMs) + "): before the annotation #TS:"
                    + end.stoppedAtSeconds() + " (" + Instant.ofEpochSecond(end.stoppedAtSeconds()) + ") at byte offset " + end.offset() + " of " + end.file();
            case TRUNCATED -> "stopped at the truncated command at byte offset " + end.offset() + " of " + end.file();
            case END -> "read to the end of " + end.file() + (untilMs != null ? " (no #TS: annotation after --until)" : "");
        };
    }

    private static void checkTail(AofSource src, long rdbEnd, boolean allowTruncated) throws IOException {
        try {
            src.checkTail(rdbEnd, allowTruncated);
        } catch (AofTruncatedException e) {
            throw new UserError(e.getMessage() + "; --allow-truncated applies everything before it");
        }
    }
}
