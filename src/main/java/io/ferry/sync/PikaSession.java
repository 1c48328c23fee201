package io.ferry.sync;

import io.ferry.checkpoint.Checkpoint;
import io.ferry.checkpoint.CheckpointStore;
import io.ferry.checkpoint.ResumePoint;
import io.ferry.checkpoint.StateDirLock;
import io.ferry.checkpoint.StateFiles;
import io.ferry.checkpoint.SyncStateException;
import io.ferry.replication.ReplCommand;
import io.ferry.source.pika.AckWindow;
import io.ferry.source.pika.PikaLink;
import io.ferry.source.pika.PikaCommands;
import io.ferry.source.pika.PikaRefetch;
import io.ferry.source.pika.PikaSource;
import io.ferry.source.pika.PikaStats;
import io.ferry.source.pika.snapshot.PikaSnapshot;
import io.ferry.source.pika.binlog.Action;
import io.ferry.source.pika.binlog.PikaGeneration;
import io.ferry.source.pika.binlog.PikaTranslator;
import io.ferry.source.pika.transfer.RsyncDaemon;
import io.ferry.source.pika.transfer.RsyncPuller;
import io.ferry.source.pika.transfer.SnapshotInfo;
import io.ferry.source.pika.wire.BinlogItem;
import io.ferry.source.pika.wire.BinlogOffset;
import io.ferry.source.pika.wire.InnerResponse;
import io.ferry.source.pika.wire.PikaPosition;
import io.ferry.target.StreamApplier;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One db of a Pika master, synced as a partition: poses as a Pika replica of that db (its own
 * replica node, so every db has its own session on the master), takes the dump when there is no
 * usable checkpoint (pushed by rsync on 3.1–3.4, pulled over the RsyncService on 3.5/4.0), writes
 * it through the snapshot converter, then follows the db's binlog from the dump's position.
 * Binlog positions are {@link PikaPosition} longs, so the applier's per-lane checkpoints and
 * exactly-once resume work unchanged; the master is acked only what the target has applied.
 */
public final class PikaSession implements Partition {
    private static final Logger LOG = LoggerFactory.getLogger(PikaSession.class);
    /** The master sends a keepalive every 2 s (10 s on 3.2): this much silence is a dead link. */
    private static final Duration SILENCE = Duration.ofSeconds(20);
    /** Acks held back longer than this would leave the master without news: ping then. */
    private static final long PING_EVERY_NANOS = TimeUnit.MILLISECONDS.toNanos(1500);

    private final SyncOptions opt;
    private final PikaSource source;
    private final String partition;
    private final boolean disjoint;
    private final CheckpointStore store;
    private final SyncStats stats = new SyncStats();
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final String shape;
    private final PikaStats pika;
    private volatile StreamApplier applier;
    private volatile PikaLink link;
    private volatile String syncId = "?";
    private volatile boolean dumpWithoutStreams;
    private final java.util.concurrent.atomic.LongAdder malformed = new java.util.concurrent.atomic.LongAdder();

    /** {@code disjoint}: no other partition writes into this db's target db (see {@link SnapshotApply}). */
    public PikaSession(SyncOptions opt, PikaSource source, String partition, boolean disjoint) {
        this.opt = opt;
        this.disjoint = disjoint;
        this.source = source;
        this.partition = partition;
        this.store = new CheckpointStore(opt.stateDir());
        stats.positionText = p -> "binlog position " + PikaPosition.describe(p);
        this.pika = new PikaStats(new io.ferry.source.pika.binlog.TypeNames(source.typeConflict()));
        this.shape = opt.filter().describe() + "; " + (opt.dbMap() instanceof io.ferry.filter.DbMap m ? m.describe() : "custom db map")
                + "; pika-type-conflict " + source.typeConflict().name().toLowerCase(java.util.Locale.ROOT);
    }

    @Override
    public SyncStats stats() {
        return stats;
    }

    @Override
    public void stop() {
        stopping.set(true); // the stream loop polls it; the handshake's reads time out
    }

    @Override
    public boolean stopping() {
        return stopping.get();
    }

