package io.ferry.check;

import io.ferry.filter.KeyFilter;
import io.ferry.rdb.KeyHeader;
import io.ferry.rdb.RdbHandler;
import io.ferry.rdb.RdbReader;
import io.ferry.rdb.StreamValue;
import io.ferry.rdb.ValueSink;
import io.ferry.rdb.ValueType;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One pass over an RDB file as the check's source. Keys are decoded element by element: a key up to {@code chunk}
 * elements (or a string up to the string window) is kept whole and goes, in batches, to the workers; a bigger one is
 * compared right here while it is read, chunk by chunk, so it is never held whole. In the first pass every key's
 * (db, key) hash goes into a {@link KeyHashSet}, to find the target's keys that the file lacks; a recheck pass looks
 * only at the keys that differed.
 */
final class FilePass implements RdbHandler {
    private final Path file;
    private final KeyFilter filter;
    private final Level level;
    private final int chunkLimit;
    private final int window;
    private final int batch;
    private final Sampler sampler;
    private final Sampler.Quota quota;
    private final KeyHashSet hashes;
    private final Set<DbKey> only;
    private final Set<DbKey> seen = new HashSet<>();
    private final PairComparer comparer;
    private final Recorder recorder;
    private final WorkerPool pool;
    private final Task.Mode mode;
    private final Collector collector = new Collector();
    private long expired;

    private int batchDb = -1;
    private List<byte[]> keys = new ArrayList<>();
    private List<KeyState> states = new ArrayList<>();

    /**
     * @param hashes collects the hashes of the file's keys (first pass), or null
     * @param only the keys to look at (recheck pass), or null for every key
     * @param comparer this thread's comparer (target connection) for big keys
     * @param mode {@link Task.Mode#COMPARE} (counted) or {@link Task.Mode#RECHECK}
     */
    FilePass(CheckOptions opt, Sampler sampler, KeyHashSet hashes, Set<DbKey> only, PairComparer comparer, Recorder recorder,
            WorkerPool pool, Task.Mode mode) {
        this.file = opt.sourceFile();
        this.filter = opt.filter();
        this.level = opt.level();
        this.chunkLimit = opt.chunk();
        this.window = opt.stringWindow();
        this.batch = opt.batch();
        this.sampler = sampler;
        this.quota = sampler.quota();
        this.hashes = hashes;
        this.only = only;
        this.comparer = comparer;
        this.recorder = recorder;
        this.pool = pool;
        this.mode = mode;
    }

    void run() {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            new RdbReader(in).read(this);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        flush();
    }

    /** Recheck pass: the keys asked for that the file does not hold (or holds already expired). */
    List<DbKey> unseen() {
        List<DbKey> out = new ArrayList<>();
        for (DbKey k : only) {
            if (!seen.contains(k)) {
                out.add(k);
            }
        }
        return out;
    }

    long expired() {
        return expired;
    }

    @Override
    public ValueSink beginKey(KeyHeader h) {
        pool.checkFailed();
        if (!filter.acceptsDb(h.db) || !filter.acceptsKey(h.key) || KeyScanner.isCheckpoint(h.key)) {
            return null;
        }
        DbKey dk = null;
        if (only != null) {
            dk = new DbKey(h.db, h.key);
            if (!only.contains(dk)) {
                return null;
            }
        }
        if (h.expireAtMs >= 0 && h.expireAtMs <= System.currentTimeMillis()) {
            expired++; // a server loading this file would drop it: the key is absent from the source
            return null;
        }
        if (hashes != null) {
            hashes.add(KeyHash.of(h.db, h.key));
        }
        if (only == null && (!sampler.picks(h.db, h.key) || !quota.take())) {
            return null;
        }
        if (dk != null) {
            seen.add(dk);
        }
        if (h.db != batchDb) {
            flush();
            batchDb = h.db;
        }
        ValueType type = h.type();
        if (!filter.acceptsType(type)) {
            // Compared only for existence and type: it matters only when the target holds it with a selected type.
            if (mode == Task.Mode.COMPARE) {
                recorder.progress.increment();
            }
            add(h.key, KeyState.fromFile(h.key, type, type == ValueType.MODULE ? null : type.label(), h.expireAtMs));
            return null;
        }
        collector.begin(h);
        return collector;
    }

    @Override
    public void endKey(KeyHeader h, io.ferry.rdb.RawValue raw) {
        if (collector.header == h) {
            collector.end();
        }
    }

    private void add(byte[] key, KeyState state) {
        keys.add(key);
        states.add(state);
        if (keys.size() >= batch) {
            flush();
        }
    }

    private void flush() {
        if (keys.isEmpty()) {
            return;
        }
        pool.submit(new Task(mode, batchDb, keys, states.toArray(new KeyState[0])));
        keys = new ArrayList<>();
        states = new ArrayList<>();
    }

