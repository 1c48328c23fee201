package io.ferry.testing;

import io.ferry.convert.TargetFeatures;
import io.ferry.resp.Reply;
import io.ferry.resp.ReplyCallback;
import io.ferry.target.Lane;
import io.ferry.target.MissingDbException;
import io.ferry.target.Target;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * An in-memory fake of Ferry's own {@link Target} seam, for unit tests of the appliers: a few
 * strings, lists and hashes per db, lanes with their own selected db and MULTI queue, replies
 * held until the lane is flushed (as a pipeline would), errors the way a server gives them
 * (WRONGTYPE while running, unknown commands while queueing: EXECABORT).
 */
public final class MemoryTarget implements Target {
    private static final Set<String> KNOWN = Set.of("SELECT", "MULTI", "EXEC", "PING", "SET", "GET", "INCR", "RPUSH", "HSET", "DEL", "FLUSHDB",
            "RENAME");

    private final int databases;
    private final List<Lane> lanes = new ArrayList<>();
    /** db → key → String (string), Deque (list) or Map (hash). */
    public final Map<Integer, Map<String, Object>> dbs = new TreeMap<>();
    public int commands;

    public MemoryTarget(int laneCount, int databases) {
        this.databases = databases;
        for (int i = 0; i < laneCount; i++) {
            lanes.add(new MemoryLane());
        }
    }

    /** db → key → value, without Ferry's checkpoint keys. */
    public synchronized Map<Integer, Map<String, Object>> data() {
        Map<Integer, Map<String, Object>> out = new TreeMap<>();
        dbs.forEach((db, keys) -> keys.forEach((k, v) -> {
            if (!k.startsWith("__ferry_checkpoint:")) {
                out.computeIfAbsent(db, x -> new TreeMap<>()).put(k, v instanceof Deque<?> d ? new ArrayList<>(d) : v);
            }
        }));
        return out;
    }

    public synchronized Object get(int db, String key) {
        return dbs.getOrDefault(db, Map.of()).get(key);
    }

    public synchronized void put(int db, String key, Object value) {
        dbs.computeIfAbsent(db, x -> new LinkedHashMap<>()).put(key, value);
    }