    @Override
    public io.ferry.status.StatusSnapshot status() {
        StreamApplier a = applier;
        return io.ferry.status.StatusSnapshot.builder()
                .text("state", stats.state)
                .text("source", source.describe())
                .text("target", opt.target().redacted())
                .text("replid", stats.replid)
                .text("binlog_position", PikaPosition.describe(stats.appliedOffset.get()))
                .gauge("uptime_seconds", (System.nanoTime() - stats.startedNanos) / 1_000_000_000L, "Seconds since this run started.")
                .gauge("snapshot_bytes_received", stats.snapshotBytes.get(), "Snapshot bytes received from the source.")
                .gauge("snapshot_keys_applied", stats.snapshotKeys.get(), "Keys of the snapshot confirmed written on the target.")
                .gauge("lag_seconds", stats.lagSeconds, "Age of the oldest received but unapplied write.")
                .gauge("lag_items", stats.unappliedItems == null ? 0 : stats.unappliedItems.getAsLong(), "Binlog items received but not yet applied.")
                .gauge("ops_per_second", stats.opsPerSecond, "Stream commands applied per second (last interval).")
                .counter("ops_applied", a == null ? 0 : a.applied.sum(), "Stream commands applied on the target.")
                .counter("errors_skipped", a == null ? 0 : a.skippedErrors.sum(), "Commands the target rejected, skipped under --on-error skip.")
                .counter("filtered_commands", a == null ? 0 : a.filtered.sum(), "Commands left out by the key/db filters.")
                .counter("full_syncs", stats.fullSyncs.sum(), "Full syncs (snapshots) in this run.")
                .counter("partial_syncs", stats.partialSyncs.sum(), "Resumptions of the stream without a snapshot.")
                .counter("reconnects", stats.reconnects.sum(), "Source link reconnections.")
                .counter("snapshot_conflicts_skipped", stats.snapshotConflictsSkipped.sum(), "Snapshot keys already on the target, left as they were.")
                .counter("pika_binlog_items", pika.items.sum(), "Binlog items received from the Pika master.")
                .counter("pika_items_skipped", malformed.sum(), "Binlog items that could not be translated, skipped under --on-error skip.")
                .counter("pika_type_conflicts", pika.typeConflicts(), "Names Pika holds in several types, resolved by --pika-type-conflict.")
                .text("pika_type_conflict_names", String.join(",", pika.conflictNames()))
                .counter("pika_refetches", pika.translated(t -> t.refetches), "Keys re-read from the master because their binlog item cannot be replayed (3.x SPOP).")
                .counter("pika_expired_deletes", pika.translated(t -> t.expiredDeletes), "Binlog writes whose TTL had passed, applied as DEL (as the master did).")
                .counter("pika_ttl_losses", pika.translated(t -> t.ttlLosses), "TTLs the target could not keep (KEEPTTL below Redis 6.0).")
                .counter("pika_hll_strings", pika.translated(t -> t.hllStringsCopied), "Pika HyperLogLog values copied as plain strings (Redis PF* cannot read them).")
                .flag("pika_dump_without_streams", dumpWithoutStreams, "The last dump came from Pika 3.5, which leaves streams out of it.")
                .flag("second_full_sync_allowed", !opt.noSecondFullSync(), "Whether a lost stream may trigger another full sync.")
                .build();
    }

    @Override
    public void run() throws Exception {
        try (StateDirLock lock = StateDirLock.acquire(opt.stateDir());
                TargetLink target = TargetLink.open(opt, stats, stopping::get)) {
            LOG.info("{}: target {} is {}", source.describe(), opt.target().redacted(), target.current().features().describe());
            boolean everIncremental = false;
            int linkFailures = 0;
            while (!stopping.get()) {
                Checkpoint cp = store.load();
                targetIdentity = target.requireSameMigration(cp, source.identity(), shape);
                if (cp != null && cp.lanes() != opt.lanes() && cp.resumable() && !cp.clean()) {
                    throw new IllegalArgumentException("the checkpoint in " + opt.stateDir() + " was written with --lanes " + cp.lanes()
                            + "; resume with the same --lanes (exactly-once resume depends on it)");
                }
                everIncremental |= cp != null && cp.resumable();
                try {
                    if (session(target, cp, everIncremental)) {
                        return;
                    }
                    linkFailures = 0; // the stream ran: a new cut starts a new count
                } catch (LinkLost e) {
                    if (stopping.get()) {
                        return;
                    }
                    if (++linkFailures > 30) {
                        throw new IOException(source.describe() + ": the replication link failed 30 times in a row; giving up: " + e.getMessage(), e);
                    }
                    stats.reconnects.increment();
                    LOG.warn("{}: replication link lost ({}); reconnecting", source.describe(), e.getMessage());
                    Thread.sleep(Math.min(5000, 200L * linkFailures));
                }
            }
        } finally {
            stats.state = "stopped";
        }
    }

