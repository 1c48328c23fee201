package io.ferry.check;

import io.ferry.filter.KeyFilter;
import io.ferry.rdb.ValueType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Compares a batch of keys of one database on both sides, in as few pipelined round trips as the level needs:
 * <ol>
 *   <li>PTTL and a string probe (see {@link ServerReader}) — existence, TTL, a string's size and value; then TYPE
 *       for the keys that are not strings;
 *   <li>the size of collections (and at full level a stream's last id and groups);
 *   <li>at full level, small collections read whole and compared;
 *   <li>big collections (more than {@code chunk} elements) and big strings compared chunk by chunk.
 * </ol>
 * The source side is either a server (read here) or given as {@link KeyState}s read from a file. One comparer per
 * worker thread.
 *
 * <p>A key present on one side only whose TTL on the other side is within the tolerance is about to expire, not a
 * difference; a key absent on both sides (it expired or was deleted meanwhile) is not a difference either.
 */
final class PairComparer {
    private final SidePipes src;
    private final SidePipes tgt;
    private final Level level;
    private final long tolerance;
    private final KeyFilter filter;
    private final int chunk;
    private final int window;
    private final boolean multiLookup;

    /** {@code src} is null when the source is a file; {@code multiLookup}: the target has SMISMEMBER/ZMSCORE. */
    PairComparer(SidePipes src, SidePipes tgt, CheckOptions opt, boolean multiLookup) {
        this.src = src;
        this.tgt = tgt;
        this.level = opt.level();
        this.tolerance = opt.ttlToleranceMs();
        this.filter = opt.filter();
        this.chunk = opt.chunk();
        this.window = opt.stringWindow();
        this.multiLookup = multiLookup;
    }

    SidePipes source() {
        return src;
    }

    SidePipes target() {
        return tgt;
    }

    /** Compares {@code keys} of {@code db}; {@code preset} holds the source states (from a file), or null to read them. */
    Verdict[] compare(int db, List<byte[]> keys, KeyState[] preset) {
        int n = keys.size();
        boolean fromServer = preset == null;
        KeyState[] s = fromServer ? fresh(keys) : preset;
        KeyState[] t = fresh(keys);
        if (fromServer) {
            src.db(db);
        }
        tgt.db(db);
        for (int i = 0; i < n; i++) {
            if (fromServer) {
                ServerReader.queueMeta(src, s[i], level, window);
            }
            ServerReader.queueMeta(tgt, t[i], level, window);
        }
        SidePipes.run(fromServer ? src : null, tgt);
        long now = System.currentTimeMillis();
        for (int i = 0; i < n; i++) {
            if (fromServer) {
                ServerReader.readMeta(src, s[i], level, window);
            } else {
                s[i].resolveExpiry(now);
            }
            ServerReader.readMeta(tgt, t[i], level, window);
        }
        resolve(fromServer, s, t);

        Verdict[] out = new Verdict[n];
        List<Integer> collections = new ArrayList<>();
        List<Integer> big = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Verdict v = existenceAndType(db, s[i], t[i]);
            if (v != null) {
                out[i] = v;
            } else if (s[i].changed || t[i].changed) {
                out[i] = changed(db, s[i], t[i]);
            } else if (s[i].type == ValueType.STRING) {
                if (s[i].size != t[i].size) {
                    out[i] = size(db, s[i], t[i]);
                } else if (level == Level.FULL && s[i].size > window) {
                    big.add(i);
                } else if (level == Level.FULL) {
                    out[i] = valueOrTtl(db, s[i], t[i], Values.strings(s[i].head, t[i].head, 0));
                } else {
                    out[i] = ttlOrSame(db, s[i], t[i]);
                }
            } else if (s[i].type == ValueType.MODULE) {
                out[i] = ttlOrSame(db, s[i], t[i]); // module values are opaque: type and TTL only
            } else {
                collections.add(i);
            }
        }
        if (collections.isEmpty()) {
            return finishBig(db, s, t, big, out);
        }

        for (int i : collections) {
            if (fromServer) {
                ServerReader.queueSize(src, s[i], s[i].type, level);
            }
            ServerReader.queueSize(tgt, t[i], s[i].type, level);
        }
        SidePipes.run(fromServer ? src : null, tgt);
        List<Integer> whole = new ArrayList<>();
        for (int i : collections) {
            if (fromServer) {
                ServerReader.readSize(src, s[i]);
            }
            ServerReader.readSize(tgt, t[i]);
            if (s[i].changed || t[i].changed) {
                out[i] = changed(db, s[i], t[i]);
            } else if (s[i].size != t[i].size) {
                out[i] = size(db, s[i], t[i]);
            } else if (level != Level.FULL || s[i].type == ValueType.ARRAY) { // arrays: compared by count and TTL
                out[i] = ttlOrSame(db, s[i], t[i]);
            } else {
                Mismatch m = Values.streamInfo(s[i].stream, t[i].stream);
                if (m != null) {
                    out[i] = value(db, s[i], t[i], m);
                } else if (s[i].size <= chunk) {
                    whole.add(i);
                } else if (src != null) { // a server source (a Pika source's states come preset)
                    big.add(i);
                } else {
                    throw new IllegalStateException("a big value from a file must be compared while it is read");
                }
            }
        }
        if (whole.isEmpty()) {
            return finishBig(db, s, t, big, out);
        }

        for (int i : whole) {
            if (fromServer) {
                ServerReader.queueValue(src, s[i], s[i].type);
            }
            ServerReader.queueValue(tgt, t[i], s[i].type);
        }
        SidePipes.run(fromServer ? src : null, tgt);
        for (int i : whole) {
            if (fromServer) {
                ServerReader.readValue(src, s[i], s[i].type);
            }
            ServerReader.readValue(tgt, t[i], s[i].type);
            if (s[i].changed || t[i].changed) {
                out[i] = changed(db, s[i], t[i]);
            } else {
                out[i] = valueOrTtl(db, s[i], t[i], Values.compare(s[i].type, s[i].value, t[i].value));
            }
        }
        return finishBig(db, s, t, big, out);
    }

    /** The type of keys that are not strings, the length of strings longer than the first window. */
    private void resolve(boolean fromServer, KeyState[] s, KeyState[] t) {
        boolean any = false;
        for (int i = 0; i < s.length; i++) {
            if (fromServer) {
                any |= ServerReader.queueResolve(src, s[i]);
            }
            any |= ServerReader.queueResolve(tgt, t[i]);
        }
        if (!any) {
            return;
        }
        SidePipes.run(fromServer ? src : null, tgt);
        for (int i = 0; i < s.length; i++) {
            if (fromServer) {
                ServerReader.readResolve(src, s[i]);
            }
            ServerReader.readResolve(tgt, t[i]);
        }
    }

    /** Big values of a server source: chunk by chunk, reading the next source chunk while the target checks this one. */
    private Verdict[] finishBig(int db, KeyState[] s, KeyState[] t, List<Integer> big, Verdict[] out) {
        for (int i : big) {
            out[i] = valueOrTtl(db, s[i], t[i], compareBig(db, s[i]));
        }
        return out;
    }

    private Mismatch compareBig(int db, KeyState s) {
        SourceCursor cursor = new SourceCursor(s.type, s.sourceKey, s.size, chunk, window);
        src.db(db);
        tgt.db(db);
        cursor.queue(src);
        SidePipes.run(src);
        Chunk c = cursor.read(src);
        while (true) {
            if (c == null) {
                return Mismatch.changed("source");
            }
            Chunk.Check check = c.queue(tgt, s.key, chunk, multiLookup);
            boolean more = !cursor.done();
            if (more) {
                cursor.queue(src);
            }
            SidePipes.run(more ? src : null, tgt);
            Mismatch m = check.result();
            if (m != null || !more) {
                return m;
            }
            c = cursor.read(src);
        }
    }

    /** A final verdict from existence and type, or null when both sides hold the key with the same type. */
    private Verdict existenceAndType(int db, KeyState s, KeyState t) {
        if (!s.exists() && !t.exists()) {
            return Verdict.SAME; // gone on both sides
        }
        boolean inScope = s.exists() && filter.acceptsType(s.type) || t.exists() && filter.acceptsType(t.type);
        if (!inScope) {
            return Verdict.OUT_OF_SCOPE;
        }
        if (!t.exists()) {
            return expiringSoon(s) ? Verdict.SAME
                    : Verdict.of(new Difference(db, s.key, Kind.MISSING, s.describe(true, true), null));
        }
        if (!s.exists()) {
            return expiringSoon(t) ? Verdict.SAME
                    : Verdict.of(new Difference(db, s.key, Kind.EXTRA, null, t.describe(true, true)));
        }
        if (level == Level.KEYS) {
            return Verdict.SAME;
        }
        if (s.type != t.type || s.type == ValueType.MODULE && !String.valueOf(s.typeName).equals(t.typeName)) {
            return Verdict.of(new Difference(db, s.key, Kind.TYPE, s.describe(false, false), t.describe(false, false)));
        }
        return null;
    }

    private boolean expiringSoon(KeyState k) {
        return k.pttl >= 0 && k.pttl <= tolerance;
    }

    private boolean ttlDiffers(KeyState s, KeyState t) {
        if (s.pttl == KeyState.NO_EXPIRY || t.pttl == KeyState.NO_EXPIRY) {
            return s.pttl != t.pttl;
        }
        return Math.abs(s.pttl - t.pttl) > tolerance;
    }

    private Verdict ttlOrSame(int db, KeyState s, KeyState t) {
        if (s.ttlUnknown || !ttlDiffers(s, t)) {
            return Verdict.SAME;
        }
        return Verdict.of(new Difference(db, s.key, Kind.TTL, ttl(s), ttl(t)));
    }

    private static Map<String, Object> ttl(KeyState k) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ttl_ms", k.pttl);
        return m;
    }

    private Verdict valueOrTtl(int db, KeyState s, KeyState t, Mismatch m) {
        return m == null ? ttlOrSame(db, s, t) : value(db, s, t, m);
    }

    private static Verdict value(int db, KeyState s, KeyState t, Mismatch m) {
        return Verdict.of(new Difference(db, s.key, Kind.VALUE, withType(s, m.source()), withType(t, m.target())));
    }

    private static Map<String, Object> withType(KeyState k, Map<String, Object> detail) {
        Map<String, Object> m = k.describe(false, false);
        m.putAll(detail);
        return m;
    }

    private static Verdict size(int db, KeyState s, KeyState t) {
        return Verdict.of(new Difference(db, s.key, Kind.SIZE, s.describe(true, false), t.describe(true, false)));
    }

    private static Verdict changed(int db, KeyState s, KeyState t) {
        return value(db, s, t, Mismatch.changed(s.changed ? "source" : "target"));
    }

    private static KeyState[] fresh(List<byte[]> keys) {
        KeyState[] out = new KeyState[keys.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = new KeyState(keys.get(i));
        }
        return out;
    }

    /** Starts comparing a big key read from a file (its elements follow, chunk by chunk). */
    FileKeyCheck beginFileKey(int db, KeyState s) {
        return new FileKeyCheck(db, s);
    }

    /**
     * A big value from a file, compared as the file is read: first the target's type, TTL and size, then each chunk of
     * source elements against the target, and at the end the element counts.
     */
    final class FileKeyCheck {
        private final int db;
        private final KeyState s;
        private final KeyState t;
        private Verdict early;
        private Mismatch mismatch;

        private FileKeyCheck(int db, KeyState s) {
            this.db = db;
            this.s = s;
            this.t = new KeyState(s.key);
            tgt.db(db);
            ServerReader.queueMeta(tgt, t, level, window);
            SidePipes.run(tgt);
            s.resolveExpiry(System.currentTimeMillis());
            ServerReader.readMeta(tgt, t, level, window);
            resolve(false, new KeyState[] {s}, new KeyState[] {t});
            early = existenceAndType(db, s, t);
            if (early == null && s.type != ValueType.STRING && s.type != ValueType.MODULE) {
                ServerReader.queueSize(tgt, t, s.type, level);
                SidePipes.run(tgt);
                ServerReader.readSize(tgt, t);
            }
            if (early == null && t.changed) {
                early = changed(db, s, t);
            }
        }

        /** Checks one chunk, unless the key already differs. */
        void chunk(Chunk c) {
            if (early != null || mismatch != null || level != Level.FULL) {
                return;
            }
            tgt.db(db);
            Chunk.Check check = c.queue(tgt, s.key, chunk, multiLookup);
            SidePipes.run(tgt);
            mismatch = check.result();
        }

        /** The verdict once every element went through: {@code count} elements, and a stream's id and groups. */
        Verdict end(long count, StreamInfo stream) {
            if (early != null) {
                return early;
            }
            s.size = count;
            s.stream = stream;
            if (s.size != t.size) {
                return size(db, s, t);
            }
            if (mismatch == null && level == Level.FULL) {
                mismatch = Values.streamInfo(s.stream, t.stream);
            }
            return valueOrTtl(db, s, t, mismatch);
        }
    }
}
