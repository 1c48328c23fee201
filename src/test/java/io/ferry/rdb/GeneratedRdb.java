package io.ferry.rdb;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * A random RDB built from a seed, with the transcript {@link Recorder} must produce for it. It
 * mixes every value type and encoding the reader knows (plain, int-encoded and LZF strings,
 * ziplists, listpacks, intsets, zipmaps, quicklists v1/v2 with plain nodes, old and binary zset
 * scores, field TTL hashes, streams, module values) with expiries, LRU/LFU hints and db changes.
 */
final class GeneratedRdb {
    /** One key: its transcript lines (key line first) and its captured payload (type byte first). */
    record Key(List<String> lines, byte[] payload) {}

    final byte[] bytes;
    final List<String> head = new ArrayList<>(); // header, aux, db and resize lines before each key (merged in order)
    final List<Object> items = new ArrayList<>(); // String lines and Key blocks, in file order

    private final Random r;
    private final RdbBytes w;
    private final int version;

    GeneratedRdb(long seed) {
        r = new Random(seed);
        version = r.nextBoolean() ? 12 : 9 + r.nextInt(3);
        w = RdbBytes.redis(version);
        items.add("header " + version);
        if (r.nextBoolean()) {
            w.aux("redis-ver", "7.4.1");
            items.add("aux 'redis-ver'='7.4.1'");
        }
        int db = 0;
        boolean dbSelected = false;
        int keys = r.nextInt(25);
        for (int i = 0; i < keys; i++) {
            if (!dbSelected || r.nextInt(8) == 0) {
                db = r.nextInt(4) == 0 ? r.nextInt(20000) : r.nextInt(16);
                w.selectDb(db);
                items.add("db " + db);
                dbSelected = true;
                if (r.nextBoolean()) {
                    long a = r.nextInt(100000);
                    long b = r.nextInt(1000);
                    w.resizeDb(a, b);
                    items.add("resize " + a + " " + b);
                }
            }
            key(db);
        }
        bytes = w.eof();
        items.add("end");
    }

    /** The full transcript (payload lines left out: see {@link #payloads}). */
    List<String> transcript() {
        return transcript(k -> true);
    }

    /** The transcript when only the keys accepted by {@code decode} get their value decoded. */
    List<String> transcript(java.util.function.Predicate<String> decode) {
        List<String> out = new ArrayList<>();
        for (Object o : items) {
            if (o instanceof String s) {
                out.add(s);
            } else {
                Key k = (Key) o;
                out.add(k.lines.get(0));
                if (decode.test(k.lines.get(0))) {
                    out.addAll(k.lines.subList(1, k.lines.size()));
                }
            }
        }
        return out;
    }

    List<byte[]> payloads() {
        List<byte[]> out = new ArrayList<>();
        for (Object o : items) {
            if (o instanceof Key k) {
                out.add(k.payload);
            }
        }
        return out;
    }

    // ---- random content ----

    private byte[] randomBytes(int max) {
        byte[] b = new byte[r.nextInt(max + 1)];
        switch (r.nextInt(3)) {
            case 0: r.nextBytes(b); break;
            case 1: for (int i = 0; i < b.length; i++) b[i] = (byte) ('a' + r.nextInt(3)); break; // compressible
            default: for (int i = 0; i < b.length; i++) b[i] = (byte) (0x20 + r.nextInt(95));
        }
        return b;
    }

    private long randomLong() {
        switch (r.nextInt(5)) {
            case 0: return r.nextInt(13);
            case 1: return r.nextInt(256) - 128;
            case 2: return r.nextInt(1 << 16) - (1 << 15);
            case 3: return r.nextInt();
            default: return r.nextLong();
        }
    }

    /** An element: random bytes, or a decimal integer (which compact encodings store as an int). */
    private byte[] element() {
        return r.nextInt(3) == 0 ? Long.toString(randomLong()).getBytes(StandardCharsets.US_ASCII) : randomBytes(r.nextInt(10) == 0 ? 400 : 20);
    }

    /** Writes an RDB string in a random valid encoding for its content. */
    private void string(byte[] s) {
        Long v = Packs.canonicalLong(s);
        if (v != null && v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE && r.nextBoolean()) {
            w.intStr(v);
        } else if (s.length > 0 && r.nextInt(4) == 0) {
            w.lzfStr(s);
        } else {
            w.str(s);
        }
    }

    private static String q(byte[] b) {
        return Recorder.q(b);
    }

    private double score() {
        switch (r.nextInt(6)) {
            case 0: return r.nextInt(1000) - 500;
            case 1: return Double.POSITIVE_INFINITY;
            case 2: return Double.NEGATIVE_INFINITY;
            default: return (r.nextDouble() - 0.5) * Math.pow(10, r.nextInt(30) - 10);
        }
    }