    /** The same-name registry of this sync (Pika <= 3.5), saved with every checkpoint. */
    private Path typeNamesFile() {
        return opt.stateDir().resolve("type-names");
    }

    /** Saves the registry, then the checkpoint: a resume maps names as this run did. */
    private void saveCheckpoint(String replid, long position, boolean clean) {
        try {
            pika.names().save(typeNamesFile());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot save " + typeNamesFile() + ": " + e.getMessage(), e);
        }
        store.save(checkpoint(replid, position, Checkpoint.INCREMENTAL, clean));
    }

    private volatile String targetIdentity; // what the checkpoints bind the state directory to (TargetLink#identity)

    private Checkpoint checkpoint(String replid, long position, String phase, boolean clean) {
        return new Checkpoint(source.identity(), replid, position, opt.lanes(), phase, clean, source.dbIndex(), syncId, targetIdentity, shape);
    }

    /** One connection's life: true when the run is over (stopped), false when it should reconnect. */
    private boolean session(TargetLink target, Checkpoint cp, boolean everIncremental) throws Exception {
        PikaLink l;
        try {
            l = PikaLink.connect(source.host(), source.port() + 2000, source.replicaPort(), Duration.ofSeconds(10));
        } catch (io.ferry.resp.ConnectFailedException e) {
            if (cp == null) {
                throw e; // never reached: one clear line
            }
            throw new LinkLost(e.getMessage());
        }
        link = l;
        try {
            InnerResponse.MetaSync meta;
            try {
                meta = l.metaSync(source.password());
            } catch (io.ferry.source.pika.PikaRefusedException e) {
                if (e.code() == InnerResponse.Code.OTHER && cp != null) {
                    throw new LinkLost(e.getMessage()); // our previous connection is still registered: it goes when the master notices it closed
                }
                throw e;
            }
            requireDb(meta);
            String replid = meta.replicationId() != null && !meta.replicationId().isEmpty() ? meta.replicationId() : "";
            stats.replid = replid.isEmpty() ? "-" : replid;
            long[] skip = null;
            long from = -1;
            if (cp != null && cp.resumable()) {
                if (!cp.replid().equals(replid)) {
                    return fullSync(target, l, replid, cp, everIncremental, "the master's replication id changed (" + cp.replid() + " -> " + replid
                            + "): it is another dataset");
                }
                syncId = cp.syncId();
                pika.names().load(typeNamesFile());
                from = cp.offset();
                if (!cp.clean()) {
                    StreamApplier.LaneCheckpoints lanes = target.current().readCheckpoints(opt.lanes(), syncId, partition);
                    skip = lanes.offsets();
                    from = ResumePoint.of(cp.offset(), source.dbIndex(), skip, lanes.dbs()).offset();
                }
                long at = PikaPosition.boundary(from);
                InnerResponse.TrySync t = l.trySync(source.dbName(), PikaPosition.toOffset(at));
                switch (t.reply()) {
                    case OK -> {
                        stats.partialSyncs.increment();
                        LOG.info("{}: the master continues the binlog at {} (no snapshot)", source.describe(), PikaPosition.describe(at));
                        return stream(target, l, t.sessionId(), at, skip);
                    }
                    case SYNC_POINT_BE_PURGED -> {
                        return fullSync(target, l, replid, cp, everIncremental, "the master purged binlog position " + PikaPosition.describe(at)
                                + " (raise expire-logs-nums on the master to keep more binlog files)");
                    }
                    case SYNC_POINT_LARGER -> throw new SyncStateException(source.describe() + ": the master is behind this sync's checkpoint ("
                            + PikaPosition.describe(at) + " > master " + describe(t.masterOffset()) + "): it lost data or was replaced; "
                            + "use a new --state-dir and an empty target");
                    default -> throw new SyncStateException(source.describe() + ": the master refused to continue at " + PikaPosition.describe(at)
                            + " (not a binlog record boundary there); use a new --state-dir and an empty target");
                }
            }
            return fullSync(target, l, replid, cp, everIncremental, null);
        } catch (IOException | io.ferry.resp.RedisException e) {
            if (stopping.get()) {
                return true;
            }
            if (linkFailure(e)) {
                throw new LinkLost(e.getMessage());
            }
            throw e; // a refusal, a protocol error, a local problem (the rsync daemon): one line, no retry
        } finally {
            link = null;
            l.close();
        }
    }

