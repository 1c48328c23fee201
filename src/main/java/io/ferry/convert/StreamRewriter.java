package io.ferry.convert;

import io.ferry.rdb.StreamId;
import io.ferry.rdb.StreamValue;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Rebuilds a stream with commands as it is decoded: each entry with XADD (explicit id) when it
 * arrives, then the id counters with XSETID, groups with XGROUP CREATE, consumers, and each
 * pending entry with XCLAIM … FORCE so its owner, delivery time and count survive.
 *
 * <p>Entries are not kept; only their ids are (16 bytes each, in arrival = id order), to tell
 * which pending entries still have their message: XCLAIM cannot recreate one whose entry was
 * deleted, and those are counted as lost. So are NACKed entries (pending, owned by no consumer:
 * XCLAIM needs one) and the idempotent-producer ids of Redis 8.6 (no command re-records them).
 */
final class StreamRewriter {
    private final byte[] dest;
    private final TargetFeatures target;
    private final CommandSink out;
    private long[] ids = new long[64]; // ms, seq, ms, seq… ascending
    private int idCount;
    private long lostPending;
    private long lostNacked;
    private long lostIdmpIids = -1;

    StreamRewriter(byte[] dest, TargetFeatures target, CommandSink out) {
        this.dest = dest;
        this.target = target;
        this.out = out;
    }

    /** Pending entries the target could not get because their message is gone. */
    long lostPending() {
        return lostPending;
    }

    long lostNacked() {
        return lostNacked;
    }

    /** Idempotency ids the target did not get, or -1 when the stream's IDMP state was kept whole (or it had none). */
    long lostIdmpIids() {
        return lostIdmpIids;
    }

    void entry(StreamId id, List<byte[]> fields) {
        byte[][] argv = new byte[3 + fields.size()][];
        argv[0] = Args.b("XADD");
        argv[1] = dest;
        argv[2] = Args.b(id.toString());
        for (int i = 0; i < fields.size(); i++) {
            argv[3 + i] = fields.get(i);
        }
        out.command(argv);
        if (2 * idCount + 2 > ids.length) {
            ids = Arrays.copyOf(ids, ids.length * 2);
        }
        ids[2 * idCount] = id.ms();
        ids[2 * idCount + 1] = id.seq();
        idCount++;
    }

    /** After the entries: counters, groups, consumers, pending entries. */
    void finish(StreamValue s) {
        byte[] placeholder = Args.b("ferry-tmp-group");
        if (idCount == 0) {
            // An empty stream still exists: MKSTREAM through a placeholder group creates it
            // without an entry (a placeholder entry would leave a trace in max-deleted-entry-id).
            out.command(Args.b("XGROUP"), Args.b("CREATE"), dest, placeholder, Args.b("0"), Args.b("MKSTREAM"));
        }
        if (target.streamCounters() && s.entriesAdded() >= 0) {
            StreamId maxDel = s.maxDeletedId() == null ? StreamId.ZERO : s.maxDeletedId();
            out.command(Args.b("XSETID"), dest, Args.b(s.lastId().toString()), Args.b("ENTRIESADDED"), Args.b(s.entriesAdded()),
                    Args.b("MAXDELETEDID"), Args.b(maxDel.toString()));
        } else {
            out.command(Args.b("XSETID"), dest, Args.b(s.lastId().toString()));
        }
        if (idCount == 0) {
            out.command(Args.b("XGROUP"), Args.b("DESTROY"), dest, placeholder);
        }
        idmp(s.idmp());
        for (StreamValue.Group g : s.groups()) {
            if (target.streamCounters() && g.entriesRead() >= 0) {
                out.command(Args.b("XGROUP"), Args.b("CREATE"), dest, g.name(), Args.b(g.lastDeliveredId().toString()),
                        Args.b("ENTRIESREAD"), Args.b(g.entriesRead()));
            } else {
                out.command(Args.b("XGROUP"), Args.b("CREATE"), dest, g.name(), Args.b(g.lastDeliveredId().toString()));
            }
            Map<StreamId, StreamValue.Pending> pel = new HashMap<>();
            for (StreamValue.Pending p : g.pel()) {
                pel.put(p.id(), p);
                if (!live(p.id())) {
                    lostPending++;
                }
            }
            if (g.nacked() != null) {
                for (StreamId id : g.nacked()) {
                    if (live(id)) {
                        lostNacked++; // (one whose message is gone is counted above)
                    }
                }
            }
            for (StreamValue.Consumer c : g.consumers()) {
                if (target.createConsumer()) {
                    out.command(Args.b("XGROUP"), Args.b("CREATECONSUMER"), dest, g.name(), c.name());
                }
                for (StreamId id : c.pending()) {
                    StreamValue.Pending p = pel.get(id);
                    if (p == null || !live(id)) {
                        continue;
                    }
                    out.command(Args.b("XCLAIM"), dest, g.name(), c.name(), Args.b("0"), Args.b(id.toString()),
                            Args.b("TIME"), Args.b(p.deliveryTimeMs()), Args.b("RETRYCOUNT"), Args.b(p.deliveryCount()),
                            Args.b("FORCE"), Args.b("JUSTID"));
                }
            }
        }
    }

    /** The IDMP settings go where the target knows them; the remembered ids never can. */
    private void idmp(StreamValue.Idmp m) {
        if (m == null) {
            return;
        }
        boolean configured = m.durationSeconds() != StreamValue.Idmp.DEFAULT_DURATION || m.maxEntries() != StreamValue.Idmp.DEFAULT_MAX_ENTRIES;
        if (configured && target.streamIdmp()) {
            out.command(Args.b("XCFGSET"), dest, Args.b("IDMP-DURATION"), Args.b(m.durationSeconds()), Args.b("IDMP-MAXSIZE"), Args.b(m.maxEntries()));
        }
        long iids = m.iidCount();
        if (iids > 0 || configured && !target.streamIdmp()) {
            lostIdmpIids = iids;
        }
    }

    /** Binary search over the ids seen (unsigned order, as stream ids are). */
    private boolean live(StreamId id) {
        int lo = 0;
        int hi = idCount - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int c = Long.compareUnsigned(ids[2 * mid], id.ms());
            if (c == 0) {
                c = Long.compareUnsigned(ids[2 * mid + 1], id.seq());
            }
            if (c == 0) {
                return true;
            }
            if (c < 0) {
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return false;
    }
}
