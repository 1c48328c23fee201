package io.ferry.testing;

import io.ferry.resp.RedisConnection;
import io.ferry.resp.Reply;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads a live server's whole keyspace into a {@link Dataset} (SCAN every db, then each value),
 * for tests that assert "the target holds exactly this". Stream consumer times are not compared
 * (a copy cannot preserve wall-clock activity times), everything else is.
 */
public final class ServerDataset {
    private ServerDataset() {}

    public static Dataset read(RedisConnection c, int maxDb) {
        Dataset d = new Dataset();
        for (int db = 0; db <= maxDb; db++) {
            c.call("SELECT", Integer.toString(db));
            String cursor = "0";
            do {
                List<Reply> page = c.call("SCAN", cursor, "COUNT", "1000").asList();
                cursor = page.get(0).asString();
                for (Reply k : page.get(1).asList()) {
                    byte[] key = k.asBytes();
                    Dataset.KeyData kd = key(c, key);
                    if (kd != null) {
                        d.put(db, latin1(key), kd);
                    }
                }
            } while (!cursor.equals("0"));
        }
        c.call("SELECT", "0");
        Reply libs = c.call("FUNCTION", "LIST", "WITHCODE");
        if (!libs.isError()) {
            for (Reply lib : libs.asList()) {
                d.functions.add(latin1(((Reply) pairs(lib.asList()).get("library_code")).asBytes()));
            }
        }
        return d;
    }