    /** The network failed (the master may be back in a moment), as opposed to a refusal or a local problem. */
    private static boolean linkFailure(Exception e) {
        return e instanceof java.net.SocketException || e instanceof java.net.SocketTimeoutException || e instanceof java.io.EOFException
                || e instanceof io.ferry.resp.ConnectionLostException || e instanceof io.ferry.resp.ConnectFailedException
                || e instanceof io.ferry.resp.RedisTimeoutException;
    }

    private void requireDb(InnerResponse.MetaSync meta) {
        List<String> names = meta.dbs().stream().map(InnerResponse.DbInfo::name).toList();
        if (!names.contains(source.dbName())) {
            throw new io.ferry.cli.UserError("the Pika master has no " + source.dbName() + " (it has " + String.join(", ", names) + ")");
        }
    }

    private static String describe(BinlogOffset o) {
        return o == null ? "?" : o.filenum() + "/" + o.offset();
    }

    /** Takes the db's dump, writes it, then follows the binlog from the dump's position. */
    private boolean fullSync(TargetLink target, PikaLink l, String replid, Checkpoint cp, boolean everIncremental, String why) throws Exception {
        if (everIncremental) {
            if (opt.noSecondFullSync()) {
                throw new SyncStateException(source.describe() + ": " + why + ", and --no-second-full-sync forbids a new full sync; "
                        + "clear the target and restart with a new --state-dir");
            }
            LOG.error("*** {}: NEW FULL SYNC: {}; keys deleted on the master meanwhile may remain on the target ***", source.describe(), why);
        }
        stats.state = "snapshot";
        stats.fullSyncs.increment();
        syncId = java.util.UUID.randomUUID().toString();
        Path dump = opt.stateDir().resolve("dump");
        pika.names().clear(); // a new dump registers its names afresh
        SnapshotInfo info = transfer(l, dump);
        if (source.generation() == PikaGeneration.V3_5) {
            dumpWithoutStreams = true;
            LOG.warn("{}: Pika 3.5 leaves streams out of its dump (its own replicas lack them too): streams written before this full sync are not "
                    + "copied, later stream writes are; ferry check lists what is missing", source.describe());
        }
        long at = PikaPosition.of(info.filenum(), info.offset());
        if (cp != null && cp.resumable() && cp.replid().equals(replid) && at < PikaPosition.boundary(cp.offset())) {
            // A master reuses an old dump; its binlog from there would apply again what the target already holds.
            throw new SyncStateException(source.describe() + ": the master's dump (binlog position " + PikaPosition.describe(at)
                    + ") is older than what the target already holds (" + PikaPosition.describe(cp.offset()) + "): replaying from it would apply "
                    + "those writes twice; clear the target and restart with a new --state-dir (or run BGSAVE on the master first)");
        }
        boolean again = cp != null && Checkpoint.SNAPSHOT.equals(cp.phase()) || everIncremental;
        target.current().prepareFullSync(cp != null);
        store.save(checkpoint(replid, at, Checkpoint.SNAPSHOT, false));
        writeSnapshot(target, dump.resolve(source.dbName()), again);
        StateFiles.deleteTree(dump);
        pika.names().save(typeNamesFile());
        store.save(checkpoint(replid, at, Checkpoint.INCREMENTAL, true));
        InnerResponse.TrySync t = l.trySync(source.dbName(), PikaPosition.toOffset(at));
        if (t.reply() != InnerResponse.TrySyncReply.OK) {
            throw new SyncStateException(source.describe() + ": the master cannot continue the binlog at the dump's position " + PikaPosition.describe(at)
                    + " (" + t.reply() + "); it purged it during the snapshot: raise expire-logs-nums on the master (e.g. config set expire-logs-nums 10000)"
                    + " and restart");
        }
        return stream(target, l, t.sessionId(), at, null);
    }

