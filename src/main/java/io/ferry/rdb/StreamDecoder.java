package io.ferry.rdb;

import java.util.ArrayList;
import java.util.List;

/** Decodes STREAM_LISTPACKS (v1, v2 with counters, v3 with consumer active times). */
final class StreamDecoder {
    private static final int FLAG_DELETED = 1;
    private static final int FLAG_SAMEFIELDS = 2;

    private StreamDecoder() {}

    /**
     * Hands the entries to {@code sink} node by node (one listpack in memory at a time), then
     * returns the counters and groups; with a null sink the structure is walked and null returned.
     */
    static StreamValue decode(RdbReader r, int type, ValueSink sink) {
        boolean keep = sink != null;
        long nodes = r.len("a stream listpack count");
        for (long i = 0; i < nodes; i++) {
            byte[] nodeKey = r.string("a stream node key");
            if (nodeKey.length != 16) {
                throw new IllegalArgumentException("stream node key of " + nodeKey.length + " bytes, expected 16");
            }
            if (!keep) {
                r.skipString("a stream listpack");
                continue;
            }
            node(StreamId.fromBytes(nodeKey, 0), new Listpack(r.string("a stream listpack")), sink);
        }
        long length = r.len("a stream length");
        StreamId lastId = id(r);
        StreamId firstId = null;
        StreamId maxDeleted = null;
        long added = -1;
        if (type >= RdbType.STREAM_LISTPACKS_2) {
            firstId = id(r);
            maxDeleted = id(r);
            added = r.len("a stream entries-added counter");
        }
        long groupCount = r.len("a consumer group count");
        List<StreamValue.Group> groups = new ArrayList<>();
        for (long g = 0; g < groupCount; g++) {
            byte[] name = r.string("a consumer group name");
            StreamId lastDelivered = id(r);
            long entriesRead = type >= RdbType.STREAM_LISTPACKS_2 ? r.len("a group entries-read counter") : -1;
            long pelSize = r.len("a PEL size");
            List<StreamValue.Pending> pel = new ArrayList<>();
            for (long k = 0; k < pelSize; k++) {
                StreamId pid = StreamId.fromBytes(r.input().bytes(16, "a PEL entry id"), 0);
                long time = r.input().u64le("a PEL delivery time");
                long count = r.len("a PEL delivery count");
                pel.add(new StreamValue.Pending(pid, time, count));
            }
            long consumerCount = r.len("a consumer count");
            List<StreamValue.Consumer> consumers = new ArrayList<>();
            for (long k = 0; k < consumerCount; k++) {
                byte[] cname = r.string("a consumer name");
                long seen = r.input().u64le("a consumer seen time");
                long active = type >= RdbType.STREAM_LISTPACKS_3 ? r.input().u64le("a consumer active time") : StreamValue.NOT_STORED;
                long npending = r.len("a consumer PEL size");
                List<StreamId> pending = new ArrayList<>();
                for (long q = 0; q < npending; q++) {
                    pending.add(StreamId.fromBytes(r.input().bytes(16, "a consumer PEL id"), 0));
                }
                consumers.add(new StreamValue.Consumer(cname, seen, active, pending));
            }
            groups.add(new StreamValue.Group(name, lastDelivered, entriesRead, pel, consumers));
        }
        return keep ? new StreamValue(length, lastId, firstId, maxDeleted, added, groups) : null;
    }

    /** Counts read from a listpack are not trusted for pre-sizing: a corrupt one must not allocate gigabytes. */
    private static int capacity(long n) {
        return (int) Math.max(0, Math.min(n, 64));
    }

    private static StreamId id(RdbReader r) {
        return new StreamId(r.u64("a stream id"), r.u64("a stream id")); // unsigned: ids up to 2^64-1 are legal
    }

    /** One radix-tree node: a master entry, then entries delta-encoded against the node key. */
    private static void node(StreamId master, Listpack lp, ValueSink out) {
        long count = lp.nextLong();
        long deleted = lp.nextLong();
        int masterFieldCount = (int) lp.nextLong();
        List<byte[]> masterFields = new ArrayList<>(capacity(masterFieldCount));
        for (int i = 0; i < masterFieldCount; i++) {
            masterFields.add(lp.next());
        }
        lp.nextLong(); // the master entry's terminating 0
        for (long e = 0; e < count + deleted; e++) {
            int flags = (int) lp.nextLong();
            long ms = master.ms() + lp.nextLong();
            long seq = master.seq() + lp.nextLong();
            int n;
            List<byte[]> fields;
            if ((flags & FLAG_SAMEFIELDS) != 0) {
                n = masterFieldCount;
                fields = new ArrayList<>(capacity(2L * n));
                for (int i = 0; i < n; i++) {
                    fields.add(masterFields.get(i));
                    fields.add(lp.next());
                }
            } else {
                n = (int) lp.nextLong();
                fields = new ArrayList<>(capacity(2L * n));
                for (int i = 0; i < n * 2; i++) {
                    fields.add(lp.next());
                }
            }
            lp.nextLong(); // lp-count of this entry, used for reverse iteration
            if ((flags & FLAG_DELETED) == 0) {
                out.streamEntry(new StreamId(ms, seq), fields);
            }
        }
        if (lp.hasNext()) {
            throw new IllegalArgumentException("stream listpack has trailing elements");
        }
    }
}
