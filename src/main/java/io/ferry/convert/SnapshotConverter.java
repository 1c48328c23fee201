package io.ferry.convert;

import io.ferry.rdb.KeyHeader;
import io.ferry.rdb.RawValue;
import io.ferry.rdb.RdbStrings;
import io.ferry.rdb.RdbHandler;
import io.ferry.rdb.RdbReader;
import io.ferry.rdb.RdbType;
import io.ferry.rdb.ValueSink;
import io.ferry.rdb.ValueType;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntUnaryOperator;
import java.util.function.LongSupplier;

/**
 * Turns key snapshots into target commands. A value the target's RESTORE understands, and that
 * is not a big key, goes as one RESTORE with its raw payload (no decoding at all). Anything else
 * is decoded — from memory, or from the spill file for big keys — and rewritten as typed
 * commands into a temporary key that is renamed into place at the end, so the conflict policy
 * is checked atomically and readers never see a half-written key.
 */
public final class SnapshotConverter implements RdbHandler {
    private static final AtomicLong TMP_SEQ = new AtomicLong();
    // Shared by every RESTORE (argv elements are never modified once built).
    private static final byte[] RESTORE = Args.b("RESTORE");
    private static final byte[] REPLACE = Args.b("REPLACE");
    private static final byte[] ABSTTL = Args.b("ABSTTL");
    private static final byte[] ZERO = Args.b(0);

    private final TargetFeatures target;
    private final ConvertOptions opt;
    private final KeyCommands out;
    private final ConvertStats stats;
    private final IntUnaryOperator dbMap;
    private final LongSupplier clock;

    public SnapshotConverter(TargetFeatures target, ConvertOptions opt, KeyCommands out, ConvertStats stats, IntUnaryOperator dbMap, LongSupplier clock) {
        this.target = target;
        this.opt = opt;
        this.out = out;
        this.stats = stats;
        this.dbMap = dbMap;
        this.clock = clock;
    }

    /** {@code h} under the name it gets on the target (a --db-prefix); RESTORE payloads do not hold the name, so only it changes. */
    private KeyHeader named(KeyHeader h) {
        if (dbMap instanceof io.ferry.filter.DbMap m && m.prefixes()) {
            byte[] name = m.targetKey(h.db, h.key);
            return name == h.key ? h : h.withKey(name);
        }
        return h;
    }

    @Override
    public ValueSink beginKey(KeyHeader h) {
        return null; // values are captured raw by the reader and handled in endKey
    }

    /**
     * This converter as a handler that runs {@code before} ahead of each key (a stop check may
     * throw there; the key's raw value is released) and {@code after} once it is handed on
     * (progress numbers).
     */
    public RdbHandler aroundEachKey(Runnable before, Runnable after) {
        return new RdbHandler() {
            @Override
            public ValueSink beginKey(KeyHeader h) {
                return SnapshotConverter.this.beginKey(h);
            }

            @Override
            public void endKey(KeyHeader h, RawValue raw) {
                try {
                    before.run();
                } catch (RuntimeException e) {
                    if (raw != null) {
                        raw.release();
                    }
                    throw e;
                }
                SnapshotConverter.this.endKey(h, raw);
                after.run();
            }

            @Override
            public void function(byte[] code) {
                SnapshotConverter.this.function(code);
            }

            @Override
            public void end() {
                SnapshotConverter.this.end();
            }
        };
    }

    @Override
    public void endKey(KeyHeader h, RawValue raw) {
        try {
            convert(h, raw);
        } finally {
            if (raw != null) {
                raw.release();
            }
        }
    }

