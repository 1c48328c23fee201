package io.ferry.rdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.moilioncircle.redis.replicator.Configuration;
import com.moilioncircle.redis.replicator.FileType;
import com.moilioncircle.redis.replicator.RedisReplicator;
import com.moilioncircle.redis.replicator.Replicator;
import com.moilioncircle.redis.replicator.rdb.datatype.EvictType;
import com.moilioncircle.redis.replicator.rdb.datatype.ExpiredType;
import com.moilioncircle.redis.replicator.rdb.datatype.Function;
import com.moilioncircle.redis.replicator.rdb.datatype.KeyStringValueHash;
import com.moilioncircle.redis.replicator.rdb.datatype.KeyStringValueList;
import com.moilioncircle.redis.replicator.rdb.datatype.KeyStringValueSet;
import com.moilioncircle.redis.replicator.rdb.datatype.KeyStringValueStream;
import com.moilioncircle.redis.replicator.rdb.datatype.KeyStringValueString;
import com.moilioncircle.redis.replicator.rdb.datatype.KeyStringValueZSet;
import com.moilioncircle.redis.replicator.rdb.datatype.KeyValuePair;
import com.moilioncircle.redis.replicator.rdb.datatype.Stream;
import com.moilioncircle.redis.replicator.rdb.datatype.ZSetEntry;
import io.ferry.testing.RdbServer;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Differential test against an independent parser: a real redis-server (7.0 from Debian, RDB 10)
 * is filled with random data of every type and encoding it has (int/embstr/raw/LZF strings,
 * listpack and multi-node compressed quicklists with plain nodes, intsets, hashtable sets,
 * listpack and skiplist zsets, listpack and hashtable hashes, streams with deleted entries and
 * consumer groups, expiries, LFU counters, several dbs, a function library), saved, and the dump
 * is decoded by our reader and by redis-replicator 3.11.0; both must see the same keys, types,
 * values, expiries, LFU counters, stream metadata and functions.
 *
 * <p>redis-replicator 3.11.0 fails on two shapes of valid Redis 7.0 data, so the shared dump
 * leaves them out and {@link #shapesRedisReplicatorCannotParseMatchTheServer} checks our reader
 * on them against the server's own replies instead:
 * <ul>
 *   <li>a listpack (or ziplist) sorted set with an {@code inf}/{@code -inf} score: it parses
 *       the score text with Double.valueOf and throws NumberFormatException for "inf";
 *   <li>a stream node where an entry with its own fields is followed by a SAMEFIELDS entry:
 *       applyStreamListPacks stores the own entry's field count in the variable holding the
 *       master field count, so the next SAMEFIELDS entry reads the wrong number of values
 *       (ArrayIndexOutOfBoundsException, or silently wrong fields). Here every entry of a
 *       stream has two fields, which keeps that variable right while still mixing own-field
 *       and SAMEFIELDS entries.
 * </ul>
 */
class RedisReplicatorDifferentialTest {
    private static final long SEED = Long.getLong("ferry.diff.seed", System.nanoTime());

    @Test
    void ourReaderAndRedisReplicatorAgreeOnARealDump() throws Exception {
        assumeTrue(RdbServer.available(), "redis-server is not installed");
        Random r = new Random(SEED);
        try (RdbServer server = RdbServer.start("maxmemory-policy", "allkeys-lfu", "list-compress-depth", "1",
                "enable-debug-command", "yes")) {
            fill(server, r);
            long keys = 0;
            for (int db : DBS) {
                server.ok("SELECT", db);
                keys += (Long) server.ok("DBSIZE");
            }
            server.ok("SAVE");
            byte[] rdb = Files.readAllBytes(server.dumpFile());

            Ours ours = new Ours();
            new RdbReader(new java.io.ByteArrayInputStream(rdb)).read(ours);
            Map<String, String> theirs = new TreeMap<>();
            List<String> theirFunctions = new ArrayList<>();
            replicator(server, theirs, theirFunctions);

            String seed = "seed " + SEED + " (rerun with -Dferry.diff.seed=" + SEED + ")";
            assertThat(ours.keys).as("key count, " + seed).hasSize((int) keys);
            assertThat(ours.keys.keySet()).as("keys, " + seed).isEqualTo(theirs.keySet());
            for (var e : ours.keys.entrySet()) {
                assertThat(e.getValue()).as("%s, %s", e.getKey(), seed).isEqualTo(theirs.get(e.getKey()));
            }
            assertThat(ours.functions).as("functions").isEqualTo(theirFunctions).hasSize(1);
            // The dump really holds what this test means to compare.
            assertThat(ours.rdbTypes).as("RDB value types in the dump").containsExactlyInAnyOrder(
                    "STRING", "LIST_QUICKLIST_2", "SET", "SET_INTSET", "ZSET_2", "ZSET_LISTPACK", "HASH", "HASH_LISTPACK",
                    "STREAM_LISTPACKS_2");
            assertThat(ours.keys.values()).anyMatch(v -> v.contains(" expire=")).anyMatch(v -> v.contains(" freq="));
        }
    }

    @Test
    void shapesRedisReplicatorCannotParseMatchTheServer() throws Exception {
        assumeTrue(RdbServer.available(), "redis-server is not installed");
        try (RdbServer s = RdbServer.start()) {
            s.ok("ZADD", "zset:inf", "inf", "top", "-inf", "bottom", "1.5", "middle", "-0.25", "low");
            s.ok("XADD", "stream:mixed", "1-1", "a", "1", "b", "2"); // master fields a, b
            s.ok("XADD", "stream:mixed", "1-2", "only", "3"); // own fields, one of them
            s.ok("XADD", "stream:mixed", "1-3", "a", "4", "b", "5"); // SAMEFIELDS again
            s.ok("XADD", "stream:mixed", "1-4", "x", "6", "y", "7", "z", "8");
            s.ok("XADD", "stream:mixed", "1-5", "a", "9", "b", "10");
            s.ok("XDEL", "stream:mixed", "1-3");
            s.ok("SAVE");

            Map<String, List<String>> ours = new TreeMap<>();
            Set<String> types = new TreeSet<>();
            new RdbReader(Files.newInputStream(s.dumpFile())).read(new RdbHandler() {
                @Override
                public ValueSink beginKey(KeyHeader h) {
                    types.add(RdbType.name(h.rdbType));
                    List<String> items = new ArrayList<>();
                    ours.put(text(h.key), items);
                    return new ValueSink() {
                        @Override
                        public void zsetEntry(byte[] m, double score) {
                            items.add(text(m) + "=" + score);
                        }

                        @Override
                        public void streamEntry(StreamId id, List<byte[]> fields) {
                            List<String> f = new ArrayList<>();
                            fields.forEach(b -> f.add(text(b)));
                            items.add(id + " " + f);
                        }
                    };
                }
            });
            assertThat(types).containsExactly("STREAM_LISTPACKS_2", "ZSET_LISTPACK");

            List<String> zset = new ArrayList<>();
            List<?> z = (List<?>) s.ok("ZRANGE", "zset:inf", "0", "-1", "WITHSCORES");
            for (int i = 0; i < z.size(); i += 2) {
                zset.add(text((byte[]) z.get(i)) + "=" + io.ferry.rdb.Ints.parseScore((byte[]) z.get(i + 1)));
            }
            assertThat(ours.get("zset:inf")).containsExactlyInAnyOrderElementsOf(zset).hasSize(4);

            List<String> stream = new ArrayList<>();
            for (Object e : (List<?>) s.ok("XRANGE", "stream:mixed", "-", "+")) {
                List<?> entry = (List<?>) e;
                List<String> f = new ArrayList<>();
                ((List<?>) entry.get(1)).forEach(b -> f.add(text((byte[]) b)));
                stream.add(new String((byte[]) entry.get(0), StandardCharsets.US_ASCII) + " " + f);
            }
            assertThat(ours.get("stream:mixed")).containsExactlyElementsOf(stream)
                    .containsExactly("1-1 [a, 1, b, 2]", "1-2 [only, 3]", "1-4 [x, 6, y, 7, z, 8]", "1-5 [a, 9, b, 10]");
        }
    }

    // ---- filling the server ----

    static final int[] DBS = {0, 1, 5, 15};
    static final long NOW = System.currentTimeMillis();

    private static byte[] bytes(Random r, int n, int kind) {
        byte[] b = new byte[n];
        switch (kind) {
            case 0: r.nextBytes(b); break; // binary, not UTF-8
            case 1: for (int i = 0; i < n; i++) b[i] = (byte) ('a' + r.nextInt(4)); break; // compresses (LZF)
            default: for (int i = 0; i < n; i++) b[i] = (byte) (0x20 + r.nextInt(95));
        }
        return b;
    }

    private static Object element(Random r) {
        switch (r.nextInt(6)) {
            case 0: return Long.toString(r.nextInt(100) - 50);
            case 1: return Long.toString(r.nextLong() >> r.nextInt(64));
            case 2: return bytes(r, 1 + r.nextInt(30), 0);
            case 3: return bytes(r, r.nextInt(100), 2);
            case 4: return "0" + r.nextInt(100); // numeric-looking, but not canonical: stays a string
            default: return bytes(r, 65 + r.nextInt(200), 1); // longer than the listpack value limit
        }
    }

    /** {@code infinite}: may be inf/-inf (only for skiplist zsets: see the class comment). */
    private static String score(Random r, boolean infinite) {
        switch (r.nextInt(6)) {
            case 0: return Integer.toString(r.nextInt(2000) - 1000);
            case 1: return infinite ? (r.nextBoolean() ? "inf" : "-inf") : "0.5";
            case 2: return Double.toString(r.nextGaussian() * 1e-7);
            case 3: return Double.toString(r.nextDouble() * 1e300);
            default: return Double.toString(r.nextGaussian() * 1000);
        }
    }

    private static void fill(RdbServer s, Random r) throws Exception {
        List<Object[]> cmds = new ArrayList<>();
        for (int db : DBS) {
            cmds.add(new Object[] {"SELECT", db});
            java.util.Set<String> used = new java.util.HashSet<>(); // short random names collide: a second type on one key is WRONGTYPE
            for (int i = 0; i < 150; i++) {
                byte[] key = (r.nextInt(10) == 0 ? bytes(r, 1 + r.nextInt(10), 0) : ("k:" + db + ":" + i).getBytes(StandardCharsets.UTF_8));
                if (!used.add(new String(key, StandardCharsets.ISO_8859_1))) {
                    key = ("k:" + db + ":" + i).getBytes(StandardCharsets.UTF_8);
                    used.add(new String(key, StandardCharsets.ISO_8859_1));
                }
                addKey(cmds, r, key, i);
                if (r.nextInt(3) == 0) {
                    cmds.add(new Object[] {"PEXPIREAT", key, NOW + 86_400_000L + r.nextInt(1 << 30)});
                }
                if (r.nextInt(4) == 0) { // bump the LFU counter of some keys
                    for (int k = 0; k < 5; k++) {
                        cmds.add(new Object[] {"TOUCH", key});
                    }
                }
            }
        }
        s.pipeline(cmds);
        special(s, r);
    }

    private static void addKey(List<Object[]> cmds, Random r, byte[] key, int i) {
        switch (r.nextInt(13)) {
            case 0: cmds.add(new Object[] {"SET", key, Long.toString(r.nextLong() >> r.nextInt(64))}); break;
            case 1: cmds.add(new Object[] {"SET", key, bytes(r, r.nextInt(60), 2)}); break;
            case 2: cmds.add(new Object[] {"SET", key, bytes(r, 1 + r.nextInt(500), 0)}); break;
            case 3: cmds.add(new Object[] {"SET", key, bytes(r, 100 + r.nextInt(30000), 1)}); break;
            case 4: case 5: {
                int n = r.nextInt(4) == 0 ? 200 + r.nextInt(3000) : 1 + r.nextInt(20);
                Object[] c = new Object[2 + n];
                c[0] = "RPUSH";
                c[1] = key;
                for (int k = 0; k < n; k++) {
                    c[2 + k] = element(r);
                }
                cmds.add(c);
                break;
            }
            case 6: { // intset, or a hashtable once past set-max-intset-entries (512)
                int n = r.nextBoolean() ? 1 + r.nextInt(50) : 513 + r.nextInt(200);
                Object[] c = new Object[2 + n];
                c[0] = "SADD";
                c[1] = key;
                for (int k = 0; k < n; k++) {
                    c[2 + k] = Long.toString(r.nextInt(3) == 0 ? r.nextLong() : r.nextInt(100000) - 50000);
                }
                cmds.add(c);
                break;
            }
            case 7: {
                int n = 1 + r.nextInt(r.nextBoolean() ? 10 : 300);
                Object[] c = new Object[2 + n];
                c[0] = "SADD";
                c[1] = key;
                for (int k = 0; k < n; k++) {
                    c[2 + k] = element(r);
                }
                cmds.add(c);
                break;
            }
            case 8: case 9: { // listpack up to 128 members of <= 64 bytes, skiplist beyond
                int n = r.nextBoolean() ? 1 + r.nextInt(100) : 129 + r.nextInt(300);
                Object[] c = new Object[2 + 2 * n];
                c[0] = "ZADD";
                c[1] = key;
                for (int k = 0; k < n; k++) {
                    c[2 + 2 * k] = score(r, n > 128);
                    c[3 + 2 * k] = r.nextInt(20) == 0 ? bytes(r, 70, 2) : (Object) ("m" + r.nextInt(100000));
                }
                cmds.add(c);
                break;
            }
            case 10: case 11: { // listpack up to 128 fields with values <= 64 bytes, hashtable beyond
                int n = r.nextBoolean() ? 1 + r.nextInt(60) : 129 + r.nextInt(200);
                Object[] c = new Object[2 + 2 * n];
                c[0] = "HSET";
                c[1] = key;
                for (int k = 0; k < n; k++) {
                    c[2 + 2 * k] = r.nextBoolean() ? element(r) : "f" + k;
                    c[3 + 2 * k] = element(r);
                }
                cmds.add(c);
                break;
            }
            default:
                stream(cmds, r, key, 1 + r.nextInt(r.nextBoolean() ? 5 : 400));
        }
    }

    /** A stream with explicit ids, some deleted, two groups with deliveries, acks and an idle consumer. */
    private static void stream(List<Object[]> cmds, Random r, byte[] key, int n) {
        long ms = 1700000000000L + r.nextInt(1 << 20);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ms += r.nextInt(3);
            String id = ms + "-" + (i + 1);
            ids.add(id);
            // always two fields (see the class comment); the master entry's or others
            if (r.nextInt(3) == 0) {
                cmds.add(new Object[] {"XADD", key, id, "f", element(r), "g", element(r)});
            } else {
                cmds.add(new Object[] {"XADD", key, id, "other" + r.nextInt(3), element(r), "x", element(r)});
            }
        }
        for (int i = 0; i < n / 4; i++) {
            cmds.add(new Object[] {"XDEL", key, ids.get(r.nextInt(n))});
        }
        if (r.nextBoolean()) {
            cmds.add(new Object[] {"XGROUP", "CREATE", key, "g1", "0"});
            cmds.add(new Object[] {"XREADGROUP", "GROUP", "g1", "alice", "COUNT", 1 + r.nextInt(5), "STREAMS", key, ">"});
            cmds.add(new Object[] {"XREADGROUP", "GROUP", "g1", "bob", "COUNT", 1 + r.nextInt(5), "STREAMS", key, ">"});
            cmds.add(new Object[] {"XACK", key, "g1", ids.get(0)});
            cmds.add(new Object[] {"XGROUP", "CREATECONSUMER", key, "g1", "idle-carol"});
            cmds.add(new Object[] {"XGROUP", "CREATE", key, "g2", "$"});
        }
    }

    private static void special(RdbServer s, Random r) throws Exception {
        s.ok("SELECT", 0);
        // A listpack entry of exactly 16383 bytes (5-byte header + 16378) has a 3-byte back-length,
        // and one of 2097151 bytes a 4-byte one: lpEncodeBacklen's thresholds.
        s.ok("RPUSH", "list:entry-16383", bytes(r, 16378, 0), "after");
        s.ok("RPUSH", "list:entry-2097151", bytes(r, 2097146, 0), "after");
        // Plain quicklist nodes (one element stored as is) for elements past the packed threshold.
        s.ok("DEBUG", "QUICKLIST-PACKED-THRESHOLD", "1000");
        s.ok("RPUSH", "list:plain-nodes", bytes(r, 3000, 0), "small", bytes(r, 5000, 1), "7");
        // Stream ids are unsigned 64-bit.
        s.ok("XADD", "stream:max-id", "18446744073709551614-5", "f", "v", "g", "w");
        s.ok("XGROUP", "CREATE", "stream:max-id", "g", "$");
        s.ok("XGROUP", "CREATE", "stream:mkstream", "g", "$", "MKSTREAM");
        s.ok("XADD", "stream:setid", "5-1", "a", "b", "c", "d");
        s.ok("XSETID", "stream:setid", "100-7", "ENTRIESADDED", "42", "MAXDELETEDID", "50-0");
        // One key of each encoding for sure, whatever the random mix above produced.
        s.ok("HSET", "hash:listpack", "f1", "v1", "f2", "22");
        s.ok("ZADD", "zset:listpack", "1", "a", "2.5", "b");
        s.ok("SADD", "set:intset", "1", "2", "-3");
        s.ok("SADD", "set:hashtable", "x", "y");
        s.ok("HSET", "hash:hashtable", "long", bytes(r, 100, 0));
        s.ok("ZADD", "zset:skiplist", "1", bytes(r, 100, 0));
        s.ok("SET", "str:empty", "");
        s.ok("SET", bytes(r, 8, 0), "binary key");
        s.ok("FUNCTION", "LOAD", "#!lua name=ferrylib\nredis.register_function('ferry_echo', function(keys, args) return args[1] end)");
    }

    // ---- our reader ----

    /** Canonical text of a value, shared by both sides so that one string compare settles a key. */
    static String describe(String type, Long expireAt, Integer freq, String value) {
        return type + (expireAt == null ? "" : " expire=" + expireAt) + (freq == null ? "" : " freq=" + freq) + " " + value;
    }

    static String text(byte[] b) {
        return Recorder.text(b);
    }

    static final class Ours implements RdbHandler, ValueSink {
        final Map<String, String> keys = new TreeMap<>();
        final List<String> functions = new ArrayList<>();
        final Set<String> rdbTypes = new TreeSet<>();
        private List<String> items;
        private String single;

        @Override
        public void function(byte[] code) {
            functions.add(text(code));
        }

        @Override
        public ValueSink beginKey(KeyHeader h) {
            items = new ArrayList<>();
            single = null;
            rdbTypes.add(RdbType.name(h.rdbType));
            return this;
        }

        @Override
        public void endKey(KeyHeader h, RawValue raw) {
            ValueType t = h.type();
            String value = single != null ? single
                    : t == ValueType.LIST ? items.toString() : new TreeSet<>(items).toString();
            keys.put(h.db + "/" + text(h.key), describe(t.label(), h.expireAtMs < 0 ? null : h.expireAtMs,
                    h.lfuFreq < 0 ? null : h.lfuFreq, value));
        }

        @Override
        public void string(byte[] v) {
            single = text(v);
        }

        @Override
        public void listElement(byte[] e) {
            items.add(text(e));
        }

        @Override
        public void setMember(byte[] m) {
            items.add(text(m));
        }

        @Override
        public void zsetEntry(byte[] m, double score) {
            items.add(text(m) + "=" + score);
        }

        @Override
        public void hashField(byte[] f, byte[] v, long ttl) {
            items.add(text(f) + "=" + text(v) + (ttl < 0 ? "" : " ttl=" + ttl));
        }

        private StringBuilder streamText;

        @Override
        public void streamEntry(StreamId id, List<byte[]> fields) {
            if (streamText == null) {
                streamText = new StringBuilder();
            }
            streamText.append(id).append(" {");
            for (int i = 0; i < fields.size(); i += 2) {
                streamText.append(text(fields.get(i))).append('=').append(text(fields.get(i + 1))).append(';');
            }
            streamText.append("}\n");
        }

        @Override
        public void stream(StreamValue s) {
            StringBuilder sb = streamText == null ? new StringBuilder() : streamText;
            streamText = null;
            sb.append("length=").append(s.length()).append(" last=").append(s.lastId()).append(" first=").append(s.firstId())
                    .append(" max-deleted=").append(s.maxDeletedId()).append(" added=").append(s.entriesAdded()).append('\n');
            for (StreamValue.Group g : s.groups()) {
                sb.append("group ").append(text(g.name())).append(" last=").append(g.lastDeliveredId())
                        .append(" read=").append(g.entriesRead()).append('\n');
                Map<StreamId, String> owner = new TreeMap<>();
                for (StreamValue.Consumer c : g.consumers()) {
                    c.pending().forEach(id -> owner.put(id, text(c.name())));
                }
                for (StreamValue.Pending p : g.pel()) {
                    sb.append("  pel ").append(p.id()).append(" ").append(owner.get(p.id())).append(" time=").append(p.deliveryTimeMs())
                            .append(" count=").append(p.deliveryCount()).append('\n');
                }
                for (StreamValue.Consumer c : g.consumers()) {
                    sb.append("  consumer ").append(text(c.name())).append(" seen=").append(c.seenTimeMs())
                            .append(" pending=").append(c.pending()).append('\n');
                }
            }
            single = sb.toString();
        }
    }

    // ---- redis-replicator ----

    private static String id(Stream.ID id) {
        return id == null ? "null" : Long.toUnsignedString(id.getMs()) + "-" + Long.toUnsignedString(id.getSeq());
    }

    private static void replicator(RdbServer server, Map<String, String> out, List<String> functions) throws Exception {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        try (InputStream in = Files.newInputStream(server.dumpFile())) {
            Replicator rep = new RedisReplicator(in, FileType.RDB, Configuration.defaultSetting());
            rep.addExceptionListener((x, e, ev) -> failure.set(e));
            rep.addEventListener((x, event) -> {
                if (event instanceof Function f) {
                    functions.add(text(f.getCode()));
                } else if (event instanceof KeyValuePair<?, ?> kv) {
                    out.put(kv.getDb().getDbNumber() + "/" + text((byte[]) kv.getKey()), theirs(kv));
                }
            });
            rep.open();
        }
        assertThat(failure.get()).as("redis-replicator failure").isNull();
    }

    @SuppressWarnings("unchecked")
    private static String theirs(KeyValuePair<?, ?> kv) {
        Long expire = kv.getExpiredType() == ExpiredType.NONE ? null
                : kv.getExpiredType() == ExpiredType.SECOND ? kv.getExpiredValue() * 1000 : kv.getExpiredValue();
        Integer freq = kv.getEvictType() == EvictType.LFU ? kv.getEvictValue().intValue() : null;
        String type;
        String value;
        if (kv instanceof KeyStringValueString s) {
            type = "string";
            value = text(s.getValue());
        } else if (kv instanceof KeyStringValueList l) {
            type = "list";
            List<String> items = new ArrayList<>();
            l.getValue().forEach(b -> items.add(text(b)));
            value = items.toString();
        } else if (kv instanceof KeyStringValueSet s) {
            type = "set";
            Set<String> items = new TreeSet<>();
            s.getValue().forEach(b -> items.add(text(b)));
            value = items.toString();
        } else if (kv instanceof KeyStringValueZSet z) {
            type = "zset";
            Set<String> items = new TreeSet<>();
            for (ZSetEntry e : z.getValue()) {
                items.add(text(e.getElement()) + "=" + e.getScore());
            }
            value = items.toString();
        } else if (kv instanceof KeyStringValueHash h) {
            type = "hash";
            Set<String> items = new TreeSet<>();
            h.getValue().forEach((f, v) -> items.add(text(f) + "=" + text(v)));
            value = items.toString();
        } else if (kv instanceof KeyStringValueStream st) {
            type = "stream";
            value = stream(st.getValue());
        } else {
            type = kv.getClass().getSimpleName();
            value = String.valueOf(kv.getValue());
        }
        return describe(type, expire, freq, value);
    }

    private static String stream(Stream s) {
        StringBuilder sb = new StringBuilder();
        for (Stream.Entry e : s.getEntries().values()) {
            if (e.isDeleted()) {
                continue;
            }
            sb.append(id(e.getId())).append(" {");
            e.getFields().forEach((f, v) -> sb.append(text(f)).append('=').append(text(v)).append(';'));
            sb.append("}\n");
        }
        sb.append("length=").append(s.getLength()).append(" last=").append(id(s.getLastId())).append(" first=").append(id(s.getFirstId()))
                .append(" max-deleted=").append(id(s.getMaxDeletedEntryId())).append(" added=").append(s.getEntriesAdded()).append('\n');
        for (Stream.Group g : s.getGroups()) {
            sb.append("group ").append(text(g.getName())).append(" last=").append(id(g.getLastId()))
                    .append(" read=").append(g.getEntriesRead()).append('\n');
            for (Stream.Nack n : g.getPendingEntries().values()) {
                sb.append("  pel ").append(id(n.getId())).append(" ").append(n.getConsumer() == null ? null : text(n.getConsumer().getName()))
                        .append(" time=").append(n.getDeliveryTime()).append(" count=").append(n.getDeliveryCount()).append('\n');
            }
            for (Stream.Consumer c : g.getConsumers()) {
                List<String> pending = new ArrayList<>();
                c.getPendingEntries().keySet().forEach(i -> pending.add(id(i)));
                sb.append("  consumer ").append(text(c.getName())).append(" seen=").append(c.getSeenTime())
                        .append(" pending=").append(pending).append('\n');
            }
        }
        return sb.toString();
    }
}
