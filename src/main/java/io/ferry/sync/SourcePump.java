package io.ferry.sync;

import io.ferry.replication.PsyncReply;
import io.ferry.replication.ReplicaLink;
import io.ferry.replication.Spool;
import io.ferry.replication.SpoolAnchor;
import java.io.IOException;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies the source socket into the spool: the snapshot, then the stream; on a broken link it
 * reconnects and continues with PSYNC from the last byte it spooled.
 */
final class SourcePump extends Thread {
    private static final Logger LOG = LoggerFactory.getLogger(SourcePump.class);

    private final SyncOptions opt;
    private final SyncStats stats;
    private final LagClock lag;
    private final BooleanSupplier stopping;
    private final String syncId;
    private volatile ReplicaLink link;
    private final Spool spool;
    private PsyncReply reply;
    private volatile long rdbEnd = -1;
    private volatile Throwable linkFailure;
    private SpoolAnchor stream; // where the command stream sits in the spool (set before it is pumped)

    private SpoolAnchor resumed; // the stream continues a spool an earlier run left (no snapshot)
    private long appliedBefore;
    private volatile boolean closed; // the session is done with this source link: no reconnects
    private volatile Thread nudger;
    private SnapshotGate gate = SnapshotGate.NONE;
    private SnapshotGate.Permit snapshotPermit; // released once the snapshot is received

    /** The host's snapshot turn ({@code --source-safe}): {@code permit} is held until the snapshot is in; reconnects wait for a turn. */
    SourcePump gated(SnapshotGate gate, SnapshotGate.Permit permit) {
        this.gate = gate;
        this.snapshotPermit = permit;
        return this;
    }

    private void releaseSnapshotTurn() {
        SnapshotGate.Permit p = snapshotPermit;
        if (p != null) {
            p.close();
        }
    }

    /** Pumps {@code link}, which answered {@code reply}, into {@code spool} for sync {@code syncId}. */
    SourcePump(SyncOptions opt, SyncStats stats, LagClock lag, BooleanSupplier stopping, ReplicaLink link, Spool spool, PsyncReply reply,
            String syncId) {
        super("ferry-source-link");
        setDaemon(true);
        this.opt = opt;
        this.stats = stats;
        this.lag = lag;
        this.stopping = stopping;
        this.link = link;
        this.spool = spool;
        this.reply = reply;
        this.syncId = syncId;
    }

    /** Continues the stream after the spooled bytes of {@code anchor}; {@code applied} is what the target holds. */
    SourcePump resuming(SpoolAnchor anchor, long applied) {
        this.resumed = anchor;
        this.appliedBefore = applied;
        return this;
    }

    /** The current link to the source (a reconnect replaces it): where ACKs go. */
    ReplicaLink link() {
        return link;
    }

    long rdbEnd() {
        return rdbEnd;
    }

    /** Ends the pump for good (the session is over): a broken link is no longer reconnected. */
    void shutdown() {
        closed = true;
        interrupt();
    }

    private boolean over() {
        return closed || stopping.getAsBoolean();
    }

    Throwable linkFailure() {
        return linkFailure;
    }

    @Override
    public void run() {
        try {
            if (resumed != null) {
                rdbEnd = resumed.position();
                stream = resumed;
                link.ack(appliedBefore); // what the target holds, not what the spool holds
            } else {
                if (reply.full()) {
                    long end = link.pumpSnapshot(reply, spool);
                    stats.snapshotBytes.set(end);
                    stats.snapshotEndNanos = System.nanoTime();
                    releaseSnapshotTurn(); // the source's snapshot child is done: the host's next partition may ask
                    rdbEnd = end;
                } else {
                    rdbEnd = 0;
                }
                stream = new SpoolAnchor(syncId, rdbEnd, reply.offset());
                // A diskless 7.0+ source holds the stream until the first ACK. After a snapshot the
                // ACK says 0: nothing of it is on the target yet, and an ACK is what WAIT (and an
                // operator reading INFO) takes for applied.
                long applied = reply.full() ? 0 : reply.offset();
                link.ack(applied);
                if (reply.full()) {
                    nudgeUntilTheStreamFlows(applied);
                }
            }
            while (true) {
                try {
                    pumpStream();
                    return;
                } catch (IOException e) {
                    if (over()) {
                        spool.finish(null);
                        return;
                    }
                    if (rdbEnd < 0) {
                        throw e; // broken during the snapshot: start over
                    }
                    if (reply.replid() == null) {
                        throw new SyncSession.FullResyncNeeded("the link to a source without PSYNC broke (" + e.getMessage()
                                + "); SYNC cannot continue a stream");
                    }
                    reconnect(e);
                }
            }
        } catch (Throwable e) {
            linkFailure = e;
            spool.finish(e);
        } finally {
            releaseSnapshotTurn();
            Thread n = nudger;
            if (n != null) {
                n.interrupt();
                try {
                    n.join(1000);
                } catch (InterruptedException ignored) {
                    // ending anyway
                }
            }
        }
    }

