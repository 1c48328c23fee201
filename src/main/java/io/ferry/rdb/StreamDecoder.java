package io.ferry.rdb;

import java.util.ArrayList;
import java.util.List;

/**
 * Decodes STREAM_LISTPACKS: v1, v2 with counters, v3 with consumer active times, v4 (Redis RDB 13)
 * with idempotent-producer state after the groups, v5 (RDB 14) with each group's NACK zone.
 */
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
                long count = r.u64("a PEL delivery count"); // XNACK FATAL sets 2^63-1, which len() reserves for 2^64-1
                pel.add(new StreamValue.Pending(pid, time, count));
            }
            long consumerCount = r.len("a consumer count");
            List<StreamValue.Consumer> consumers = new ArrayList<>();
            for (long k = 0; k < consumerCount; k++) {
                byte[] cname = r.string("a consumer name");
                long seen = r.input().u64le("a consumer seen time");
                long active = type >= RdbType.STREAM_LISTPACKS_3 ? r.input().u64le("a consumer active time") : StreamValue.NOT_STORED;
                List<StreamId> pending = ids(r, "a consumer PEL id");
                consumers.add(new StreamValue.Consumer(cname, seen, active, pending));
            }
            List<StreamId> nacked = type >= RdbType.STREAM_LISTPACKS_5 ? ids(r, "a NACKed entry id") : null;
            groups.add(new StreamValue.Group(name, lastDelivered, entriesRead, pel, consumers, nacked));
        }
        StreamValue.Idmp idmp = type >= RdbType.STREAM_LISTPACKS_4 ? idmp(r) : null;
        return keep ? new StreamValue(length, lastId, firstId, maxDeleted, added, groups, idmp) : null;
    }

    /** A count, then that many 16-byte big-endian ids. */
    private static List<StreamId> ids(RdbReader r, String what) {
        long n = r.len("a count of " + what + "s");
        List<StreamId> out = new ArrayList<>(capacity(n));
        for (long i = 0; i < n; i++) {
            out.add(StreamId.fromBytes(r.input().bytes(16, what), 0));
        }
        return out;
    }

    private static StreamValue.Idmp idmp(RdbReader r) {
        long duration = r.len("an IDMP duration");
        long maxEntries = r.len("an IDMP max-entries");
        long producerCount = r.len("an IDMP producer count");
        List<StreamValue.Producer> producers = new ArrayList<>(capacity(producerCount));
        for (long p = 0; p < producerCount; p++) {
            byte[] pid = r.string("an IDMP producer id");
            long n = r.len("an IDMP producer's id count");
            List<StreamValue.Iid> iids = new ArrayList<>(capacity(n));
            for (long i = 0; i < n; i++) {
                byte[] iid = r.string("an IDMP idempotency id");
                iids.add(new StreamValue.Iid(iid, id(r)));
            }
            producers.add(new StreamValue.Producer(pid, iids));
        }
        long added = r.len("an IDMP iids-added counter");
        long duplicates = r.len("an IDMP iids-duplicates counter");
        return new StreamValue.Idmp(duration, maxEntries, producers, added, duplicates);
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
