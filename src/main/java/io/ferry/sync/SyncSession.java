package io.ferry.sync;

import io.ferry.checkpoint.Checkpoint;
import io.ferry.checkpoint.ResumePoint;
import io.ferry.checkpoint.StateDirLock;
import io.ferry.replication.SpoolAnchor;
import io.ferry.checkpoint.CheckpointStore;
import io.ferry.rdb.RdbReader;
import io.ferry.replication.CommandReader;
import io.ferry.replication.PsyncReply;
import io.ferry.replication.ReplicaLink;
import io.ferry.replication.Spool;
import io.ferry.target.StreamApplier;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One `ferry sync` run: poses as a replica of the source, applies its snapshot, then follows its
 * command stream until stopped. The source socket is drained into a local {@link Spool} by its
 * own thread, so a slow target never makes the source drop us. A lost source link is resumed with
 * PSYNC from the last spooled byte; a restart resumes from the checkpoint.
 */
public final class SyncSession implements Partition {
    private static final Logger LOG = LoggerFactory.getLogger(SyncSession.class);

    private final SyncOptions opt;
    private final CheckpointStore store;
    private final SyncStats stats = new SyncStats();
    private final LagClock lag = new LagClock();
    private final AtomicBoolean stopping = new AtomicBoolean();
    private volatile ReplicaLink link; // until the pump runs; then the pump's (a reconnect replaces it)
    private volatile SourcePump pump;
    private volatile StreamApplier applier;
    private volatile TargetLink targetLink;
    private volatile Spool spool;
    private static final long SPOOL_SEGMENT_BYTES = 64L << 20;
    private volatile String syncId = "?"; // names this sync in the target-side lane checkpoint keys (see Checkpoint)
    private final String shape; // the filters and db mapping: what a checkpoint is only valid for
    private final String partition;
    private final boolean disjoint;
    private final SnapshotGate gate;
    private final java.util.concurrent.Semaphore ackWanted = new java.util.concurrent.Semaphore(0); // a GETACK wants an ACK now

    public SyncSession(SyncOptions opt) {
        this(opt, "");
    }

    /**
     * One partition of a run: the source shard {@code opt.source()}, named {@code partition} in the
     * checkpoint keys it keeps on the target ("" for a run with a single source).
     */
    public SyncSession(SyncOptions opt, String partition) {
        this(opt, partition, true);
    }

    /**
     * {@code disjoint}: no other partition of the run writes the keys this one writes (shards of
     * one cluster); else (several sources) the snapshot never writes blindly, even into a target
     * that was empty, so a key two sources hold follows {@code --on-conflict}.
     */
    public SyncSession(SyncOptions opt, String partition, boolean disjoint) {
        this(opt, partition, disjoint, SnapshotGate.NONE);
    }

    /** {@code gate}: whose turn it is to ask this partition's host for a snapshot ({@code --source-safe}). */
    public SyncSession(SyncOptions opt, String partition, boolean disjoint, SnapshotGate gate) {
        this.opt = opt;
        this.gate = gate;
        this.partition = partition;
        this.disjoint = disjoint;
        this.store = new CheckpointStore(opt.stateDir());
        this.shape = opt.filter().describe() + "; " + (opt.dbMap() instanceof io.ferry.filter.DbMap m ? m.describe() : "custom db map");
    }

    @Override
    public SyncStats stats() {
        return stats;
    }

    /** Asks the run to stop: it stops reading, drains, checkpoints and returns. */
    @Override
    public void stop() {
        stopping.set(true);
        Spool s = spool;
        if (s != null) {
            s.finish(null); // wakes a reader waiting for the source
        }
    }