    private void convert(KeyHeader h, RawValue raw) {
        h = named(h);
        out.checkHealthy();
        if (raw == null) {
            throw new IllegalStateException("the reader must capture raw values for conversion");
        }
        // The clock is read only for keys that expire (most keys do not; a clock read per key
        // showed in profiles); the typed path reads it itself, for hash-field TTLs.
        long now = h.expireAtMs == KeyHeader.NO_EXPIRE ? 0 : clock.getAsLong();
        if (h.expireAtMs != KeyHeader.NO_EXPIRE && h.expireAtMs <= now) {
            stats.expiredKeys.increment();
            return;
        }
        int db = dbMap.applyAsInt(h.db);
        if (raw.isEmptyCollection()) {
            stats.emptyKeys.increment(); // servers refuse (and skip on load) empty collections
            return;
        }
        if (h.type() == ValueType.ARRAY && !target.arrays()) {
            stats.lostArrays.increment(); // no other type holds sparse 64-bit indices faithfully
            return;
        }
        if (!h.keyMetadata.isEmpty()) {
            stats.droppedKeyMetadata.increment(); // it precedes the value: RESTORE payloads here never carry it
        }
        boolean big = raw.size() > opt.bigKeyBytes() || !raw.inMemory();
        if (!claimName(db, h)) {
            return;
        }
        if (h.rdbType == RdbType.STRING && !big && target.setWithOptions()) {
            setString(db, h, raw, now);
            return;
        }
        if (h.rdbType == RdbType.MODULE_2 && !targetHasModules) {
            unsupportedModule(h, raw);
            return;
        }
        if (!big && !opt.preferTyped() && target.acceptsRdbType(h.rdbType)) {
            restore(db, h, raw, now);
            return;
        }
        if (h.rdbType == RdbType.MODULE_2) {
            unsupportedModule(h, raw);
            return;
        }
        if (big) {
            stats.bigKeys.increment();
        }
        typed(db, h, raw, now != 0 ? now : clock.getAsLong());
    }

    private boolean targetHasModules = true;

    /**
     * On Pika, whether the key may be written. Pika has no RENAMENX (the typed path's atomic
     * conflict check) and up to 3.5 keeps one value per type under a name, so SET NX or HSET never
     * notice a value of another type there: unless no conflict is possible (an empty target, one
     * source) or the policy replaces, the name is looked up first with EXISTS, which counts every
     * type (a round trip per key). A name in use is a conflict under --on-conflict, whatever its
     * type. Under replace the name is emptied with DEL (every type of it) before the write.
     */
    private boolean claimName(int db, KeyHeader h) {
        if (!target.pika()) {
            return true;
        }
        if (opt.onConflict() == ConflictPolicy.REPLACE) {
            out.send(db, h, new byte[][] {Args.b("DEL"), h.key}, Expect.STEP);
            return true;
        }
        return opt.bulkStrings() || out.claimAbsent(db, h);
    }

    /**
     * The target has no module loaded (MODULE LIST is empty): no module value can be restored
     * there, so such a key follows --on-unsupported before anything is sent.
     */
    public SnapshotConverter targetWithoutModules() {
        targetHasModules = false;
        return this;
    }

    /** A module value the target cannot take: skipped and counted, or the run stops naming key and module. */
    private void unsupportedModule(KeyHeader h, RawValue raw) {
        String module = raw.moduleName();
        if (opt.onUnsupported() == OnUnsupported.SKIP) {
            stats.moduleKeysSkipped.increment();
            return;
        }
        stats.moduleKeysRefused.increment();
        throw new IllegalArgumentException("module key '" + RdbReader.printable(h.key) + "' (module type " + module + ") cannot be written to "
                + target.describe() + ": only RESTORE carries module values, and this target cannot take this one; "
                + "use --on-unsupported skip to leave such keys out (they are counted)");
    }

    @Override
    public void function(byte[] code) {
        out.checkHealthy();
        if (target.major() < 7 && !target.product().equals("valkey")) {
            stats.functionsRefused.increment();
            return;
        }
        byte[][] argv = opt.onConflict() == ConflictPolicy.REPLACE
                ? new byte[][] {Args.b("FUNCTION"), Args.b("LOAD"), Args.b("REPLACE"), code}
                : new byte[][] {Args.b("FUNCTION"), Args.b("LOAD"), code};
        out.sendFunction(argv);
    }