    static String latin1(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static Dataset.KeyData key(RedisConnection c, byte[] key) {
        String type = c.call(b("TYPE"), key).asString();
        long pttl = c.call(b("PTTL"), key).asLong();
        Long expireAt = null;
        if (pttl >= 0) {
            Reply at = c.call(b("PEXPIRETIME"), key);
            expireAt = at.isError() ? System.currentTimeMillis() + pttl : at.asLong();
        }
        Object value;
        switch (type) {
            case "none": return null;
            case "string": value = latin1(c.call(b("GET"), key).asBytes()); break;
            case "list": value = strings(c.call(b("LRANGE"), key, b("0"), b("-1"))); break;
            case "set": value = Dataset.sorted(strings(c.call(b("SMEMBERS"), key))); break;
            case "zset": {
                List<Reply> r = c.call(b("ZRANGE"), key, b("0"), b("-1"), b("WITHSCORES")).asList();
                List<Object> out = new ArrayList<>();
                for (int i = 0; i < r.size(); i += 2) {
                    out.add(List.of(latin1(r.get(i).asBytes()), Dataset.parseScore(r.get(i + 1).asString())));
                }
                value = Dataset.rank(out);
                break;
            }
            case "hash": {
                List<Reply> r = c.call(b("HGETALL"), key).asList();
                Map<String, String> m = new TreeMap<>();
                for (int i = 0; i < r.size(); i += 2) {
                    m.put(latin1(r.get(i).asBytes()), latin1(r.get(i + 1).asBytes()));
                }
                value = m;
                break;
            }
            case "stream": value = stream(c, key); break;
            default: throw new IllegalStateException("unexpected type " + type);
        }
        return new Dataset.KeyData(type, expireAt, value, fieldTtls(c, key, type), null, null);
    }

    private static Map<String, Long> fieldTtls(RedisConnection c, byte[] key, String type) {
        Map<String, Long> ttls = new TreeMap<>();
        if (!type.equals("hash")) {
            return ttls;
        }
        List<Reply> kv = c.call(b("HKEYS"), key).asList();
        if (kv.isEmpty()) {
            return ttls;
        }
        byte[][] argv = new byte[4 + kv.size()][];
        argv[0] = b("HPEXPIRETIME");
        argv[1] = key;
        argv[2] = b("FIELDS");
        argv[3] = b(Integer.toString(kv.size()));
        for (int i = 0; i < kv.size(); i++) {
            argv[4 + i] = kv.get(i).asBytes();
        }
        Reply r = c.call(argv);
        if (r.isError()) {
            return ttls; // server without hash-field TTLs
        }
        List<Reply> times = r.asList();
        for (int i = 0; i < kv.size(); i++) {
            long t = times.get(i).asLong();
            if (t >= 0) {
                ttls.put(latin1(kv.get(i).asBytes()), t);
            }
        }
        return ttls;
    }

    private static List<String> strings(Reply r) {
        List<String> out = new ArrayList<>();
        for (Reply x : r.asList()) {
            out.add(latin1(x.asBytes()));
        }
        return out;
    }

    /** Same shape as {@link Dataset}'s stream maps; consumer times are left out (null). */
    private static Map<String, Object> stream(RedisConnection c, byte[] key) {
        Map<String, Object> info = pairs(c.call(b("XINFO"), b("STREAM"), key, b("FULL")).asList());
        Map<String, Object> m = new LinkedHashMap<>();
        List<Object> entries = new ArrayList<>();
        for (Reply e : c.call(b("XRANGE"), key, b("-"), b("+")).asList()) {
            List<Reply> idf = e.asList();
            List<Reply> f = idf.get(1).asList();
            List<Object> fields = new ArrayList<>();
            for (int i = 0; i < f.size(); i += 2) {
                fields.add(List.of(latin1(f.get(i).asBytes()), latin1(f.get(i + 1).asBytes())));
            }
            entries.add(List.of(idf.get(0).asString(), fields));
        }
        m.put("entries", entries);
        m.put("length", str(info.get("length")));
        m.put("last_id", str(info.get("last-generated-id")));
        m.put("first_id", str(info.get("recorded-first-entry-id")));
        m.put("max_deleted_entry_id", str(info.get("max-deleted-entry-id")));
        m.put("entries_added", str(info.get("entries-added")));
        List<Object> groups = new ArrayList<>();
        Object gs = info.get("groups");
        if (gs instanceof Reply gr && !gr.isNull()) {
            for (Reply g : gr.asList()) {
                Map<String, Object> gi = pairs(g.asList());
                Map<String, Object> gm = new LinkedHashMap<>();
                gm.put("name", latin1(((Reply) gi.get("name")).asBytes()));
                gm.put("last_delivered_id", str(gi.get("last-delivered-id")));
                Reply er = (Reply) gi.get("entries-read");
                gm.put("entries_read", er == null || er.isNull() ? null : er.asLong());
                List<Object> pel = new ArrayList<>();
                for (Reply p : ((Reply) gi.get("pending")).asList()) {
                    List<Reply> pp = p.asList();
                    pel.add(List.of(pp.get(0).asString(), latin1(pp.get(1).asBytes()), pp.get(2).asLong(), pp.get(3).asLong()));
                }
                gm.put("pel", pel);
                List<Object> consumers = new ArrayList<>();
                for (Reply cr : ((Reply) gi.get("consumers")).asList()) {
                    Map<String, Object> ci = pairs(cr.asList());
                    List<Object> pending = new ArrayList<>();
                    for (Reply p : ((Reply) ci.get("pending")).asList()) {
                        pending.add(p.asList().get(0).asString());
                    }
                    List<Object> cm = new ArrayList<>();
                    cm.add(latin1(((Reply) ci.get("name")).asBytes()));
                    cm.add(null);
                    cm.add(null);
                    cm.add(pending);
                    consumers.add(cm);
                }
                gm.put("consumers", consumers);
                groups.add(gm);
            }
        }
        m.put("groups", groups);
        return m;
    }

    private static String str(Object r) {
        return r == null || ((Reply) r).isNull() ? null : ((Reply) r).asString();
    }

    private static Map<String, Object> pairs(List<Reply> flat) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i + 1 < flat.size(); i += 2) {
            m.put(flat.get(i).asString(), flat.get(i + 1));
        }
        return m;
    }

    /**
     * An expected dataset as a server before Redis 8.6 can hold it: no arrays, streams without
     * IDMP state, NACK zones or NACKed (unowned) pending entries. Ferry counts each of those as lost.
     */
    @SuppressWarnings("unchecked")
    public static Dataset withoutWhatOlderServersCannotHold(Dataset expected) {
        Dataset out = new Dataset();
        out.functions.addAll(expected.functions);
        expected.dbs.forEach((db, keys) -> keys.forEach((k, v) -> {
            if (v.type().equals("array")) {
                return;
            }
            Object value = v.value();
            if (v.type().equals("stream")) {
                Map<String, Object> s = new LinkedHashMap<>((Map<String, Object>) value);
                s.remove("idmp");
                List<Object> groups = new ArrayList<>();
                for (Object go : (List<Object>) s.get("groups")) {
                    Map<String, Object> g = new LinkedHashMap<>((Map<String, Object>) go);
                    g.remove("nacked");
                    // An unowned entry's consumer reads as the text "null" (JSON null through asText).
                    g.put("pel", ((List<Object>) g.get("pel")).stream().filter(p -> !"null".equals(((List<Object>) p).get(1))).toList());
                    groups.add(g);
                }
                s.put("groups", groups);
                value = s;
            }
            out.put(db, k, new Dataset.KeyData(v.type(), v.expireAtMs(), value, v.fieldTtls(), v.lfu(), v.idle()));
        }));
        return out;
    }

    /**
     * Adjusts an expected dataset to what a copy onto {@code server} can show: stream consumer
     * times blanked; stream counters the source format did not store left to the server;
     * hash-field TTLs dropped when the server cannot hold them.
     */
    @SuppressWarnings("unchecked")
    public static Dataset comparable(Dataset expected, Dataset actual, boolean serverHasFieldTtls) {
        Dataset out = new Dataset();
        out.functions.addAll(expected.functions);
        expected.dbs.forEach((db, keys) -> keys.forEach((k, v) -> {
            Object value = v.value();
            if (v.type().equals("stream")) {
                Map<String, Object> s = new LinkedHashMap<>((Map<String, Object>) value);
                Dataset.KeyData a = actual.dbs.getOrDefault(db, Map.of()).get(k);
                Map<String, Object> as = a == null || !(a.value() instanceof Map) ? Map.of() : (Map<String, Object>) a.value();
                for (String counter : List.of("first_id", "max_deleted_entry_id", "entries_added")) {
                    if (s.get(counter) == null) {
                        s.put(counter, as.get(counter));
                    }
                }
                List<Object> groups = new ArrayList<>();
                List<Object> actualGroups = (List<Object>) as.getOrDefault("groups", List.of());
                for (int gi = 0; gi < ((List<Object>) s.get("groups")).size(); gi++) {
                    Map<String, Object> g = new LinkedHashMap<>((Map<String, Object>) ((List<Object>) s.get("groups")).get(gi));
                    if (g.get("entries_read") == null && gi < actualGroups.size()) {
                        g.put("entries_read", ((Map<String, Object>) actualGroups.get(gi)).get("entries_read"));
                    }
                    List<Object> consumers = new ArrayList<>();
                    for (Object c : (List<Object>) g.get("consumers")) {
                        List<Object> cm = new ArrayList<>((List<Object>) c);
                        cm.set(1, null);
                        cm.set(2, null);
                        consumers.add(cm);
                    }
                    g.put("consumers", consumers);
                    groups.add(g);
                }
                s.put("groups", groups);
                value = s;
            }
            Map<String, Long> ttls = serverHasFieldTtls ? v.fieldTtls() : new TreeMap<>();
            out.put(db, k, new Dataset.KeyData(v.type(), v.expireAtMs(), value, ttls, null, null));
        }));
        return out;
    }
}