    /** One reading of the run's state for the status port (no secrets: URIs are redacted). */
    @Override
    public io.ferry.status.StatusSnapshot status() {
        StreamApplier a = applier;
        return io.ferry.status.StatusSnapshot.builder()
                .text("state", stats.state)
                .text("source", opt.source().redacted())
                .text("target", opt.target().redacted())
                .text("replid", stats.replid)
                .gauge("uptime_seconds", (System.nanoTime() - stats.startedNanos) / 1_000_000_000L, "Seconds since this run started.")
                .gauge("snapshot_bytes_total", stats.snapshotSize, "Size of the current snapshot in bytes (-1: diskless, unknown until received).")
                .gauge("snapshot_bytes_received", stats.snapshotBytes.get(), "Snapshot bytes received from the source.")
                .gauge("snapshot_bytes_applied", stats.snapshotBytesApplied.get(), "Snapshot bytes read and applied to the target.")
                .gauge("snapshot_keys_applied", stats.snapshotKeys.get(), "Keys of the snapshot confirmed written on the target.")
                .gauge("source_offset", stats.sourceOffset.get(), "Replication offset of the last byte received from the source.")
                .gauge("applied_offset", stats.appliedOffset.get(), "Replication offset up to which the target has applied everything.")
                .gauge("lag_bytes", stats.lagBytes(), "Bytes received from the source but not yet applied.")
                .gauge("lag_seconds", stats.lagSeconds, "Age of the oldest received but unapplied write.")
                .gauge("ops_per_second", stats.opsPerSecond, "Stream commands applied per second (last interval).")
                .counter("ops_applied", a == null ? 0 : a.applied.sum(), "Stream commands applied on the target.")
                .counter("errors_skipped", a == null ? 0 : a.skippedErrors.sum(), "Commands the target rejected, skipped under --on-error skip.")
                .counter("unknown_commands", a == null ? 0 : a.unknownCommands.sum(), "Commands unknown to Ferry, forwarded as they are.")
                .counter("barrier_commands", a == null ? 0 : a.barriers.sum(), "Commands applied in order across every lane (multi-key, scripts, FLUSHDB, unknown).")
                .counter("split_blocks", a == null ? 0 : a.splitBlocks.sum(), "Source MULTI blocks and scripts split per slot: the target (a cluster) cannot run them whole.")
                .counter("filtered_commands", a == null ? 0 : a.filtered.sum(), "Commands left out by the key/db filters.")
                .counter("translated_commands", a == null ? 0 : a.translations.translated.sum(), "Commands the target lacks, rewritten into ones it has (HSETEX as HSET, ...).")
                .counter("dropped_commands", a == null ? 0 : a.translations.dropped.sum(), "Commands dropped for the target: state it cannot hold (XNACK, ...) or cluster-internal.")
                .counter("field_ttls_lost", a == null ? 0 : a.translations.fieldTtlsLost.sum(), "Hash-field TTLs of the stream the target cannot hold (below Redis 7.4).")
                .counter("full_syncs", stats.fullSyncs.sum(), "Full syncs (snapshots) in this run.")
                .counter("snapshot_conflicts_skipped", stats.snapshotConflictsSkipped.sum(),
                        "Snapshot keys already on the target, left as they were (--on-conflict skip; with several sources, keys another one wrote).")
                .counter("partial_syncs", stats.partialSyncs.sum(), "Resumptions of the stream without a snapshot.")
                .counter("reconnects", stats.reconnects.sum(), "Source link reconnections.")
                .counter("target_reconnects", stats.targetReconnects.sum(), "Target reconnections after a lost target link.")
                .counter("target_redirects", targetRedirects(), "Writes sent again because the target's topology changed (MOVED, ASK, failover).")
                .flag("second_full_sync_allowed", !opt.noSecondFullSync(), "Whether a lost stream may trigger another full sync.")
                .build();
    }

    /** Writes sent again because the target's topology changed (a cluster's MOVED, ASK, failover). */
    public long targetRedirects() {
        TargetLink l = targetLink;
        return l == null ? 0 : l.current().redirectsFollowed();
    }

    @Override
    public boolean stopping() {
        return stopping.get();
    }

    /** Runs until {@link #stop()} or a failure (thrown, with an actionable message). */
    @Override
    public void run() throws Exception {
        if (opt.lanes() < 1) {
            throw new IllegalArgumentException("--lanes must be at least 1");
        }
        try (StateDirLock lock = StateDirLock.acquire(opt.stateDir());
                TargetLink target = TargetLink.open(opt, stats, stopping::get)) {
            targetLink = target;
            LOG.info("target {} is {}", opt.target().redacted(), target.current().features().describe());
            requireSourceDbsOnTarget(target.current());
            boolean everIncremental = false;
            int snapshotRetries = 0;
            while (!stopping.get()) {
                Checkpoint cp = store.load();
                targetIdentity = target.requireSameMigration(cp, opt.source().identity(), shape);
                if (cp != null && cp.lanes() != opt.lanes() && cp.resumable() && !cp.clean()) {
                    throw new IllegalArgumentException("the checkpoint in " + opt.stateDir() + " was written with --lanes " + cp.lanes()
                            + "; resume with the same --lanes (exactly-once resume depends on it)");
                }
                everIncremental |= cp != null && cp.resumable();
                try {
                    session(target, cp, everIncremental);
                    return;
                } catch (FullResyncNeeded e) {
                    everIncremental = true;
                    LOG.error("*** the source asks for a NEW FULL SYNC: {} ***", e.getMessage());
                } catch (SnapshotLinkLost e) {
                    if (++snapshotRetries > 10) {
                        throw new IOException("the source link broke during the snapshot 10 times; giving up: " + e.getMessage(), e);
                    }
                    LOG.warn("the source link broke during the snapshot ({}); starting the full sync again", e.getMessage());
                    Thread.sleep(Math.min(5000, 500L * snapshotRetries));
                }
            }
        } finally {
            stats.state = "stopped";
        }
    }