    private static final byte[] SET = Args.b("SET");
    private static final byte[] NX = Args.b("NX");

    private void countClamped(KeyHeader h) {
        if (TtlCommands.clamped(target, h.expireAtMs)) {
            stats.clampedTtls.increment();
        }
    }

    /**
     * A plain string goes as SET, which costs the target far less than RESTORE (no payload to
     * verify and load). NX keeps the conflict check atomic, as RESTORE without REPLACE does.
     */
    private void setString(int db, KeyHeader h, RawValue raw, long now) {
        setString(db, h, RdbStrings.decode(raw.bytes(), 1), now);
    }

    /** A string in one command (SET, or a bulk MSET), which is atomic by itself: no temporary key. */
    private void setString(int db, KeyHeader h, byte[] value, long now) {
        // an MSET spans slots; on Pika under replace each name's DEL went on its own lane, before it
        if (opt.bulkStrings() && !target.clusterMode() && h.expireAtMs == KeyHeader.NO_EXPIRE
                && !(target.pika() && opt.onConflict() == ConflictPolicy.REPLACE)) {
            bulk(db, h, value);
            return;
        }
        boolean nx = opt.onConflict() != ConflictPolicy.REPLACE;
        boolean ttl = h.expireAtMs != KeyHeader.NO_EXPIRE;
        byte[][] argv = new byte[3 + (ttl ? 2 : 0) + (nx ? 1 : 0)][];
        argv[0] = SET;
        argv[1] = h.key;
        argv[2] = value;
        int i = 3;
        if (ttl) {
            byte[][] o = TtlCommands.setOptions(target, h.expireAtMs, now);
            argv[i++] = o[0];
            argv[i++] = o[1];
            countClamped(h);
        }
        if (nx) {
            argv[i] = NX;
        }
        stats.setKeys.increment();
        out.send(db, h, argv, nx ? Expect.DONE_UNLESS_NIL : Expect.DONE);
    }

    private static final byte[] MSET = Args.b("MSET");
    private static final int BULK_KEYS = 100;
    private static final int BULK_BYTES = 256 << 10;
    private final java.util.List<KeyHeader> bulkKeys = new java.util.ArrayList<>();
    private final java.util.List<byte[]> bulkArgs = new java.util.ArrayList<>();
    private int bulkDb = -1;
    private long bulkBytes;

    /** Collects plain strings into one MSET per batch: the target spends far less per key. */
    private void bulk(int db, KeyHeader h, byte[] value) {
        if (db != bulkDb) {
            flushBulk();
            bulkDb = db;
        }
        bulkKeys.add(h);
        bulkArgs.add(h.key);
        bulkArgs.add(value);
        bulkBytes += h.key.length + value.length;
        if (bulkKeys.size() >= BULK_KEYS || bulkBytes >= BULK_BYTES) {
            flushBulk();
        }
    }

    private void flushBulk() {
        if (bulkKeys.isEmpty()) {
            return;
        }
        byte[][] argv = new byte[1 + bulkArgs.size()][];
        argv[0] = MSET;
        for (int i = 0; i < bulkArgs.size(); i++) {
            argv[i + 1] = bulkArgs.get(i);
        }
        stats.setKeys.add(bulkKeys.size()); // counted when sent: a run stopped early never sends the rest
        out.sendMany(bulkDb, java.util.List.copyOf(bulkKeys), argv);
        bulkKeys.clear();
        bulkArgs.clear();
        bulkBytes = 0;
    }

    /** The end of the snapshot: sends what is still collected. */
    @Override
    public void end() {
        flushBulk();
    }