    private static String s(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    private static Reply err(String m) {
        return new Reply.Error(m);
    }

    private static final Reply OK = new Reply.Simple("OK");

    /** Runs one command in {@code db}; the SELECT itself is handled by the lane. */
    @SuppressWarnings("unchecked")
    private synchronized Reply run(int db, byte[][] argv) {
        commands++;
        String name = s(argv[0]).toUpperCase(Locale.ROOT);
        Map<String, Object> keys = dbs.computeIfAbsent(db, x -> new LinkedHashMap<>());
        String key = argv.length > 1 ? s(argv[1]) : null;
        Object v = key == null ? null : keys.get(key);
        switch (name) {
            case "PING":
                return new Reply.Simple("PONG");
            case "SET":
                keys.put(key, s(argv[2]));
                return OK;
            case "GET":
                return v == null ? new Reply.Bulk(null) : v instanceof String str ? new Reply.Bulk(str.getBytes(StandardCharsets.UTF_8))
                        : err("WRONGTYPE Operation against a key holding the wrong kind of value");
            case "INCR": {
                if (v != null && !(v instanceof String)) {
                    return err("WRONGTYPE Operation against a key holding the wrong kind of value");
                }
                long n = v == null ? 1 : Long.parseLong((String) v) + 1;
                keys.put(key, Long.toString(n));
                return new Reply.Int(n);
            }
            case "RPUSH": {
                if (v != null && !(v instanceof Deque)) {
                    return err("WRONGTYPE Operation against a key holding the wrong kind of value");
                }
                Deque<String> l = v == null ? new ArrayDeque<>() : (Deque<String>) v;
                for (int i = 2; i < argv.length; i++) {
                    l.add(s(argv[i]));
                }
                keys.put(key, l);
                return new Reply.Int(l.size());
            }
            case "HSET": {
                if (v != null && !(v instanceof Map)) {
                    return err("WRONGTYPE Operation against a key holding the wrong kind of value");
                }
                Map<String, String> h = v == null ? new TreeMap<>() : (Map<String, String>) v;
                for (int i = 2; i + 1 < argv.length; i += 2) {
                    h.put(s(argv[i]), s(argv[i + 1]));
                }
                keys.put(key, h);
                return new Reply.Int(1);
            }
            case "DEL": {
                int n = 0;
                for (int i = 1; i < argv.length; i++) {
                    n += keys.remove(s(argv[i])) == null ? 0 : 1;
                }
                return new Reply.Int(n);
            }
            case "FLUSHDB":
                keys.clear();
                return OK;
            case "RENAME": {
                if (v == null) {
                    return err("ERR no such key");
                }
                keys.remove(key);
                keys.put(s(argv[2]), v);
                return OK;
            }
            default:
                throw new IllegalStateException("not reached: " + name);
        }
    }

    /** A lane: its own selected db and transaction; replies are delivered when it is flushed. */
    private final class MemoryLane implements Lane {
        private int selected = 0;
        private int db = 0; // what the lane believes is selected (like RedisLane)
        private List<Object[]> queued; // inside MULTI: {db, argv}
        private boolean queueError;
        private final List<Runnable> replies = new ArrayList<>();

        @Override
        public synchronized boolean send(int targetDb, byte[][] argv, ReplyCallback cb) {
            boolean switched = false;
            if (targetDb >= 0 && targetDb != db) {
                receive(new byte[][] {"SELECT".getBytes(), Integer.toString(targetDb).getBytes()}, r -> {});
                db = targetDb;
                switched = true;
            }
            receive(argv, cb);
            return switched;
        }

        /** What the server does on receiving one command. */
        private void receive(byte[][] argv, ReplyCallback cb) {
            String name = s(argv[0]).toUpperCase(Locale.ROOT);
            Reply r;
            if (!KNOWN.contains(name)) {
                r = err("ERR unknown command '" + s(argv[0]) + "'");
                queueError |= queued != null;
            } else if (name.equals("MULTI")) {
                queued = new ArrayList<>();
                queueError = false;
                r = OK;
            } else if (name.equals("EXEC")) {
                r = exec();
            } else if (queued != null) {
                queued.add(new Object[] {argv});
                r = new Reply.Simple("QUEUED");
            } else if (name.equals("SELECT")) {
                r = select(argv);
            } else {
                r = run(selected, argv);
            }
            Reply reply = r;
            replies.add(() -> cb.onReply(reply));
        }

        private Reply select(byte[][] argv) {
            int to = Integer.parseInt(s(argv[1]));
            if (to >= databases) {
                return err("ERR DB index is out of range");
            }
            selected = to;
            return OK;
        }

        private Reply exec() {
            List<Object[]> q = queued;
            queued = null;
            if (q == null) {
                return err("ERR EXEC without MULTI");
            }
            if (queueError) {
                return err("EXECABORT Transaction discarded because of previous errors.");
            }
            List<Reply> results = new ArrayList<>();
            for (Object[] c : q) {
                byte[][] argv = (byte[][]) c[0];
                results.add(s(argv[0]).equalsIgnoreCase("SELECT") ? select(argv) : run(selected, argv));
            }
            return new Reply.Array(results);
        }

        @Override
        public synchronized void forgetDb() {
            db = -1;
        }

        @Override
        public void flush() {
            List<Runnable> out;
            synchronized (this) {
                out = new ArrayList<>(replies);
                replies.clear();
            }
            out.forEach(Runnable::run);
        }

        @Override
        public void drain() {
            flush();
        }

        @Override
        public void close() {
            flush();
        }
    }

    @Override
    public TargetFeatures features() {
        return TargetFeatures.of("redis", "7.0.15", true, false);
    }

    @Override
    public boolean emptyAtOpen() {
        return true;
    }

    @Override
    public List<Lane> lanes() {
        return lanes;
    }

    @Override
    public int laneIndex(byte[] key) {
        return Math.floorMod(java.util.Arrays.hashCode(key), lanes.size());
    }

    @Override
    public String laneFailure() {
        return null;
    }

    @Override
    public int databases() {
        return databases;
    }

    @Override
    public void requireDb(int targetDb, String what) {
        if (targetDb >= databases) {
            throw new MissingDbException(what + " would be written to db " + targetDb + ", but the target has only " + databases + " dbs");
        }
    }

    @Override
    public String refusalOf(byte[][] argv) {
        return KNOWN.contains(s(argv[0]).toUpperCase(Locale.ROOT)) ? null : "the target does not know the command " + s(argv[0]);
    }

    @Override
    public boolean hasFunctionLibrary(String name) {
        return false;
    }

    @Override
    public io.ferry.target.StreamApplier.LaneCheckpoints readCheckpoints(int laneCount, String syncId, String partition) {
        return io.ferry.target.StreamApplier.LaneCheckpoints.of(laneCount, syncId,
                i -> (String) get(0, io.ferry.target.StreamApplier.CHECKPOINT_KEY + i));
    }

    @Override
    public void close() {
        lanes.forEach(Lane::close);
    }
}