    /** A score inside a ziplist/listpack: integral ones as integers, others as shortest text. */
    private byte[] packedScore(double d) {
        if (d == Math.rint(d) && Math.abs(d) < 1e15) {
            return Long.toString((long) d).getBytes(StandardCharsets.US_ASCII);
        }
        return (Double.isInfinite(d) ? (d > 0 ? "inf" : "-inf") : Double.toString(d)).getBytes(StandardCharsets.US_ASCII);
    }

    // ---- keys ----

    private static final int[] TYPES = {
        RdbType.STRING, RdbType.LIST, RdbType.SET, RdbType.ZSET, RdbType.HASH, RdbType.ZSET_2, RdbType.MODULE_2,
        RdbType.HASH_ZIPMAP, RdbType.LIST_ZIPLIST, RdbType.SET_INTSET, RdbType.ZSET_ZIPLIST, RdbType.HASH_ZIPLIST,
        RdbType.LIST_QUICKLIST, RdbType.STREAM_LISTPACKS_3, RdbType.HASH_LISTPACK, RdbType.ZSET_LISTPACK,
        RdbType.LIST_QUICKLIST_2, RdbType.SET_LISTPACK, RdbType.HASH_METADATA, RdbType.HASH_LISTPACK_EX
    };

    private void key(int db) {
        long expire = KeyHeader.NO_EXPIRE;
        long idle = -1;
        int freq = -1;
        switch (r.nextInt(6)) {
            case 0: expire = 1700000000000L + r.nextInt(1 << 30); w.expireMs(expire); break;
            case 1: long s = 1700000000L + r.nextInt(1 << 20); w.expireSeconds(s); expire = s * 1000; break;
            default:
        }
        if (r.nextInt(5) == 0) {
            idle = r.nextInt(100000);
            w.raw(RdbReader.OP_IDLE).len(idle);
        } else if (r.nextInt(5) == 0) {
            freq = r.nextInt(256);
            w.raw(RdbReader.OP_FREQ).raw(freq);
        }
        int type = TYPES[r.nextInt(TYPES.length)];
        byte[] name = randomBytes(12);
        w.key(type, name);
        List<String> lines = new ArrayList<>();
        lines.add(Recorder.keyLine(db, name, type, expire, idle, freq));
        int start = w.size();
        value(type, lines);
        byte[] slice = Arrays.copyOfRange(w.bytes(), start, w.size());
        byte[] payload = new byte[slice.length + 1];
        payload[0] = (byte) type;
        System.arraycopy(slice, 0, payload, 1, slice.length);
        items.add(new Key(lines, payload));
    }

    private int count() {
        return r.nextInt(8) == 0 ? 50 + r.nextInt(300) : r.nextInt(10);
    }