    private void restore(int db, KeyHeader h, RawValue raw, long now) {
        byte[] payload = RestorePayload.build(raw, target.payloadVersion(h.rdbType));
        boolean replace = opt.onConflict() == ConflictPolicy.REPLACE;
        long ttl;
        boolean abs = h.expireAtMs != KeyHeader.NO_EXPIRE && target.restoreAbsTtl();
        if (h.expireAtMs == KeyHeader.NO_EXPIRE) {
            ttl = 0;
        } else if (abs) {
            ttl = h.expireAtMs;
        } else {
            ttl = Math.max(1, h.expireAtMs - now);
        }
        byte[][] argv;
        if (replace && !target.restoreReplace()) {
            out.send(db, h, new byte[][] {Args.b("DEL"), h.key}, Expect.STEP);
            replace = false;
        }
        int n = 4 + (replace ? 1 : 0) + (abs ? 1 : 0);
        argv = new byte[n][];
        argv[0] = RESTORE;
        argv[1] = h.key;
        argv[2] = ttl == 0 ? ZERO : Args.b(ttl);
        argv[3] = payload;
        int i = 4;
        if (replace) {
            argv[i++] = REPLACE;
        }
        if (abs) {
            argv[i] = ABSTTL;
        }
        stats.restoreKeys.increment();
        out.send(db, h, argv, replace ? Expect.DONE : Expect.DONE_UNLESS_BUSY);
    }

    /**
     * A key whose value comes as elements, not RDB bytes (a source that is not an RDB: a Pika
     * snapshot, a SCAN pass): {@code elements} feeds the value into the sink it is given (the
     * header's {@code rdbType} names its type). Written as typed commands, with the same expiry,
     * db map, conflict policy and temp-key rename as a decoded RDB value.
     */
    public void elementKey(KeyHeader h, java.util.function.Consumer<ValueSink> elements) {
        h = named(h);
        out.checkHealthy();
        long now = clock.getAsLong();
        if (h.expireAtMs != KeyHeader.NO_EXPIRE && h.expireAtMs <= now) {
            stats.expiredKeys.increment();
            return;
        }
        int db = dbMap.applyAsInt(h.db);
        if (claimName(db, h)) {
            typed(db, h, elements, now);
        }
    }

    private void typed(int db, KeyHeader h, RawValue raw, long now) {
        typed(db, h, raw::decode, now);
    }

    private void typed(int db, KeyHeader h, java.util.function.Consumer<ValueSink> value, long now) {
        TypedKey k = startTyped(db, h, now);
        value.accept(k.writer());
        finishTyped(k);
    }

    /** A key being written as typed commands: where its elements go, and what finishes it. */
    private record TypedKey(int db, KeyHeader h, byte[] tmp, byte[] dest, TypedWriter writer) {}

    private TypedKey startTyped(int db, KeyHeader h, long now) {
        stats.typedKeys.increment();
        byte[] tmp = target.renameAllowed() ? tempKeyFor(h.key, target.clusterMode()) : null;
        byte[] dest = tmp != null ? tmp : h.key;
        if (tmp != null) {
            out.send(db, h, new byte[][] {Args.b("DEL"), tmp}, Expect.STEP); // leftovers of an interrupted run
        } else if (opt.onConflict() == ConflictPolicy.REPLACE && !target.pika()) { // claimName deleted it on Pika
            out.send(db, h, new byte[][] {Args.b("DEL"), h.key}, Expect.STEP);
        }
        TypedWriter w = new TypedWriter(dest, target, argv -> out.send(db, h, argv, Expect.STEP), opt.batchElements(), opt.batchBytes(), now);
        return new TypedKey(db, h, tmp, dest, w);
    }