    /** Writes the received dump; a lost target is reconnected and the dump (still on disk) written again, replacing. */
    private void writeSnapshot(TargetLink target, Path dir, boolean again) throws Exception {
        PikaSnapshot snap = PikaSnapshot.open(dir);
        LOG.info("{}: writing the dump ({} layout)", source.describe(), snap.layout().name().toLowerCase(java.util.Locale.ROOT));
        while (true) {
            PikaSnapshot.Result[] r = new PikaSnapshot.Result[1];
            try {
                SnapshotApply.run(target.current(), opt, again, disjoint, stats, stopping::get, () -> {}, true,
                        h -> {
                            r[0] = snap.read(source.dbIndex(), h, source.typeConflict(), System::currentTimeMillis, pika.names()::register);
                            h.end(); // the dump of one db is the whole snapshot
                        });
            } catch (SyncSession.TargetLost e) {
                target.reopen(e.getMessage(), () -> null);
                again = true;
                continue;
            }
            pika.snapshotConflicts(r[0].conflicts(), r[0].conflictNames());
            if (r[0].conflicts() > 0) {
                LOG.warn("{}: {} names hold several types (Pika <= 3.5 allows it, Redis does not); --pika-type-conflict {}: {}", source.describe(),
                        r[0].conflicts(), source.typeConflict().name().toLowerCase(java.util.Locale.ROOT), String.join(", ", r[0].conflictNames()));
            }
            return;
        }
    }

    /** Asks for the dump and receives it into {@code dump/<db>/}; returns its binlog position. */
    private SnapshotInfo transfer(PikaLink l, Path dump) throws Exception {
        if (source.generation() == PikaGeneration.V3_LEGACY) {
            StateFiles.deleteTree(dump); // a push starts over
            java.nio.file.Files.createDirectories(dump);
            // 3.1–3.4 push the dump with rsync into our daemon on the replica port + 1000; it must listen before the DBSync.
            try (RsyncDaemon d = RsyncDaemon.start(dump, opt.stateDir().resolve("rsyncd"), l.node().ip(), source.replicaPort() + 1000,
                    source.password() == null ? "default" : source.password(), List.of(source.dbName()))) {
                InnerResponse.DbSync s = l.dbSync(source.dbName(), BinlogOffset.of(0, 0));
                LOG.info("{}: full sync: the master pushes its dump (session {}) to rsync on {}:{}", source.describe(), s.sessionId(), l.node().ip(),
                        source.replicaPort() + 1000);
                byte[] info = d.awaitInfo(source.dbName(), Duration.ofHours(24), stopping::get);
                if (info == null) {
                    throw new SyncSession.StopRequested();
                }
                return SnapshotInfo.parse(info);
            }
        }
        // A pull continues what an interrupted one left in dump/ (its marker file names the snapshot; another snapshot's files are cleared).
        java.nio.file.Files.createDirectories(dump);
        InnerResponse.DbSync s = l.dbSync(source.dbName(), BinlogOffset.of(0, 0));
        LOG.info("{}: full sync: pulling the master's dump (session {}) from its port + 10001", source.describe(), s.sessionId());
        RsyncPuller puller = new RsyncPuller(source.host(), source.port() + 10001, Duration.ofSeconds(30));
        for (int attempt = 1; ; attempt++) {
            try {
                RsyncPuller.Result r = puller.pull(source.dbName(), dump.resolve(source.dbName()), Duration.ofHours(24), stats.snapshotBytes::addAndGet,
                        stopping::get);
                if (r == null) {
                    throw new SyncSession.StopRequested("stopped while pulling the master's dump; the next run continues the pull where it stopped");
                }
                LOG.info("{}: dump {} pulled: {} files, {} KiB, binlog position {}/{}", source.describe(), r.snapshotUuid(), r.files().size(),
                        r.bytes() >> 10, r.info().filenum(), r.info().offset());
                return r.info();
            } catch (io.ferry.source.pika.transfer.SnapshotChangedException e) {
                if (attempt >= 5) {
                    throw e;
                }
                LOG.warn("{}: the master made a newer dump while we pulled it; pulling the new one", source.describe());
                StateFiles.deleteTree(dump.resolve(source.dbName()));
            }
        }
    }

    /** An item of the stream, or the end of the link. */
    private record Received(BinlogItem item, long end, int sessionId, IOException lost) {}