    private void value(int type, List<String> lines) {
        int n = count();
        switch (type) {
            case RdbType.STRING: {
                byte[] v = r.nextInt(4) == 0 ? Long.toString(randomLong()).getBytes(StandardCharsets.US_ASCII) : randomBytes(r.nextInt(10) == 0 ? 20000 : 100);
                string(v);
                lines.add("  = " + q(v));
                return;
            }
            case RdbType.LIST: case RdbType.SET: {
                w.len(n);
                for (int i = 0; i < n; i++) {
                    byte[] e = element();
                    string(e);
                    lines.add((type == RdbType.LIST ? "  list " : "  set ") + q(e));
                }
                return;
            }
            case RdbType.ZSET: case RdbType.ZSET_2: {
                w.len(n);
                for (int i = 0; i < n; i++) {
                    byte[] m = element();
                    double d = r.nextInt(20) == 0 ? Double.NaN : score();
                    string(m);
                    if (type == RdbType.ZSET_2) {
                        w.u64le(Double.doubleToLongBits(d));
                    } else if (Double.isNaN(d)) {
                        w.raw(253);
                    } else if (Double.isInfinite(d)) {
                        w.raw(d > 0 ? 254 : 255);
                    } else {
                        byte[] t = Double.toString(d).getBytes(StandardCharsets.US_ASCII);
                        w.raw(t.length).raw(t);
                    }
                    lines.add("  zset " + q(m) + " " + d);
                }
                return;
            }
            case RdbType.HASH: {
                w.len(n);
                for (int i = 0; i < n; i++) {
                    byte[] f = element();
                    byte[] v = element();
                    string(f);
                    string(v);
                    lines.add("  hash " + q(f) + " " + q(v));
                }
                return;
            }
            case RdbType.HASH_METADATA: {
                long min = 1800000000000L;
                w.u64le(min).len(n);
                for (int i = 0; i < n; i++) {
                    byte[] f = element();
                    byte[] v = element();
                    long ttl = r.nextBoolean() ? 0 : 1 + r.nextInt(1 << 30);
                    w.len(ttl);
                    string(f);
                    string(v);
                    lines.add("  hash " + q(f) + " " + q(v) + (ttl == 0 ? "" : " ttl=" + (ttl + min - 1)));
                }
                return;
            }
            case RdbType.MODULE_2: {
                int start = w.size();
                AllOpcodesRdbTest.moduleBody(w.len64(AllOpcodesRdbTest.MODULE));
                lines.add("  module ferry-mod " + Long.toHexString(AllOpcodesRdbTest.MODULE) + " " + (1 + w.size() - start) + " bytes");
                return;
            }
            case RdbType.HASH_ZIPMAP: {
                java.io.ByteArrayOutputStream z = new java.io.ByteArrayOutputStream();
                z.write(Math.min(n, 254));
                for (int i = 0; i < n; i++) {
                    byte[] f = element();
                    byte[] v = element();
                    zipmapLen(z, f.length);
                    z.write(f, 0, f.length);
                    zipmapLen(z, v.length);
                    int free = r.nextInt(3);
                    z.write(free);
                    z.write(v, 0, v.length);
                    z.write(new byte[free], 0, free);
                    lines.add("  hash " + q(f) + " " + q(v));
                }
                z.write(0xff);
                string(z.toByteArray());
                return;
            }
            case RdbType.LIST_ZIPLIST: {
                ZiplistBytes z = new ZiplistBytes();
                for (int i = 0; i < n; i++) {
                    byte[] e = element();
                    z.element(e);
                    lines.add("  list " + q(e));
                }
                string(z.build());
                return;
            }
            case RdbType.SET_INTSET: {
                int width = new int[] {2, 4, 8}[r.nextInt(3)];
                long[] v = new long[n];
                for (int i = 0; i < n; i++) {
                    v[i] = width == 2 ? (short) r.nextInt() : width == 4 ? r.nextInt() : r.nextLong();
                }
                Arrays.sort(v);
                for (long x : v) {
                    lines.add("  set '" + x + "'");
                }
                string(Packs.intset(width, v));
                return;
            }
            case RdbType.ZSET_ZIPLIST: case RdbType.ZSET_LISTPACK: {
                ZiplistBytes z = new ZiplistBytes();
                ListpackBytes l = new ListpackBytes();
                for (int i = 0; i < n; i++) {
                    byte[] m = element();
                    double d = score();
                    z.element(m).element(packedScore(d));
                    l.element(m).element(packedScore(d));
                    lines.add("  zset " + q(m) + " " + d);
                }
                string(type == RdbType.ZSET_ZIPLIST ? z.build() : l.build());
                return;
            }
            case RdbType.HASH_ZIPLIST: case RdbType.HASH_LISTPACK: {
                ZiplistBytes z = new ZiplistBytes();
                ListpackBytes l = new ListpackBytes();
                for (int i = 0; i < n; i++) {
                    byte[] f = element();
                    byte[] v = element();
                    z.element(f).element(v);
                    l.element(f).element(v);
                    lines.add("  hash " + q(f) + " " + q(v));
                }
                string(type == RdbType.HASH_ZIPLIST ? z.build() : l.build());
                return;
            }
            case RdbType.HASH_LISTPACK_EX: {
                long min = 1800000000000L;
                ListpackBytes l = new ListpackBytes();
                for (int i = 0; i < n; i++) {
                    byte[] f = element();
                    byte[] v = element();
                    long at = r.nextBoolean() ? 0 : min + r.nextInt(1 << 30);
                    l.element(f).element(v).integer(at);
                    lines.add("  hash " + q(f) + " " + q(v) + (at == 0 ? "" : " ttl=" + at));
                }
                w.u64le(min);
                string(l.build());
                return;
            }
            case RdbType.SET_LISTPACK: {
                ListpackBytes l = new ListpackBytes();
                for (int i = 0; i < n; i++) {
                    byte[] e = element();
                    l.element(e);
                    lines.add("  set " + q(e));
                }
                string(l.build());
                return;
            }
            case RdbType.LIST_QUICKLIST: case RdbType.LIST_QUICKLIST_2: {
                int nodes = 1 + r.nextInt(4);
                w.len(nodes);
                for (int k = 0; k < nodes; k++) {
                    if (type == RdbType.LIST_QUICKLIST_2 && r.nextInt(4) == 0) {
                        byte[] e = randomBytes(300);
                        w.len(1);
                        string(e);
                        lines.add("  list " + q(e));
                        continue;
                    }
                    ZiplistBytes z = new ZiplistBytes();
                    ListpackBytes l = new ListpackBytes();
                    int m = 1 + r.nextInt(Math.max(1, n));
                    for (int i = 0; i < m; i++) {
                        byte[] e = element();
                        z.element(e);
                        l.element(e);
                        lines.add("  list " + q(e));
                    }
                    if (type == RdbType.LIST_QUICKLIST_2) {
                        w.len(2);
                    }
                    string(type == RdbType.LIST_QUICKLIST ? z.build() : l.build());
                }
                return;
            }
            case RdbType.STREAM_LISTPACKS_3:
                stream(lines);
                return;
            default:
                throw new IllegalStateException("type " + type);
        }
    }

