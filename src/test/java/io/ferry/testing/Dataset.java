package io.ferry.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A canonical, comparable picture of a keyspace: every byte string as a latin-1 Java string
 * (one char per byte), sets sorted, zsets in rank order with double scores, hashes as sorted
 * maps. Built from a fixture's expected JSON, from {@code ferry decode} output, or from a live
 * server, so that any two can be compared with one equals.
 */
public final class Dataset {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** db → key → value. */
    public final Map<Integer, Map<String, KeyData>> dbs = new TreeMap<>();
    public final List<String> functions = new ArrayList<>();

    /** {@code idle} and {@code lfu} are null when not recorded. */
    public record KeyData(String type, Long expireAtMs, Object value, Map<String, Long> fieldTtls, Integer lfu, Long idle) {
        public KeyData withoutMeta() {
            return new KeyData(type, expireAtMs, value, fieldTtls, null, null);
        }
    }

    public void put(int db, String key, KeyData data) {
        dbs.computeIfAbsent(db, d -> new TreeMap<>()).put(key, data);
    }

    public int keyCount() {
        return dbs.values().stream().mapToInt(Map::size).sum();
    }

    /** The same dataset without LFU/IDLE hints (which servers do not preserve across a copy). */
    public Dataset withoutMeta() {
        Dataset d = new Dataset();
        dbs.forEach((db, keys) -> keys.forEach((k, v) -> d.put(db, k, v.withoutMeta())));
        d.functions.addAll(functions);
        return d;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Dataset other && dbs.equals(other.dbs) && functions.equals(other.functions);
    }

    @Override
    public int hashCode() {
        return dbs.hashCode();
    }

    @Override
    public String toString() {
        return "Dataset" + dbs + " functions=" + functions;
    }

    // ---- from a fixture's *.expected.json (latin-1 byte mapping) ----

    public static Dataset fromExpected(Path expectedJson) throws IOException {
        JsonNode root = JSON.readTree(expectedJson.toFile());
        Dataset d = new Dataset();
        root.path("databases").fields().forEachRemaining(db -> db.getValue().fields().forEachRemaining(k -> {
            JsonNode e = k.getValue();
            String type = e.get("type").asText();
            Map<String, Long> ttls = new TreeMap<>();
            e.path("field_expire_at_ms").fields().forEachRemaining(f -> ttls.put(f.getKey(), f.getValue().asLong()));
            Integer lfu = e.has("lfu_freq") ? e.get("lfu_freq").asInt() : null;
            Long idle = e.has("lru_idle_seconds_in_file") ? e.get("lru_idle_seconds_in_file").asLong() : null;
            d.put(Integer.parseInt(db.getKey()), k.getKey(),
                    new KeyData(type, longOrNull(e.get("expire_at_ms")), expectedValue(type, e.get("value")), ttls, lfu, idle));
        }));
        for (JsonNode f : root.path("functions")) {
            d.functions.add(f.get("library_code").asText());
        }
        return d;
    }

    private static Long longOrNull(JsonNode n) {
        return n == null || n.isNull() ? null : n.asLong();
    }

    private static Object expectedValue(String type, JsonNode v) {
        switch (type) {
            case "string": return v.asText();
            case "list": return strings(v, Dataset::latin1);
            case "set": return sorted(strings(v, Dataset::latin1));
            case "zset": {
                List<Object> out = new ArrayList<>();
                for (JsonNode p : v) {
                    out.add(List.of(p.get(0).asText(), parseScore(p.get(1).asText())));
                }
                return rank(out);
            }
            case "hash": {
                Map<String, String> m = new TreeMap<>();
                v.fields().forEachRemaining(f -> m.put(f.getKey(), f.getValue().asText()));
                return m;
            }
            case "stream": return stream(v, Dataset::latin1, true);
            case "array": return array(v, Dataset::latin1);
            case "module": { // the DUMP reply, without its 10-byte footer: what Ferry captures
                byte[] dump = Base64.getDecoder().decode(v.get("payload").get("base64").asText());
                return new String(dump, 0, dump.length - 10, StandardCharsets.ISO_8859_1);
            }
            default: throw new IllegalArgumentException("type " + type);
        }
    }