    /** Receives one key's value: whole when small, chunk by chunk (compared at once) when big. */
    private final class Collector implements ValueSink {
        KeyHeader header;
        private KeyState state;
        private ValueType type;
        private boolean full;
        private long count;
        private Chunk chunk;
        private PairComparer.FileKeyCheck big;
        private StreamInfo stream;
        private long now;

        void begin(KeyHeader h) {
            header = h;
            now = System.currentTimeMillis();
            type = h.type();
            state = KeyState.fromFile(h.key, type, type == ValueType.MODULE ? null : type.label(), h.expireAtMs);
            full = level == Level.FULL && type != ValueType.MODULE && type != ValueType.ARRAY; // arrays: count and TTL only
            count = 0;
            chunk = full ? new Chunk(type, 0) : null;
            big = null;
            stream = null;
        }

        /** Counts one element; true when it should be kept (full level), after passing a full chunk on. */
        private boolean next() {
            if (!full) {
                count++;
                return false;
            }
            if (chunk.size() == chunkLimit) {
                if (big == null) {
                    big = comparer.beginFileKey(header.db, state);
                }
                big.chunk(chunk);
                chunk = new Chunk(type, count);
            }
            count++;
            return true;
        }

        @Override
        public void string(byte[] value) {
            count = value.length;
            if (!full) {
                return;
            }
            if (value.length <= window) {
                state.head = value;
                return;
            }
            big = comparer.beginFileKey(header.db, state);
            for (int off = 0; off < value.length; off += window) {
                Chunk c = new Chunk(ValueType.STRING, off);
                c.items.add(java.util.Arrays.copyOfRange(value, off, Math.min(value.length, off + window)));
                big.chunk(c);
            }
        }

        @Override
        public void listElement(byte[] element) {
            if (next()) {
                chunk.items.add(element);
            }
        }

        @Override
        public void setMember(byte[] member) {
            if (next()) {
                chunk.items.add(member);
            }
        }

        @Override
        public void zsetEntry(byte[] member, double score) {
            if (next()) {
                chunk.addScore(member, score);
            }
        }

        @Override
        public void hashField(byte[] field, byte[] value, long expireAtMs) {
            if (expireAtMs >= 0 && expireAtMs <= now) {
                return; // an expired field (Redis 7.4+): a server loading the file drops it
            }
            if (next()) {
                chunk.items.add(field);
                chunk.values.add(value);
            }
        }

        @Override
        public void streamEntry(io.ferry.rdb.StreamId id, List<byte[]> fields) {
            if (next()) {
                chunk.entries.add(new StreamEntry(id.toString(), fields));
            }
        }

        @Override
        public void arrayElement(long index, byte[] value) {
            next();
        }

        @Override
        public void stream(StreamValue s) {
            List<StreamInfo.Group> groups = new ArrayList<>();
            for (StreamValue.Group g : s.groups()) {
                groups.add(new StreamInfo.Group(g.name(), g.lastDeliveredId().toString(), g.pel().size()));
            }
            stream = new StreamInfo(s.lastId().toString(), groups);
        }

        @Override
        public void module(String moduleName, long moduleId, byte[] payload) {
            state.typeName = moduleName;
        }

        void end() {
            header = null;
            if (mode == Task.Mode.COMPARE) {
                recorder.progress.increment();
            }
            if (big != null) {
                if (type != ValueType.STRING && chunk.size() > 0) {
                    big.chunk(chunk);
                }
                recorder.record(batchDb, big.end(count, stream), mode == Task.Mode.COMPARE);
                return;
            }
            state.size = type == ValueType.MODULE ? -1 : count;
            state.stream = stream;
            if (full && type != ValueType.STRING) {
                state.value = normalized(chunk);
            }
            add(state.key, state);
        }

        private Object normalized(Chunk c) {
            switch (type) {
                case LIST:
                    return c.items;
                case SET: {
                    Set<Bytes> set = new HashSet<>(c.items.size() * 2);
                    for (byte[] m : c.items) {
                        set.add(new Bytes(m));
                    }
                    return set;
                }
                case HASH: {
                    Map<Bytes, Bytes> map = new HashMap<>(c.items.size() * 2);
                    for (int i = 0; i < c.items.size(); i++) {
                        map.put(new Bytes(c.items.get(i)), new Bytes(c.values.get(i)));
                    }
                    return map;
                }
                case ZSET: {
                    Map<Bytes, Double> map = new HashMap<>(c.items.size() * 2);
                    for (int i = 0; i < c.items.size(); i++) {
                        map.put(new Bytes(c.items.get(i)), c.scores[i]);
                    }
                    return map;
                }
                case STREAM:
                    return c.entries;
                default:
                    return null;
            }
        }
    }
}