    /**
     * Refuses, before anything is written, a source db with keys that would land in a db the
     * target lacks. A db the source fills later is refused when the stream first selects it.
     */
    private void requireSourceDbsOnTarget(io.ferry.target.Target target) {
        String keyspace;
        try (var c = io.ferry.resp.RedisConnection.open(opt.source(), opt.sourceTls(), java.time.Duration.ofSeconds(10))) {
            io.ferry.resp.Reply r = c.call("INFO", "keyspace");
            if (r.isError()) {
                return; // INFO denied: the snapshot and the stream still refuse such a db before writing it
            }
            keyspace = r.asString();
        }
        for (int db : io.ferry.resp.Keyspace.parse(keyspace).keySet()) {
            if (opt.filter().acceptsDb(db)) {
                target.requireDb(opt.dbMap().applyAsInt(db), "source db " + db);
            }
        }
    }

    private volatile String targetIdentity; // what the checkpoints bind the state directory to (TargetLink#identity)

    private Checkpoint checkpoint(String replid, long offset, String phase, boolean clean, int db) {
        return new Checkpoint(opt.source().identity(), replid, offset, opt.lanes(), phase, clean, db, syncId, targetIdentity, shape);
    }

    private void session(TargetLink target, Checkpoint cp, boolean everIncremental) throws Exception {
        long[] skip = null;
        String replid = "?";
        long offset = -1;
        int db = 0;
        if (cp != null && cp.resumable()) {
            replid = cp.replid();
            syncId = cp.syncId();
            offset = cp.offset();
            db = cp.db();
            if (!cp.clean()) {
                StreamApplier.LaneCheckpoints lanes = targetCheckpoints(target, cp.syncId());
                skip = lanes.offsets();
                ResumePoint at = ResumePoint.of(cp.offset(), cp.db(), skip, lanes.dbs());
                offset = at.offset();
                db = at.db();
            }
            LOG.info("resuming from checkpoint: replication id {} offset {} (db {})", replid, offset, db);
        }
        Path spoolDir = opt.stateDir().resolve("spool");
        // What an earlier run received but did not apply may still be in the spool: replay it and
        // ask the source only for what follows, which its backlog is far likelier to still hold.
        SpoolAnchor anchor = offset >= 0 ? SpoolAnchor.load(spoolDir) : null;
        long spoolFrom = -1;
        long psyncFrom = offset < 0 ? -1 : offset + 1;
        if (anchor != null && anchor.syncId().equals(syncId)) {
            long[] extent = Spool.extent(spoolDir);
            long from = anchor.positionAfter(offset);
            if (extent != null && from >= Math.max(extent[0], anchor.position()) && from <= extent[1]) {
                spoolFrom = from;
                psyncFrom = anchor.offsetBefore(extent[1]) + 1;
            }
        }
        Spool spool = null;
        SourcePump pump = null;
        SnapshotGate.Permit permit = null;
        try {
            // Any PSYNC may turn into a full sync (a fork on the source), so each one waits for its host's turn.
            String before = stats.state;
            permit = gate.enter(stopping::get, () -> {
                stats.state = "waiting-for-host";
                LOG.info("--source-safe: waiting for another snapshot on host {} to finish before asking {} for one", gate.host(), opt.source().redacted());
            });
            if (permit == null) {
                return; // stopped while waiting: nothing was asked of the source
            }
            stats.state = before;
            ReplicaLink l = ReplicaLink.connect(opt.source(), opt.sourceTls(), opt.listeningPort());
            link = l;
            long asked = System.nanoTime();
            PsyncReply reply = l.psync(replid, psyncFrom);
            if (reply.full()) {
                stats.snapshotStartNanos = asked;
                stats.snapshotEndNanos = -1;
            } else {
                permit.close(); // no fork on the source
            }
            if (!reply.full() && spoolFrom >= 0) {
                spool = Spool.reopen(spoolDir, SPOOL_SEGMENT_BYTES, opt.spoolMaxBytes());
                spool.release(spoolFrom); // what the target already holds is not needed again
                LOG.info("replaying {} bytes of the stream (offsets {}..{}) from the local spool; the source continues at {}",
                        spool.written() - spoolFrom, offset + 1, psyncFrom - 1, psyncFrom);
            } else {
                spoolFrom = -1;
                SpoolAnchor.delete(spoolDir);
                spool = new Spool(spoolDir, SPOOL_SEGMENT_BYTES, opt.spoolMaxBytes());
            }
            this.spool = spool;
            if (reply.full()) {
                if (everIncremental && opt.noSecondFullSync()) {
                    throw new io.ferry.checkpoint.SyncStateException("the source cannot continue from offset " + offset + " (its backlog no longer has it) and "
                            + "--no-second-full-sync forbids a new full sync; raise repl-backlog-size on the source, clear the target and restart");
                }
                if (everIncremental) {
                    LOG.error("*** NEW FULL SYNC: the source could not continue the stream; keys deleted on the source meanwhile may remain on the target ***");
                }
                skip = null;
                stats.fullSyncs.increment();
                syncId = java.util.UUID.randomUUID().toString();
            } else {
                stats.partialSyncs.increment();
                LOG.info("source continues the stream at offset {} (partial resync, no snapshot)", reply.offset() + 1);
            }
            stats.replid = reply.replid() == null ? "?" : reply.replid();
            pump = new SourcePump(opt, stats, lag, stopping::get, l, spool, reply, syncId).gated(gate, permit);
            if (spoolFrom >= 0) {
                pump.resuming(anchor, offset);
            }
            this.pump = pump;
            pump.start();
            long streamStart = spoolFrom >= 0 ? spoolFrom : 0;
            long streamBase = spoolFrom >= 0 ? offset : reply.offset();
            if (reply.full()) {
                stats.state = "snapshot";
                stats.snapshotSize = reply.rdbLength();
                // Keys already on the target from an interrupted snapshot of ours are overwritten.
                boolean again = cp != null && Checkpoint.SNAPSHOT.equals(cp.phase()) || everIncremental;
                target.current().prepareFullSync(cp != null); // the checkpoint is this migration's (checked in run)
                store.save(checkpoint(reply.replid(), reply.offset(), Checkpoint.SNAPSHOT, false, 0));
                streamStart = snapshotRidingOutTargetLoss(target, spool, pump, reply, again);
                store.save(checkpoint(reply.replid(), reply.offset(), Checkpoint.INCREMENTAL, true, 0));
            }
            stats.state = "incremental";
            follow(target, spool, streamStart, streamBase, reply.full() ? 0 : db, skip);
        } finally {
            if (pump != null) {
                pump.shutdown(); // before the link closes, so it does not take the close for a cut and reconnect
            }
            ReplicaLink l = currentLink();
            if (l != null) {
                l.close();
            }
            if (pump != null) {
                pump.join(10_000);
            }
            this.pump = null;
            link = null;
            if (spool != null) {
                spool.close();
            }
            if (permit != null) {
                permit.close();
            }
        }
    }