    // ---- from `ferry decode` JSON Lines (UTF-8 or base64 byte strings) ----

    public static Dataset fromDecodeOutput(Path jsonl) throws IOException {
        Dataset d = new Dataset();
        try (BufferedReader r = Files.newBufferedReader(jsonl, StandardCharsets.UTF_8)) {
            String line;
            while ((line = r.readLine()) != null) {
                JsonNode e = JSON.readTree(line);
                if (e.has("function")) {
                    d.functions.add(bytes(e.get("function")));
                    continue;
                }
                String type = e.get("type").asText();
                Object value = decodedValue(type, e.get("value"));
                if (value instanceof List<?> l && l.isEmpty() || value instanceof Map<?, ?> m && m.isEmpty() && !type.equals("stream") && !type.equals("array")) {
                    continue; // servers drop empty collections on load
                }
                Map<String, Long> ttls = new TreeMap<>();
                for (JsonNode p : e.path("field_expire_at_ms")) {
                    ttls.put(bytes(p.get(0)), p.get(1).asLong());
                }
                Integer lfu = e.has("lfu_freq") ? e.get("lfu_freq").asInt() : null;
                Long idle = e.has("idle_seconds") ? e.get("idle_seconds").asLong() : null;
                d.put(e.get("db").asInt(), bytes(e.get("key")), new KeyData(type, longOrNull(e.get("expire_at_ms")), value, ttls, lfu, idle));
            }
        }
        return d;
    }

    /** A decode-output byte string (JSON string = UTF-8, or {"base64"}) as latin-1. */
    public static String bytes(JsonNode n) {
        byte[] b = n.isObject() ? Base64.getDecoder().decode(n.get("base64").asText()) : n.asText().getBytes(StandardCharsets.UTF_8);
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    private static String latin1(JsonNode n) {
        return n.asText();
    }

    private static Object decodedValue(String type, JsonNode v) {
        switch (type) {
            case "string": return bytes(v);
            case "list": return strings(v, Dataset::bytes);
            case "set": return sorted(strings(v, Dataset::bytes));
            case "zset": {
                List<Object> out = new ArrayList<>();
                for (JsonNode p : v) {
                    JsonNode s = p.get(1);
                    out.add(List.of(bytes(p.get(0)), s.isNumber() ? s.asDouble() : parseScore(s.asText())));
                }
                return rank(out);
            }
            case "hash": {
                Map<String, String> m = new TreeMap<>();
                for (JsonNode p : v) {
                    m.put(bytes(p.get(0)), bytes(p.get(1)));
                }
                return m;
            }
            case "stream": return stream(v, Dataset::bytes, false);
            case "array": return array(v, Dataset::bytes);
            case "module": return bytes(v.get("payload"));
            default: throw new IllegalArgumentException("type " + type);
        }
    }

    // ---- shared normalisation ----

    private static List<String> strings(JsonNode v, java.util.function.Function<JsonNode, String> conv) {
        List<String> out = new ArrayList<>();
        for (JsonNode n : v) {
            out.add(conv.apply(n));
        }
        return out;
    }

    public static List<String> sorted(List<String> l) {
        l.sort(Comparator.naturalOrder()); // latin-1 chars compare like unsigned bytes
        return l;
    }

    /** Zset entries [member, score] in rank order: score, then member. */
    @SuppressWarnings("unchecked")
    public static List<Object> rank(List<Object> entries) {
        entries.sort(Comparator.comparing((Object o) -> (Double) ((List<Object>) o).get(1)).thenComparing(o -> (String) ((List<Object>) o).get(0)));
        return entries;
    }

    public static double parseScore(String s) {
        switch (s) {
            case "inf": return Double.POSITIVE_INFINITY;
            case "-inf": return Double.NEGATIVE_INFINITY;
            default: return Double.parseDouble(s);
        }
    }

    /** An array as its length, insert index and [index, value] elements (names agree in both JSONs). */
    private static Map<String, Object> array(JsonNode v, java.util.function.Function<JsonNode, String> conv) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("length", v.get("length").asText()); // up to 2^64: compared as text
        m.put("count", v.get("count").asLong());
        m.put("insert_idx", v.get("insert_idx").isNull() ? null : v.get("insert_idx").asText());
        List<Object> elements = new ArrayList<>();
        for (JsonNode e : v.get("elements")) {
            elements.add(List.of(e.get(0).asText(), conv.apply(e.get(1))));
        }
        m.put("elements", elements);
        return m;
    }