    private static void zipmapLen(java.io.ByteArrayOutputStream z, int n) {
        if (n < 254) {
            z.write(n);
        } else {
            z.write(254);
            Packs.le(z, n, 4);
        }
    }

    private void stream(List<String> lines) {
        long ms = 1700000000000L + r.nextInt(1000000);
        long seq = 0;
        int nodeCount = r.nextInt(3);
        List<StreamBytes.Node> nodes = new ArrayList<>();
        List<String> entryLines = new ArrayList<>();
        int live = 0;
        int deleted = 0;
        long firstMs = -1;
        long firstSeq = 0;
        for (int k = 0; k < nodeCount; k++) {
            ms += 1 + r.nextInt(1000);
            seq = r.nextInt(3);
            StreamBytes.Node node = new StreamBytes.Node(ms, seq, "f", "g");
            int entries = 1 + r.nextInt(5);
            for (int i = 0; i < entries; i++) {
                if (i > 0) {
                    ms += r.nextInt(3);
                    seq = seq + 1 + r.nextInt(3);
                }
                boolean del = r.nextInt(4) == 0;
                String a = Long.toString(randomLong());
                String b = "v" + r.nextInt(100);
                StringBuilder line = new StringBuilder("  entry " + ms + "-" + seq);
                if (r.nextBoolean()) {
                    node.same(ms, seq, del, a, b);
                    line.append(" 'f' '").append(a).append("' 'g' '").append(b).append("'");
                } else {
                    node.own(ms, seq, del, "own", a);
                    line.append(" 'own' '").append(a).append("'");
                }
                if (del) {
                    deleted++;
                } else {
                    live++;
                    entryLines.add(line.toString());
                    if (firstMs < 0) {
                        firstMs = ms;
                        firstSeq = seq;
                    }
                }
            }
            nodes.add(node);
        }
        StreamBytes.nodes(w, nodes.toArray(new StreamBytes.Node[0])).len(live);
        StreamBytes.id(w, ms, seq);
        StreamBytes.id(w, Math.max(firstMs, 0), firstSeq);
        StreamBytes.id(w, 0, 0);
        w.len(live + deleted);
        lines.addAll(entryLines);
        lines.add("  stream length=" + live + " last=" + ms + "-" + seq + " first=" + Math.max(firstMs, 0) + "-" + firstSeq
                + " max-deleted=0-0 added=" + (live + deleted));
        int groups = r.nextInt(3);
        w.len(groups);
        for (int g = 0; g < groups; g++) {
            String name = "group" + g;
            long read = r.nextBoolean() ? -1 : r.nextInt(10);
            w.str(name);
            StreamBytes.id(w, ms, seq).len64(read);
            lines.add("  group '" + name + "' last-delivered=" + ms + "-" + seq + " read=" + read);
            int pel = r.nextInt(3);
            w.len(pel);
            List<String> ids = new ArrayList<>();
            for (int p = 0; p < pel; p++) {
                long t = 1700000000000L + r.nextInt(1 << 20);
                int c = 1 + r.nextInt(5);
                w.raw(StreamBytes.id16(ms, p)).u64le(t).len(c);
                lines.add("    pel " + ms + "-" + p + " time=" + t + " count=" + c);
                ids.add(ms + "-" + p);
            }
            int consumers = r.nextInt(3);
            w.len(consumers);
            for (int c = 0; c < consumers; c++) {
                long seen = 1700000000000L + r.nextInt(1 << 20);
                long active = r.nextBoolean() ? -1 : seen - 5;
                w.str("c" + c).u64le(seen).u64le(active);
                List<String> mine = c == 0 ? ids : List.of();
                w.len(mine.size());
                for (int p = 0; p < mine.size(); p++) {
                    w.raw(StreamBytes.id16(ms, p));
                }
                lines.add("    consumer 'c" + c + "' seen=" + seen + " active=" + active + " pending=" + mine);
            }
        }
    }
}
