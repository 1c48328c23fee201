package io.ferry.convert;

import io.ferry.rdb.Ints;
import io.ferry.rdb.StreamId;
import io.ferry.rdb.StreamValue;
import io.ferry.rdb.ValueSink;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Rewrites a decoded value as typed commands ({@code SET}, {@code RPUSH}, {@code SADD},
 * {@code ZADD}, {@code HSET}, stream commands) on {@code dest}, in batches bounded by element
 * count and bytes, so a collection of any size streams through in bounded memory.
 */
final class TypedWriter implements ValueSink {
    private final byte[] dest;
    private final TargetFeatures target;
    private final CommandSink out;
    private final int batchElements;
    private final long batchBytes;
    private final long nowMs;

    private byte[] verb;
    private final List<byte[]> args = new ArrayList<>();
    private long argBytes;
    private final List<byte[]> ttlFields = new ArrayList<>(); // field, ms, field, ms…
    private long written;
    private long droppedFieldTtls;
    private long expiredFields;
    private long arrayNext; // the index after the last array element batched
    private long arrayInsertIndex = -1;
    private StreamRewriter stream; // a stream being rewritten, entry by entry

    TypedWriter(byte[] dest, TargetFeatures target, CommandSink out, int batchElements, long batchBytes, long nowMs) {
        this.dest = dest;
        this.target = target;
        this.out = out;
        this.batchElements = batchElements;
        this.batchBytes = batchBytes;
        this.nowMs = nowMs;
    }

    /** Elements (or stream entries / string values) written so far. */
    long written() {
        return written;
    }

    /** Hash fields whose TTL the target cannot hold (written without TTL). */
    long droppedFieldTtls() {
        return droppedFieldTtls;
    }

    long expiredFields() {
        return expiredFields;
    }

    /** What a rewritten stream could not carry: pending entries of deleted messages, NACKs, IDMP state. */
    void addStreamLosses(ConvertStats stats) {
        if (stream != null) {
            stats.lostPendingEntries.add(stream.lostPending());
            stats.lostNackedEntries.add(stream.lostNacked());
            if (stream.lostIdmpIids() >= 0) {
                stats.lostIdmpStreams.increment();
                stats.lostIdmpIids.add(stream.lostIdmpIids());
            }
        }
    }

    /** Sends what is batched, and what must follow the last element (an array's insert index). */
    void finish() {
        flush();
        if (arrayInsertIndex != -1) {
            // The file keeps the last insert position; ARSEEK sets the next one, as ARNEXT reports it.
            out.command(Args.b("ARSEEK"), dest, Args.b(Long.toUnsignedString(arrayInsertIndex + 1)));
            arrayInsertIndex = -1;
        }
    }

    private void add(String command, int perElement, byte[]... parts) {
        byte[] v = Args.b(command);
        if (verb != null && !java.util.Arrays.equals(verb, v)) {
            flush();
        }
        verb = v;
        for (byte[] p : parts) {
            args.add(p);
            argBytes += p.length;
        }
        written++;
        if (args.size() / perElement >= batchElements || argBytes >= batchBytes || !target.variadic()) {
            flush();
        }
    }

    /** Sends what is batched. */
    void flush() {
        if (verb != null && !args.isEmpty()) {
            byte[][] argv = new byte[args.size() + 2][];
            argv[0] = verb;
            argv[1] = dest;
            for (int i = 0; i < args.size(); i++) {
                argv[i + 2] = args.get(i);
            }
            out.command(argv);
        }
        args.clear();
        argBytes = 0;
        verb = null;
        flushFieldTtls();
    }

    private void flushFieldTtls() {
        // HPEXPIREAT takes one timestamp for many fields: send one command per distinct time run.
        int i = 0;
        while (i < ttlFields.size()) {
            byte[] at = ttlFields.get(i + 1);
            List<byte[]> fields = new ArrayList<>();
            int j = i;
            while (j < ttlFields.size() && java.util.Arrays.equals(ttlFields.get(j + 1), at)) {
                fields.add(ttlFields.get(j));
                j += 2;
            }
            byte[][] argv = new byte[5 + fields.size()][];
            argv[0] = Args.b("HPEXPIREAT");
            argv[1] = dest;
            argv[2] = at;
            argv[3] = Args.b("FIELDS");
            argv[4] = Args.b(fields.size());
            for (int k = 0; k < fields.size(); k++) {
                argv[5 + k] = fields.get(k);
            }
            out.command(argv);
            i = j;
        }
        ttlFields.clear();
    }

    @Override
    public void string(byte[] value) {
        out.command(Args.b("SET"), dest, value);
        written++;
    }

    @Override
    public void listElement(byte[] element) {
        add("RPUSH", 1, element);
    }

    @Override
    public void setMember(byte[] member) {
        add("SADD", 1, member);
    }

    @Override
    public void zsetEntry(byte[] member, double score) {
        add("ZADD", 2, Ints.formatScore(score).getBytes(StandardCharsets.US_ASCII), member);
    }

    @Override
    public void hashField(byte[] field, byte[] value, long expireAtMs) {
        if (expireAtMs >= 0 && expireAtMs <= nowMs) {
            expiredFields++;
            return;
        }
        add(target.multiFieldHset() ? "HSET" : "HMSET", 2, field, value);
        if (expireAtMs >= 0) {
            if (target.hashFieldTtl()) {
                ttlFields.add(field);
                ttlFields.add(Args.b(expireAtMs));
            } else {
                droppedFieldTtls++;
            }
        }
    }

    @Override
    public void streamEntry(StreamId id, List<byte[]> fields) {
        streamRewriter().entry(id, fields);
        written++;
    }

    @Override
    public void stream(StreamValue s) {
        StreamRewriter r = streamRewriter(); // an empty stream has no entries before this
        r.finish(s);
        written++;
    }

    @Override
    public void arrayStart(long count, long insertIndex) {
        arrayInsertIndex = insertIndex;
    }

    /** Consecutive elements go in one ARSET (it sets from an index on); a gap starts a new one. */
    @Override
    public void arrayElement(long index, byte[] value) {
        if (verb != null && (verb != ARSET || index != arrayNext)) {
            flush();
        }
        if (verb == null) {
            verb = ARSET;
            args.add(Args.b(Long.toUnsignedString(index)));
        }
        args.add(value);
        argBytes += value.length;
        arrayNext = index + 1;
        written++;
        if (args.size() > batchElements || argBytes >= batchBytes) {
            flush();
        }
    }

    private static final byte[] ARSET = Args.b("ARSET");

    private StreamRewriter streamRewriter() {
        if (stream == null) {
            stream = new StreamRewriter(dest, target, out);
        }
        return stream;
    }
}
