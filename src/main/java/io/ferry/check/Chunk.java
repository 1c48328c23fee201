package io.ferry.check;

import static io.ferry.check.SidePipes.b;

import io.ferry.rdb.StreamId;
import io.ferry.rdb.ValueType;
import io.ferry.resp.Reply;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A slice of a big value as the source holds it — hash fields with values, set members, zset members with scores,
 * list elements from an index, stream entries, or string bytes from an offset — checked against the target in one
 * round trip: HMGET, SMISMEMBER, ZMSCORE (or pipelined SISMEMBER/ZSCORE before Redis 6.2), LRANGE, XRANGE, GETRANGE.
 *
 * <p>Hash, set and zset chunks only check that every source element is on the target with the same value; with
 * equal element counts (compared before) that proves the two collections equal.
 */
final class Chunk {
    final ValueType type;
    /** Lists: index of the first element; strings: byte offset. */
    final long start;
    /** Fields, members, elements, or the string bytes (one item). */
    final List<byte[]> items = new ArrayList<>();
    /** Hash values. */
    final List<byte[]> values = new ArrayList<>();
    /** Zset scores. */
    double[] scores = new double[16];
    final List<StreamEntry> entries = new ArrayList<>();

    Chunk(ValueType type, long start) {
        this.type = type;
        this.start = start;
    }

    int size() {
        return type == ValueType.STREAM ? entries.size() : items.size();
    }

    void addScore(byte[] member, double score) {
        if (items.size() == scores.length) {
            scores = Arrays.copyOf(scores, scores.length * 2);
        }
        scores[items.size()] = score;
        items.add(member);
    }

    /** A check queued on the target; its result is known after the run. */
    interface Check {
        /** The first difference in this chunk, or null. */
        Mismatch result();
    }

    /**
     * Queues the target reads for this chunk, at most {@code maxArgs} elements per command; {@code multi} says whether
     * the target has SMISMEMBER and ZMSCORE (Redis 6.2+).
     */
    Check queue(SidePipes t, byte[] key, int maxArgs, boolean multi) {
        if (size() == 0) {
            return () -> null;
        }
        return switch (type) {
            case HASH -> hash(t, key, maxArgs);
            case SET -> multi ? multiLookup(t, key, "SMISMEMBER", maxArgs) : singleLookups(t, key, "SISMEMBER");
            case ZSET -> multi ? multiLookup(t, key, "ZMSCORE", maxArgs) : singleLookups(t, key, "ZSCORE");
            case LIST -> list(t, key);
            case STREAM -> stream(t, key);
            case STRING -> string(t, key);
            case MODULE, ARRAY -> () -> null;
        };
    }

    private Check hash(SidePipes t, byte[] key, int maxArgs) {
        int[] handles = slices(t, key, "HMGET", maxArgs);
        return () -> {
            int i = 0;
            for (int h : handles) {
                Reply r = t.reply(h);
                if (ServerReader.isWrongType(t, r, "HMGET")) {
                    return Mismatch.changed("target");
                }
                for (Reply v : r.asList()) {
                    byte[] mine = values.get(i);
                    byte[] theirs = v.asBytes();
                    if (theirs == null || !Arrays.equals(mine, theirs)) {
                        return Mismatch.of("field", items.get(i), mine, theirs);
                    }
                    i++;
                }
            }
            return null;
        };
    }

    /** SMISMEMBER/ZMSCORE/HMGET in slices of at most {@code maxArgs} elements. */
    private int[] slices(SidePipes t, byte[] key, String command, int maxArgs) {
        int n = items.size();
        int[] handles = new int[(n + maxArgs - 1) / maxArgs];
        for (int s = 0, from = 0; from < n; s++, from += maxArgs) {
            int to = Math.min(n, from + maxArgs);
            byte[][] argv = new byte[2 + to - from][];
            argv[0] = b(command);
            argv[1] = key;
            for (int i = from; i < to; i++) {
                argv[2 + i - from] = items.get(i);
            }
            handles[s] = t.add(key, argv);
        }
        return handles;
    }

    private Check multiLookup(SidePipes t, byte[] key, String command, int maxArgs) {
        int[] handles = slices(t, key, command, maxArgs);
        return () -> {
            int i = 0;
            for (int h : handles) {
                Reply r = t.reply(h);
                if (ServerReader.isWrongType(t, r, command)) {
                    return Mismatch.changed("target");
                }
                for (Reply x : r.asList()) {
                    Mismatch m = lookupResult(i++, x);
                    if (m != null) {
                        return m;
                    }
                }
            }
            return null;
        };
    }

    private Check singleLookups(SidePipes t, byte[] key, String command) {
        int[] handles = new int[items.size()];
        for (int i = 0; i < handles.length; i++) {
            handles[i] = t.add(key, b(command), key, items.get(i));
        }
        return () -> {
            for (int i = 0; i < handles.length; i++) {
                Reply r = t.reply(handles[i]);
                if (ServerReader.isWrongType(t, r, command)) {
                    return Mismatch.changed("target");
                }
                Mismatch m = lookupResult(i, r);
                if (m != null) {
                    return m;
                }
            }
            return null;
        };
    }

    /** Set: 1/0 membership; zset: the score or null. */
    private Mismatch lookupResult(int i, Reply r) {
        if (type == ValueType.SET) {
            return r.asLong() == 1 ? null : Mismatch.of("member", items.get(i), "present", true, false);
        }
        String score = r.isNull() ? null : r.asString();
        if (score == null || !Scores.same(Scores.parse(score), scores[i])) {
            return Mismatch.of("member", items.get(i), "score", scores[i], score == null ? null : Scores.parse(score));
        }
        return null;
    }

    private Check list(SidePipes t, byte[] key) {
        int h = t.add(key, b("LRANGE"), key, b(start), b(start + items.size() - 1));
        return () -> {
            Reply r = t.reply(h);
            if (ServerReader.isWrongType(t, r, "LRANGE")) {
                return Mismatch.changed("target");
            }
            List<byte[]> theirs = new ArrayList<>();
            for (Reply x : r.asList()) {
                theirs.add(x.asBytes());
            }
            return Values.lists(items, theirs, start);
        };
    }

    /** The target's entries between this chunk's first and last id must be exactly this chunk's entries. */
    private Check stream(SidePipes t, byte[] key) {
        if (entries.isEmpty()) {
            return () -> null;
        }
        String first = entries.get(0).id();
        String last = entries.get(entries.size() - 1).id();
        int h = t.add(key, b("XRANGE"), key, b(first), b(last), b("COUNT"), b(entries.size() + 1L));
        return () -> {
            Reply r = t.reply(h);
            if (ServerReader.isWrongType(t, r, "XRANGE")) {
                return Mismatch.changed("target");
            }
            return Values.streams(entries, ServerReader.entries(r.asList()));
        };
    }

    private Check string(SidePipes t, byte[] key) {
        byte[] mine = items.get(0);
        int h = t.add(key, b("GETRANGE"), key, b(start), b(start + mine.length - 1));
        return () -> {
            Reply r = t.reply(h);
            if (ServerReader.isWrongType(t, r, "GETRANGE")) {
                return Mismatch.changed("target");
            }
            return Values.strings(mine, r.asBytes(), start);
        };
    }

    /** The id right after {@code id} (for exclusive XRANGE starts on servers older than 6.2). */
    static String nextId(String id) {
        StreamId s = StreamId.parse(id);
        return s.seq() == -1L ? new StreamId(s.ms() + 1, 0).toString() : new StreamId(s.ms(), s.seq() + 1).toString();
    }
}