    /**
     * A 7.0+ source starts the stream on the first ACK after a diskless snapshot, but an ACK
     * that arrives before it has noticed its snapshot child exit is dropped, and the stream
     * then waits for the next one (a second later for a real replica; here the ACK loop only
     * starts once the snapshot is applied, while the source buffers the stream for us). So
     * the ACK is repeated every 100 ms until stream bytes arrive (the source pings at least
     * every 10 s), for at most 30 s.
     */
    private void nudgeUntilTheStreamFlows(long offset) {
        Thread t = new Thread(() -> {
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (!over() && spool.written() == rdbEnd && System.nanoTime() < deadline) {
                try {
                    Thread.sleep(100);
                    link.ack(offset);
                } catch (InterruptedException | IOException e) {
                    return; // the link is gone: the pump reconnects, and the reconnect needs no first ACK
                }
            }
        }, "ferry-first-ack");
        t.setDaemon(true);
        nudger = t;
        t.start();
    }

    private void pumpStream() throws IOException {
        // Record arrival times for the lag estimate while copying.
        link.pumpStream(spool, pos -> {
            long off = stream.offsetBefore(pos);
            stats.sourceOffset.set(off);
            lag.arrived(off, System.nanoTime());
        });
    }

    private void reconnect(IOException cause) throws IOException {
        long next = stream.offsetBefore(spool.written()) + 1;
        LOG.warn("lost the source link ({}); reconnecting to continue at offset {}", cause.getMessage(), next);
        for (int attempt = 1; !over(); attempt++) {
            try {
                Thread.sleep(Math.min(5000, 200L * attempt));
                PsyncReply r;
                ReplicaLink l;
                // The source may answer with a full sync (a fork): wait for the host's turn, as the first PSYNC did.
                try (SnapshotGate.Permit turn = gate.enter(this::over, () -> LOG.info("--source-safe: reconnect waits for another snapshot on host {}", gate.host()))) {
                    if (turn == null) {
                        return;
                    }
                    l = ReplicaLink.connect(opt.source(), opt.sourceTls(), opt.listeningPort());
                    r = l.psync(stats.replid, next);
                }
                if (r.full()) {
                    l.close();
                    throw new SyncSession.FullResyncNeeded("the source no longer has offset " + next + " in its backlog");
                }
                ReplicaLink old = link;
                link = l;
                old.close();
                if (r.replid() != null && !r.replid().equals(stats.replid)) {
                    // +CONTINUE with a new id: a failover in the shard; the offsets go on, only the id is new.
                    LOG.info("the source continues under a new replication id {} (was {}): a failover in its shard", r.replid(), stats.replid);
                    stats.replid = r.replid();
                }
                stats.reconnects.increment();
                LOG.info("source link restored: continuing at offset {}", next);
                return;
            } catch (SyncSession.FullResyncNeeded e) {
                throw e;
            } catch (InterruptedException e) {
                throw new IOException("interrupted while reconnecting", e);
            } catch (RuntimeException | IOException e) {
                LOG.warn("reconnect attempt {} failed: {}", attempt, e.getMessage());
            }
        }
    }
}