    /** A stream as nested maps/lists; the expected JSON names and decode output names agree. */
    private static Map<String, Object> stream(JsonNode v, java.util.function.Function<JsonNode, String> conv, boolean expected) {
        Map<String, Object> m = new LinkedHashMap<>();
        List<Object> entries = new ArrayList<>();
        for (JsonNode e : v.get("entries")) {
            List<Object> fields = new ArrayList<>();
            for (JsonNode f : e.get("fields")) {
                fields.add(List.of(conv.apply(f.get(0)), conv.apply(f.get(1))));
            }
            entries.add(List.of(e.get("id").asText(), fields));
        }
        m.put("entries", entries);
        for (String k : List.of("length", "last_id", "first_id", "max_deleted_entry_id", "entries_added")) {
            m.put(k, v.get(k).isNull() ? null : v.get(k).asText());
        }
        List<Object> groups = new ArrayList<>();
        for (JsonNode g : v.get("groups")) {
            Map<String, Object> gm = new LinkedHashMap<>();
            gm.put("name", conv.apply(g.get("name")));
            gm.put("last_delivered_id", g.get("last_delivered_id").asText());
            gm.put("entries_read", g.get("entries_read").isNull() ? null : g.get("entries_read").asLong());
            List<Object> pel = new ArrayList<>();
            for (JsonNode p : g.get("pel")) {
                pel.add(List.of(p.get("id").asText(), conv.apply(p.get("consumer")), p.get("delivery_time_ms").asLong(), p.get("delivery_count").asLong()));
            }
            gm.put("pel", pel);
            List<Object> consumers = new ArrayList<>();
            for (JsonNode c : g.get("consumers")) {
                JsonNode seen = expected && c.has("seen_time_ms_in_file") ? c.get("seen_time_ms_in_file") : c.get("seen_time_ms");
                List<Object> pending = new ArrayList<>();
                c.get("pending").forEach(p -> pending.add(p.asText()));
                List<Object> cm = new ArrayList<>();
                cm.add(conv.apply(c.get("name")));
                cm.add(seen.asLong());
                cm.add(c.get("active_time_ms").isNull() ? null : c.get("active_time_ms").asLong());
                cm.add(pending);
                consumers.add(cm);
            }
            gm.put("consumers", consumers);
            if (g.has("nacked")) { // RDB 14
                List<Object> nacked = new ArrayList<>();
                g.get("nacked").forEach(n -> nacked.add(n.asText()));
                gm.put("nacked", nacked);
            }
            groups.add(gm);
        }
        m.put("groups", groups);
        if (v.has("idmp")) { // RDB 13+
            JsonNode i = v.get("idmp");
            Map<String, Object> im = new LinkedHashMap<>();
            for (String k : List.of("duration_s", "max_entries", "iids_added", "iids_duplicates")) {
                im.put(k, i.get(k).asLong());
            }
            List<Object> producers = new ArrayList<>();
            for (JsonNode p : i.get("producers")) {
                List<Object> iids = new ArrayList<>();
                p.get("entries").forEach(e -> iids.add(List.of(conv.apply(e.get("iid")), e.get("id").asText())));
                producers.add(List.of(conv.apply(p.get("pid")), iids));
            }
            im.put("producers", producers);
            m.put("idmp", im);
        }
        return m;
    }
}