    private void finishTyped(TypedKey k) {
        int db = k.db();
        KeyHeader h = k.h();
        byte[] tmp = k.tmp();
        TypedWriter w = k.writer();
        w.finish();
        stats.expiredFields.add(w.expiredFields());
        stats.droppedFieldTtls.add(w.droppedFieldTtls());
        w.addStreamLosses(stats);
        if (w.written() == 0) {
            stats.emptyKeys.increment(); // an empty collection (or all fields expired): nothing to create
            return;
        }
        if (h.expireAtMs != KeyHeader.NO_EXPIRE) {
            out.send(db, h, TtlCommands.expireAt(target, k.dest(), h.expireAtMs, clock.getAsLong()), Expect.STEP);
            countClamped(h);
        }
        if (tmp == null) {
            out.send(db, h, new byte[][] {Args.b("PING")}, Expect.DONE);
            return;
        }
        if (opt.onConflict() == ConflictPolicy.REPLACE) {
            out.send(db, h, new byte[][] {Args.b("RENAME"), tmp, h.key}, Expect.DONE);
        } else {
            out.send(db, h, new byte[][] {Args.b("RENAMENX"), tmp, h.key}, Expect.DONE_UNLESS_RENAME_REFUSED);
            out.send(db, h, new byte[][] {Args.b("DEL"), tmp}, Expect.STEP); // no-op unless the rename was refused
        }
    }

    /**
     * This converter for a reader that hands values over as element events, not raw bytes (a Pika
     * dump): each key is written as typed commands while its elements arrive, in bounded memory.
     * {@code before} runs ahead of each key (a stop check may throw there), {@code after} once the
     * key is handed on.
     */
    public RdbHandler elementEvents(Runnable before, Runnable after) {
        return new RdbHandler() {
            private TypedKey current;

            private byte[] string; // a plain string's value, written in one SET at the key's end

            @Override
            public ValueSink beginKey(KeyHeader h) {
                before.run();
                out.checkHealthy();
                long now = clock.getAsLong();
                if (h.expireAtMs != KeyHeader.NO_EXPIRE && h.expireAtMs <= now) {
                    stats.expiredKeys.increment();
                    return null;
                }
                int db = dbMap.applyAsInt(h.db);
                KeyHeader named = named(h);
                if (!claimName(db, named)) {
                    return null;
                }
                if (h.rdbType == RdbType.STRING && target.setWithOptions()) {
                    return new ValueSink() {
                        @Override
                        public void string(byte[] value) {
                            string = value;
                        }
                    };
                }
                current = startTyped(db, named, now);
                return current.writer();
            }

            @Override
            public void endKey(KeyHeader h, RawValue raw) {
                if (string != null) {
                    byte[] value = string;
                    string = null;
                    setString(dbMap.applyAsInt(h.db), named(h), value, clock.getAsLong());
                } else if (current != null) {
                    TypedKey k = current;
                    current = null;
                    finishTyped(k);
                }
                after.run();
            }

            @Override
            public void end() {
                SnapshotConverter.this.end(); // strings still gathered for an MSET
            }
        };
    }

    /**
     * A temporary name in the same cluster slot as {@code key}, or null when none can be made
     * (then the key is written in place). With a hash tag the suffix keeps it; without one the
     * whole key becomes the tag, which only works when the key holds no braces.
     */
    static byte[] tempKeyFor(byte[] key, boolean cluster) {
        byte[] suffix = Args.b(":ferry-tmp:" + TMP_SEQ.incrementAndGet());
        if (!cluster || hasHashTag(key)) {
            return concat(key, suffix);
        }
        for (byte b : key) {
            if (b == '{' || b == '}') {
                return null;
            }
        }
        return concat(concat(new byte[] {'{'}, key), concat(new byte[] {'}'}, suffix));
    }

    static boolean hasHashTag(byte[] key) {
        for (int i = 0; i < key.length; i++) {
            if (key[i] == '{') {
                for (int j = i + 1; j < key.length; j++) {
                    if (key[j] == '}') {
                        return j > i + 1;
                    }
                }
                return false;
            }
        }
        return false;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] r = new byte[a.length + b.length];
        System.arraycopy(a, 0, r, 0, a.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