    /**
     * Applies the snapshot; a lost target is reconnected and the snapshot applied again from the
     * spool, which keeps it until the stream starts (keys already written are replaced).
     */
    private long snapshotRidingOutTargetLoss(TargetLink target, Spool spool, SourcePump pump, PsyncReply reply, boolean again) throws Exception {
        while (true) {
            try {
                return applySnapshot(target.current(), spool, pump, reply, again);
            } catch (TargetLost e) {
                target.reopen(e.getMessage(), () -> null);
                again = true;
            } catch (RuntimeException e) {
                if (stopping.get()) {
                    throw new StopRequested();
                }
                if (pump.linkFailure() != null) {
                    throw new SnapshotLinkLost(pump.linkFailure());
                }
                throw e;
            }
        }
    }

    /** Reads the per-lane checkpoint keys the applier keeps on the target (db 0). */
    private StreamApplier.LaneCheckpoints targetCheckpoints(TargetLink target, String forSync) {
        StreamApplier.LaneCheckpoints lanes = target.current().readCheckpoints(opt.lanes(), forSync, partition);
        long[] o = lanes.offsets();
        if (o.length <= 64) {
            LOG.info("target-side checkpoints per lane: {}", Arrays.toString(o).replace(String.valueOf(Long.MIN_VALUE), "-"));
        } else {
            long[] kept = Arrays.stream(o).filter(x -> x != Long.MIN_VALUE).toArray();
            LOG.info("target-side checkpoints: {} of {} units (slots) have one{}", kept.length, o.length,
                    kept.length == 0 ? "" : ", offsets " + Arrays.stream(kept).min().getAsLong() + ".." + Arrays.stream(kept).max().getAsLong());
        }
        return lanes;
    }

