package io.ferry.convert;

import io.ferry.rdb.StreamId;
import io.ferry.rdb.StreamValue;
import java.util.HashSet;
import java.util.Set;

/**
 * Rebuilds a stream with commands: entries with XADD (explicit ids), the id counters with
 * XSETID, groups with XGROUP CREATE, consumers, and each pending entry with XCLAIM … FORCE so
 * its owner, delivery time and count survive.
 */
final class StreamRewriter {
    private final byte[] dest;
    private final TargetFeatures target;
    private final CommandSink out;

    StreamRewriter(byte[] dest, TargetFeatures target, CommandSink out) {
        this.dest = dest;
        this.target = target;
        this.out = out;
    }

    void write(StreamValue s) {
        for (StreamValue.Entry e : s.entries()) {
            byte[][] argv = new byte[3 + e.fields().size()][];
            argv[0] = Args.b("XADD");
            argv[1] = dest;
            argv[2] = Args.b(e.id().toString());
            for (int i = 0; i < e.fields().size(); i++) {
                argv[3 + i] = e.fields().get(i);
            }
            out.command(argv);
        }
        byte[] placeholder = Args.b("ferry-tmp-group");
        if (s.entries().isEmpty()) {
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
        if (s.entries().isEmpty()) {
            out.command(Args.b("XGROUP"), Args.b("DESTROY"), dest, placeholder);
        }
        for (StreamValue.Group g : s.groups()) {
            if (target.streamCounters() && g.entriesRead() >= 0) {
                out.command(Args.b("XGROUP"), Args.b("CREATE"), dest, g.name(), Args.b(g.lastDeliveredId().toString()),
                        Args.b("ENTRIESREAD"), Args.b(g.entriesRead()));
            } else {
                out.command(Args.b("XGROUP"), Args.b("CREATE"), dest, g.name(), Args.b(g.lastDeliveredId().toString()));
            }
            Set<StreamId> live = liveIds(s);
            java.util.Map<StreamId, StreamValue.Pending> pel = new java.util.HashMap<>();
            for (StreamValue.Pending p : g.pel()) {
                pel.put(p.id(), p);
            }
            for (StreamValue.Consumer c : g.consumers()) {
                if (target.createConsumer()) {
                    out.command(Args.b("XGROUP"), Args.b("CREATECONSUMER"), dest, g.name(), c.name());
                }
                for (StreamId id : c.pending()) {
                    StreamValue.Pending p = pel.get(id);
                    if (p == null || !live.contains(id)) {
                        continue; // XCLAIM cannot recreate a pending entry whose message was deleted
                    }
                    out.command(Args.b("XCLAIM"), dest, g.name(), c.name(), Args.b("0"), Args.b(id.toString()),
                            Args.b("TIME"), Args.b(p.deliveryTimeMs()), Args.b("RETRYCOUNT"), Args.b(p.deliveryCount()),
                            Args.b("FORCE"), Args.b("JUSTID"));
                }
            }
        }
    }

    private static Set<StreamId> liveIds(StreamValue s) {
        Set<StreamId> ids = new HashSet<>();
        for (StreamValue.Entry e : s.entries()) {
            ids.add(e.id());
        }
        return ids;
    }

    /** Pending entries of a group that the typed path cannot carry over (their message is gone). */
    static long pendingWithoutEntry(StreamValue s, StreamValue.Group g) {
        Set<StreamId> live = liveIds(s);
        return g.pel().stream().filter(p -> !live.contains(p.id())).count();
    }
}