    /**
     * Follows the binlog from {@code from}: a reader thread takes the master's pushes, this thread
     * translates and applies them, an acker acks to the master exactly the items the target has
     * applied (and checkpoints). Returns true when stopped, throws {@link LinkLost} to reconnect.
     */
    private boolean stream(TargetLink target, PikaLink l, int sessionId, long from, long[] skip) throws Exception {
        stats.state = "incremental";
        l.startStream(source.dbName(), sessionId, PikaPosition.toOffset(from));
        l.readTimeout(SILENCE);
        StreamApplier a = new StreamApplier(target.current(), partition, opt.onError(), syncId, from, source.dbIndex(), skip, opt.filter(), opt.dbMap(),
                target.current().streamBatchCommands(), () -> {});
        applier = a;
        if (disjoint) {
            a.ownsTargetDb();
        }
        if (source.generation().multiTypeNames()) {
            a.tolerate("WRONGTYPE", argv -> pika.streamConflict(argv.length > 1 ? argv[1] : new byte[0]));
        }
        PikaTranslator translator = source.translator(target.current().features(), pika.names(), System::currentTimeMillis);
        pika.translations(translator.stats());
        BlockingQueue<Received> received = new ArrayBlockingQueue<>(20_000); // above the master's window (sync-window-size, 9000 by default)
        AckWindow unacked = new AckWindow();
        stats.unappliedItems = unacked::size;
        AtomicBoolean keepalive = new AtomicBoolean();
        Thread reader = new Thread(() -> read(l, sessionId, received, keepalive), "ferry-pika-read-" + source.dbName());
        Thread acker = new Thread(() -> ackLoop(l, sessionId, a, unacked, keepalive), "ferry-pika-ack-" + source.dbName());
        reader.setDaemon(true);
        acker.setDaemon(true);
        reader.start();
        acker.start();
        IOException lost = null;
        long prev = from;
        try (PikaRefetch refetch = new PikaRefetch(source, pika.names())) {
            while (!stopping.get() && a.failure() == null) {
                Received r = received.poll();
                if (r == null) {
                    a.flush(); // all that arrived is dispatched: send the partial batches now, so their acks free the master's window
                    r = received.poll(100, TimeUnit.MILLISECONDS);
                    if (r == null) {
                        continue;
                    }
                }
                if (r.lost() != null) {
                    lost = r.lost();
                    break;
                }
                pika.items.increment();
                List<io.ferry.source.pika.binlog.Action> actions;
                try {
                    actions = translator.translate(r.item().argv(), r.item().execTime());
                } catch (io.ferry.source.pika.binlog.MalformedBinlogItemException e) {
                    if (opt.onError() != io.ferry.target.OnError.SKIP) {
                        throw new io.ferry.target.ApplyFailedException(source.describe() + ": binlog item ending at " + PikaPosition.describe(r.end())
                                + " cannot be translated (" + e.getMessage() + "); use --on-error skip to count such items and go on");
                    }
                    malformed.increment();
                    LOG.warn("{}: skipped binlog item ending at {}: {} (--on-error skip)", source.describe(), PikaPosition.describe(r.end()), e.getMessage());
                    actions = List.of();
                }
                List<ReplCommand> cmds = PikaCommands.of(actions, refetch, prev, r.end());
                unacked.add(r.end(), r.item().execTime());
                for (ReplCommand c : cmds) {
                    a.apply(c);
                }
                stats.sourceOffset.set(r.end());
                prev = r.end();
            }
            acker.interrupt();
            acker.join(10_000);
            a.drain();
            if (lost == null && a.failure() == null) {
                finalAck(l, sessionId, a, unacked); // what the drain applied, then a polite goodbye (closing alone also removes us)
            }
        } finally {
            acker.interrupt();
            l.close(); // ends the reader
            reader.join(10_000);
            acker.join(10_000);
        }
        boolean clean = lost == null && a.failure() == null && !a.targetLost();
        StreamApplier.Position at = a.appliedPosition();
        stats.appliedOffset.set(at.offset());
        saveCheckpoint(stats.replid.equals("-") ? "" : stats.replid, at.offset(), clean);
        if (a.targetLost()) {
            target.reopen(a.failure(), () -> null);
            throw new LinkLost("the target was lost; continuing from its checkpoints");
        }
        if (a.failure() != null) {
            throw new io.ferry.target.ApplyFailedException(a.failure());
        }
        if (lost != null && !stopping.get()) {
            throw new LinkLost(lost.getMessage());
        }
        a.clearCheckpointKeys();
        LOG.info("{}: stopped cleanly at binlog position {}; {}", source.describe(), PikaPosition.describe(at.offset()), translator.stats().describe());
        return true;
    }