    private long applySnapshot(io.ferry.target.Target target, Spool spool, SourcePump pump, PsyncReply reply, boolean again) throws Exception {
        LOG.info("full sync: receiving the snapshot ({})", reply.rdbLength() >= 0 ? (reply.rdbLength() >> 10) + " KiB" : "diskless");
        Path spill = opt.stateDir().resolve("spill");
        io.ferry.checkpoint.StateFiles.deleteTree(spill); // what an interrupted snapshot left
        try (InputStream snapshot = new SnapshotView(spool.reader(0), pump);
                var p = io.ferry.status.Progress.start("snapshot", Math.max(0, reply.rdbLength()), () -> stats.snapshotBytesApplied.get(),
                        stats.snapshotKeys::get)) {
            RdbReader reader = new RdbReader(snapshot, RdbReader.CaptureMode.raw(opt.bigKeyBytes(), spill));
            SnapshotApply.run(target, opt, again, disjoint, stats, stopping::get, () -> stats.snapshotBytesApplied.set(reader.offset()), reader::read);
        } finally {
            io.ferry.checkpoint.StateFiles.deleteTree(spill);
        }
        return pump.rdbEnd();
    }

    /**
     * Applies the stream from spool position {@code streamStart}, which follows source offset
     * {@code streamBase}. A lost target is reconnected; the stream then continues from what the
     * target's checkpoint keys say it applied (a batch whose EXEC reply was lost was applied or
     * not, never both), read again from the spool, which keeps every unapplied byte.
     */
    private void follow(TargetLink target, Spool spool, long streamStart, long streamBase, int startDb, long[] skip) throws Exception {
        SpoolAnchor anchor = new SpoolAnchor(syncId, streamStart, streamBase);
        if (stats.replid != null && !stats.replid.equals("?")) {
            anchor.save(opt.stateDir().resolve("spool"));
        }
        spool.release(streamStart); // the snapshot's bytes are applied: off the disk
        long from = streamBase;
        int db = startDb;
        while (true) {
            StreamApplier a = new StreamApplier(target.current(), partition, opt.onError(), syncId, from, db, skip, opt.filter(), opt.dbMap(),
                    target.current().streamBatchCommands(), ackWanted::release);
            applier = a;
            if (stream(a, spool, anchor, from)) {
                return;
            }
            // Everything before the applied offset is on the target; the lane keys say how much more.
            StreamApplier.Position applied = a.appliedPosition();
            StreamApplier.LaneCheckpoints lanes = target.reopen(a.failure(), () -> targetCheckpoints(target, syncId));
            ResumePoint at = ResumePoint.of(applied.offset(), applied.db(), lanes.offsets(), lanes.dbs());
            from = at.offset();
            db = at.db();
            skip = lanes.offsets();
            LOG.info("continuing the stream on the target at offset {} (db {})", from, db);
        }
    }

    /** One pass of the stream through one applier; false when the target was lost (not stopped, not failed). */
    private boolean stream(StreamApplier a, Spool spool, SpoolAnchor anchor, long from) throws Exception {
        long start = anchor.positionAfter(from);
        long sinceRelease = 0;
        Thread acker = new Thread(() -> ackLoop(a), "ferry-ack");
        acker.setDaemon(true);
        acker.start();
        boolean lost = false;
        try (InputStream in = spool.reader(start)) {
            CommandReader commands = new CommandReader(in, from);
            while (!stopping.get()) {
                if (!commands.hasBuffered() && spool.written() - start <= commands.consumed()) {
                    a.flush(); // the source is idle: send what is batched now, for low lag
                    spool.release(anchor.positionAfter(a.appliedOffset()));
                }
                io.ferry.replication.ReplCommand c;
                try {
                    c = commands.next();
                } catch (IOException e) {
                    if (stopping.get()) {
                        break;
                    }
                    if (e.getCause() instanceof FullResyncNeeded f) {
                        a.drain();
                        throw f;
                    }
                    throw e;
                }
                a.apply(c);
                if (a.failure() != null) {
                    break;
                }
                if (++sinceRelease == 4096) {
                    // Only what the target has applied may leave the spool: a restart replays the rest from it.
                    sinceRelease = 0;
                    spool.release(anchor.positionAfter(a.appliedOffset()));
                }
            }
            a.drain();
        } catch (io.ferry.resp.ConnectionLostException | io.ferry.resp.RedisTimeoutException e) {
            lost = true;
        } finally {
            // The acker also writes the checkpoint: stop it first, so it cannot overwrite the final one.
            acker.interrupt();
            acker.join(10_000);
        }
        if (lost || a.targetLost()) {
            saveCheckpoint(a, false);
            return false;
        }
        if (a.failure() != null) {
            saveCheckpoint(a, false);
            throw new io.ferry.target.ApplyFailedException(a.failure());
        }
        saveCheckpoint(a, true);
        a.clearCheckpointKeys();
        LOG.info("stopped cleanly at offset {}; commands translated for the target: {}", a.appliedOffset(), a.translations.describe());
        return true;
    }

    private void saveCheckpoint(StreamApplier a, boolean clean) {
        StreamApplier.Position at = a.appliedPosition();
        store.save(checkpoint(stats.replid, at.offset(), Checkpoint.INCREMENTAL, clean, at.db()));
    }

    /**
     * The one thread that reports the applied offset to the source (and checkpoints it): every
     * interval, and at once when a GETACK's writes are applied (the lanes' reply threads only
     * signal it, never write to the source socket themselves).
     */
    private void ackLoop(StreamApplier a) {
        long last = System.nanoTime();
        long lastApplied = a.applied.sum();
        long interval = opt.ackInterval().toNanos();
        long next = last + interval;
        while (!Thread.currentThread().isInterrupted()) {
            try {
                boolean wanted = ackWanted.tryAcquire(Math.max(0, next - System.nanoTime()), java.util.concurrent.TimeUnit.NANOSECONDS);
                ackWanted.drainPermits();
                if (wanted) {
                    ackNow();
                    continue;
                }
            } catch (InterruptedException e) {
                return;
            }
            next = System.nanoTime() + interval;
            long applied = a.appliedOffset();
            stats.appliedOffset.set(applied);
            long now = System.nanoTime();
            stats.lagSeconds = lag.lagSeconds(applied, now);
            long ops = a.applied.sum();
            stats.opsPerSecond = (ops - lastApplied) / ((now - last) / 1e9);
            last = now;
            lastApplied = ops;
            ackNow();
            if (a.failure() == null) {
                saveCheckpoint(a, false);
            }
        }
    }

    private ReplicaLink currentLink() {
        SourcePump p = pump;
        return p != null ? p.link() : link;
    }

    private void ackNow() {
        StreamApplier a = applier;
        ReplicaLink l = currentLink();
        if (a == null || l == null) {
            return;
        }
        try {
            l.ack(a.appliedOffset());
        } catch (IOException e) {
            LOG.debug("ACK failed: {}", e.getMessage()); // the pump notices the broken link and reconnects
        }
    }

    /** The target connection broke: the run reconnects and continues from the target's checkpoints. */
    static final class TargetLost extends RuntimeException {
        TargetLost(String m) {
            super(m, null, false, false);
        }
    }

    /** The source asked for a new snapshot while we were streaming. */
    static final class FullResyncNeeded extends IOException {
        FullResyncNeeded(String m) {
            super(m);
        }
    }

    /** The source link broke while the snapshot was arriving: only a new full sync can follow. */
    static final class SnapshotLinkLost extends RuntimeException {
        SnapshotLinkLost(Throwable cause) {
            super(cause.getMessage(), cause);
        }
    }

    /** Stops the snapshot reader when the run is asked to stop. */
    public static final class StopRequested extends RuntimeException {
        StopRequested() {
            this("stopped during the snapshot; the next run starts a new full sync");
        }

        StopRequested(String message) {
            super(message, null, false, false);
        }
    }

    /** The snapshot bytes of the spool: reads never go past the snapshot's end once it is known. */
    private static final class SnapshotView extends FilterInputStream {
        private final SourcePump pump;
        private long pos;

        SnapshotView(InputStream spoolReader, SourcePump pump) {
            super(spoolReader);
            this.pump = pump;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            long end = pump.rdbEnd();
            if (end >= 0) {
                if (pos >= end) {
                    return -1;
                }
                len = (int) Math.min(len, end - pos);
            }
            int n = super.read(b, off, len);
            if (n > 0) {
                pos += n;
            }
            return n;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }
    }
}