    private void finalAck(PikaLink l, int sessionId, StreamApplier a, AckWindow unacked) {
        try {
            AckWindow.Range r = unacked.takeApplied(a.appliedOffset());
            if (r != null) {
                l.ack(source.dbName(), sessionId, PikaPosition.toOffset(r.first()), PikaPosition.toOffset(r.last()));
            }
            l.removeSlave(List.of(source.dbName()));
        } catch (IOException e) {
            LOG.debug("final ack failed: {}", e.getMessage());
        }
    }

    /** The reader thread: every push item goes to the queue; a keepalive only raises its flag. */
    private void read(PikaLink l, int sessionId, BlockingQueue<Received> out, AtomicBoolean keepalive) {
        try {
            while (true) {
                InnerResponse r = l.next();
                if (r == null) {
                    throw new io.ferry.resp.ConnectionLostException("the Pika master closed the replication connection", null);
                }
                if (r.type() != io.ferry.source.pika.wire.MessageType.BINLOG_SYNC) {
                    continue;
                }
                for (InnerResponse.BinlogPush p : r.binlogs()) {
                    if (p.sessionId() != sessionId) {
                        throw new IOException("the master changed the session (" + sessionId + " -> " + p.sessionId() + ")");
                    }
                    if (p.keepalive()) {
                        keepalive.set(true);
                        continue;
                    }
                    out.put(new Received(BinlogItem.parse(p.binlog()), PikaPosition.of(p.offset().filenum(), p.offset().offset()), sessionId, null));
                }
            }
        } catch (IOException | RuntimeException e) {
            IOException x = e instanceof IOException io ? io : new IOException(e.getMessage(), e);
            out.offer(new Received(null, 0, sessionId, x));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The acker: acks to the master the items the target has applied (one range from the first
     * unacked to the last applied item end), answers keepalives and pings while acks are held
     * back, and checkpoints every ack interval. The one thread that writes acks.
     */
    private void ackLoop(PikaLink l, int sessionId, StreamApplier a, AckWindow unacked, AtomicBoolean keepalive) {
        long lastSend = System.nanoTime();
        long lastCheckpoint = System.nanoTime();
        long lastRate = System.nanoTime();
        long lastOps = a.applied.sum();
        long ckEvery = opt.ackInterval().toNanos();
        try {
            while (!Thread.currentThread().isInterrupted()) {
                Thread.sleep(5); // the master sends nothing more once its window is full of unacked items: ack promptly
                long applied = a.appliedOffset();
                AckWindow.Range r = unacked.takeApplied(applied);
                long now = System.nanoTime();
                if (r != null) {
                    l.ack(source.dbName(), sessionId, PikaPosition.toOffset(r.first()), PikaPosition.toOffset(r.last()));
                    lastSend = now;
                    keepalive.set(false);
                } else if (keepalive.getAndSet(false) || now - lastSend > PING_EVERY_NANOS) {
                    l.ping(source.dbName(), sessionId);
                    lastSend = now;
                }
                stats.appliedOffset.set(applied);
                if (now - lastRate >= 1_000_000_000L) {
                    long ops = a.applied.sum();
                    stats.opsPerSecond = (ops - lastOps) / ((now - lastRate) / 1e9);
                    lastOps = ops;
                    lastRate = now;
                }
                long oldest = unacked.oldestExecTime();
                stats.lagSeconds = oldest < 0 ? 0 : Math.max(0, System.currentTimeMillis() / 1000.0 - oldest);
                if (now - lastCheckpoint > ckEvery && a.failure() == null) {
                    lastCheckpoint = now;
                    saveCheckpoint(stats.replid.equals("-") ? "" : stats.replid, applied, false);
                }
            }
        } catch (InterruptedException e) {
            // stopping
        } catch (IOException e) {
            LOG.debug("ack failed: {}", e.getMessage()); // the reader notices the broken link
        }
    }

    /** The replication link broke (or must be made again): the run reconnects and resumes from the checkpoint. */
    static final class LinkLost extends RuntimeException {
        LinkLost(String m) {
            super(m, null, false, false);
        }
    }
}
