package io.ferry.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ferry.resp.Reply;
import io.ferry.resp.RespReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The client port of a Pika server holding a recorded dataset ({@code snapshot.expected.json} of a version, names in
 * several types included), answering the read commands with the reply shapes and quirks recorded in that version's
 * {@code redis-surface.jsonl}:
 * <ul>
 *   <li>SCAN returns a name once per type (3.3.6: strings, hashes, sets, lists, zsets; 3.5/4.0: … lists, streams,
 *       zsets), restarts from the beginning on a cursor it did not hand out, and takes {@code TYPE t} on 3.5/4.0 only;
 *       SCANX {@code <type> <start>} answers the next start key ("" at the end);
 *   <li>TYPE answers the first of string, hash, list, zset, set; a stream is {@code none} on 3.5, {@code streams} on 4.0;
 *   <li>TTL/PTTL are those of that first type, PTTL = TTL × 1000 on 3.x; a missing name: -2 on 3.x, 0 on 4.0;
 *   <li>EXISTS counts types (streams not on 3.5); type-specific reads answer independently of the other types (3.x),
 *       WRONGTYPE on 4.0;
 *   <li>ZRANGE omits {@code -inf} members (4.0 appends the next zset's first member), ZSCAN and ZCARD are complete;
 *   <li>unknown commands answer in the version's words; 3.3.6 has no stream commands.
 * </ul>
 * Entries whose TTL ends within a minute are left out (as {@link PikaExpected} leaves them out of the target).
 * Tests change the data through {@link #data}.
 */
public final class FakePikaReads implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** TYPE's order of preference (PIKA.md §10). */
    public static final List<String> TYPE_ORDER = List.of("string", "hash", "list", "zset", "set", "stream");

    /** One typed value: strings String, hashes Map, lists/sets List, zsets List of [member, score text], streams List of [id, List fields]. */
    public record Value(Object value, Long ttlSeconds) {}

    /** name → type ("string", …) → value; names ordered bytewise (latin-1). */
    public final Map<String, Map<String, Value>> data = new ConcurrentHashMap<>();
    private final String version;
    private final boolean v3;
    private final boolean v4;
    private final boolean streams;
    private final Map<String, byte[]> info = new LinkedHashMap<>();
    private final ServerSocket server;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private final Set<String> cursors = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private FakePikaReads(String version, Path dir) throws IOException {
        this.version = version;
        this.v3 = version.startsWith("3.");
        this.v4 = version.startsWith("4.");
        this.streams = !version.startsWith("3.3");
        load(dir.resolve("snapshot.expected.json"));
        for (JsonNode row : FakePikaMaster.readJsonl(dir.resolve("redis-surface.jsonl"))) {
            JsonNode argv = row.get("argv");
            if (argv.size() == 2 && argv.get(0).asText().equals("INFO")) {
                info.putIfAbsent(argv.get(1).asText().toLowerCase(Locale.ROOT), HexFormat.of().parseHex(row.get("reply_hex").asText()));
            }
        }
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(this::acceptLoop, "fake-pika-reads");
        t.setDaemon(true);
        t.start();
    }

    public static FakePikaReads of(String version) throws IOException {
        return new FakePikaReads(version, Fixtures.requirePikaDir(version));
    }

    public String uri() {
        return "pika://127.0.0.1:" + server.getLocalPort();
    }

    private void load(Path json) throws IOException {
        JsonNode types = JSON.readTree(json.toFile()).get("types");
        long cutoff = System.currentTimeMillis() / 1000 + 60;
        Map<String, String> group = Map.of("strings", "string", "hashes", "hash", "lists", "list", "zsets", "zset", "sets", "set", "streams", "stream");
        types.fieldNames().forEachRemaining(g -> types.get(g).fields().forEachRemaining(e -> {
            String type = group.get(g);
            JsonNode ttl = e.getValue().get("ttl");
            Long t = ttl == null || ttl.isNull() || type.equals("stream") ? null : ttl.asLong(); // Pika streams carry no TTL
            if (t != null && t < cutoff) {
                return;
            }
            data.computeIfAbsent(e.getKey(), k -> new ConcurrentHashMap<>()).put(type, new Value(value(type, e.getValue().get("value")), t));
        }));
    }

    private static Object value(String type, JsonNode v) {
        switch (type) {
            case "string":
                return v.asText();
            case "hash": {
                Map<String, String> m = new TreeMap<>();
                v.fields().forEachRemaining(f -> m.put(f.getKey(), f.getValue().asText()));
                return m;
            }
            case "list":
            case "set": {
                List<String> l = new ArrayList<>();
                v.forEach(x -> l.add(x.asText()));
                return l;
            }
            case "zset": {
                List<List<String>> l = new ArrayList<>();
                v.forEach(x -> l.add(List.of(x.get("member").asText(), x.get("score").asText())));
                return l;
            }
            default: {
                List<List<Object>> l = new ArrayList<>();
                v.forEach(x -> {
                    List<String> f = new ArrayList<>();
                    x.get("fields").forEach(y -> f.add(y.asText()));
                    l.add(List.of(x.get("id").asText(), f));
                });
                return l;
            }
        }
    }

    // ---- serving ------------------------------------------------------------------------------

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket s = server.accept();
                open.add(s);
                Thread c = new Thread(() -> {
                    try (s) {
                        serve(s);
                    } catch (IOException | RuntimeException e) {
                        if (!closed && !s.isClosed()) {
                            System.err.println("fake pika: " + e);
                        }
                    }
                }, "fake-pika-reads-conn");
                c.setDaemon(true);
                c.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket s) throws IOException {
        RespReader in = new RespReader(s.getInputStream());
        OutputStream out = s.getOutputStream();
        int[] db = {0};
        while (true) {
            Reply req = in.read();
            if (req == null) {
                return;
            }
            List<String> a = new ArrayList<>();
            for (Reply r : ((Reply.Array) req).items()) {
                a.add(new String(r.asBytes(), StandardCharsets.ISO_8859_1));
            }
            ByteArrayOutputStream o = new ByteArrayOutputStream();
            answer(a, db, o);
            out.write(o.toByteArray());
            out.flush();
        }
    }

    private void answer(List<String> a, int[] db, ByteArrayOutputStream o) {
        String cmd = a.get(0).toUpperCase(Locale.ROOT);
        String k = a.size() > 1 ? a.get(1) : "";
        Map<String, Value> types = db[0] == 0 ? data.getOrDefault(k, Map.of()) : Map.of();
        switch (cmd) {
            case "PING" -> simple(o, "PONG");
            case "AUTH" -> simple(o, "OK");
            case "SELECT" -> {
                if (a.get(1).equals("0")) {
                    db[0] = 0;
                    simple(o, "OK");
                } else {
                    error(o, "ERR invalid DB index");
                }
            }
            case "INFO" -> {
                byte[] r = info.get(a.size() > 1 ? a.get(1).toLowerCase(Locale.ROOT) : "server");
                o.writeBytes(r != null ? r : bulkBytes(""));
            }
            case "SCAN" -> scan(a, o);
            case "SCANX" -> scanx(a, o);
            case "TYPE" -> {
                String first = first(types, false);
                simple(o, first != null ? first : v4 && types.containsKey("stream") ? "streams" : "none");
            }
            case "TTL", "PTTL" -> {
                String first = first(types, false);
                long ttl;
                if (first == null) {
                    ttl = v4 ? 0 : -2;
                } else if (types.get(first).ttlSeconds() == null) {
                    ttl = -1;
                } else if (v3) {
                    ttl = (types.get(first).ttlSeconds() - System.currentTimeMillis() / 1000) * (cmd.equals("PTTL") ? 1000 : 1);
                } else {
                    long ms = types.get(first).ttlSeconds() * 1000 - System.currentTimeMillis();
                    ttl = cmd.equals("PTTL") ? ms : ms / 1000;
                }
                integer(o, ttl);
            }
            case "EXISTS" -> {
                long n = 0;
                for (String x : a.subList(1, a.size())) {
                    Map<String, Value> t = data.getOrDefault(x, Map.of());
                    n += v4 ? Math.min(1, t.size()) : t.keySet().stream().filter(y -> !y.equals("stream")).count();
                }
                integer(o, n);
            }
            case "GET", "STRLEN", "GETRANGE" -> {
                if (wrongType(types, "string", o)) {
                    return;
                }
                Value v = types.get("string");
                String s = v == null ? null : (String) v.value();
                if (cmd.equals("GET")) {
                    bulk(o, s);
                } else if (cmd.equals("STRLEN")) {
                    integer(o, s == null ? 0 : s.length());
                } else {
                    bulk(o, s == null ? "" : range(s, Long.parseLong(a.get(2)), Long.parseLong(a.get(3))));
                }
            }
            case "HLEN", "HGETALL", "HSCAN" -> {
                if (wrongType(types, "hash", o)) {
                    return;
                }
                @SuppressWarnings("unchecked")
                Map<String, String> h = types.containsKey("hash") ? (Map<String, String>) types.get("hash").value() : Map.of();
                List<String> flat = new ArrayList<>();
                h.forEach((f, v) -> {
                    flat.add(f);
                    flat.add(v);
                });
                if (cmd.equals("HLEN")) {
                    integer(o, h.size());
                } else if (cmd.equals("HGETALL")) {
                    array(o, flat);
                } else {
                    page(o, flat, 2, a);
                }
            }
            case "LLEN", "LRANGE" -> {
                if (wrongType(types, "list", o)) {
                    return;
                }
                @SuppressWarnings("unchecked")
                List<String> l = types.containsKey("list") ? (List<String>) types.get("list").value() : List.of();
                if (cmd.equals("LLEN")) {
                    integer(o, l.size());
                } else {
                    int n = l.size();
                    int from = (int) Math.max(0, norm(Long.parseLong(a.get(2)), n));
                    int to = (int) Math.min(n - 1, norm(Long.parseLong(a.get(3)), n));
                    array(o, from > to ? List.of() : l.subList(from, to + 1));
                }
            }
            case "SCARD", "SMEMBERS", "SSCAN" -> {
                if (wrongType(types, "set", o)) {
                    return;
                }
                @SuppressWarnings("unchecked")
                List<String> m = types.containsKey("set") ? (List<String>) types.get("set").value() : List.of();
                if (cmd.equals("SCARD")) {
                    integer(o, m.size());
                } else if (cmd.equals("SMEMBERS")) {
                    array(o, m);
                } else {
                    page(o, m, 1, a);
                }
            }
            case "ZCARD", "ZSCAN", "ZRANGE", "ZSCORE" -> zset(cmd, a, types, o);
            case "XLEN", "XRANGE", "XINFO" -> {
                if (!streams) {
                    error(o, "ERR unknown or unsupported command '" + cmd.toLowerCase(Locale.ROOT) + "\"");
                    return;
                }
                String key = cmd.equals("XINFO") ? a.get(2) : k;
                Map<String, Value> t = data.getOrDefault(key, Map.of());
                if (wrongType(t, "stream", o)) {
                    return;
                }
                @SuppressWarnings("unchecked")
                List<List<Object>> entries = t.containsKey("stream") ? (List<List<Object>>) t.get("stream").value() : List.of();
                if (cmd.equals("XLEN")) {
                    integer(o, entries.size());
                } else if (cmd.equals("XINFO")) {
                    if (entries.isEmpty()) {
                        error(o, "ERR no such key");
                        return;
                    }
                    o.writeBytes(("*4\r\n").getBytes());
                    bulk(o, "length");
                    integer(o, entries.size());
                    bulk(o, "last-generated-id");
                    bulk(o, (String) entries.get(entries.size() - 1).get(0));
                } else {
                    xrange(o, entries, a);
                }
            }
            default -> error(o, v3 && version.startsWith("3.3") ? "ERR unknown or unsupported command '" + cmd.toLowerCase(Locale.ROOT) + "\""
                    : "ERR unknown command \"" + cmd.toLowerCase(Locale.ROOT) + "\"");
        }
    }

    /** The type TYPE reports (streams are invisible to it on 3.5 and reported apart on 4.0). */
    private static String first(Map<String, Value> types, boolean withStreams) {
        for (String t : TYPE_ORDER) {
            if (types.containsKey(t) && (withStreams || !t.equals("stream"))) {
                return t;
            }
        }
        return null;
    }

    /** 4.0 holds one type per name: other types' commands answer WRONGTYPE. */
    private boolean wrongType(Map<String, Value> types, String type, ByteArrayOutputStream o) {
        if (v4 && !types.isEmpty() && !types.containsKey(type)) {
            error(o, "WRONGTYPE Operation against a key holding the wrong kind of value");
            return true;
        }
        return false;
    }

    private void zset(String cmd, List<String> a, Map<String, Value> types, ByteArrayOutputStream o) {
        if (wrongType(types, "zset", o)) {
            return;
        }
        @SuppressWarnings("unchecked")
        List<List<String>> z = types.containsKey("zset") ? (List<List<String>>) types.get("zset").value() : List.of();
        List<String> flat = new ArrayList<>();
        for (List<String> p : z) {
            flat.addAll(p);
        }
        switch (cmd) {
            case "ZCARD" -> integer(o, z.size());
            case "ZSCAN" -> page(o, flat, 2, a);
            case "ZSCORE" -> bulk(o, z.stream().filter(p -> p.get(0).equals(a.get(2))).map(p -> p.get(1)).findFirst().orElse(null));
            default -> { // ZRANGE k 0 -1 [WITHSCORES]: Pika's range read misses -inf members; 4.0 runs on into the next zset
                boolean scores = a.size() > 4 && a.get(4).equalsIgnoreCase("WITHSCORES");
                List<String> r = new ArrayList<>();
                for (List<String> p : z) {
                    if (!p.get(1).equals("-inf")) {
                        r.add(p.get(0));
                        if (scores) {
                            r.add(p.get(1));
                        }
                    }
                }
                if (v4 && z.stream().anyMatch(p -> p.get(1).equals("inf"))) {
                    String next = new TreeMap<>(data).tailMap(a.get(1), false).entrySet().stream()
                            .filter(e -> e.getValue().containsKey("zset")).map(Map.Entry::getKey).findFirst().orElse(null);
                    if (next != null) {
                        @SuppressWarnings("unchecked")
                        List<String> m = ((List<List<String>>) data.get(next).get("zset").value()).get(0);
                        r.add(m.get(0));
                        if (scores) {
                            r.add(m.get(1));
                        }
                    }
                }
                array(o, r);
            }
        }
    }

    /** The (name, type) occurrences SCAN walks, in the version's type order. */
    private List<String> occurrences(String onlyType) {
        List<String> order = streams ? List.of("string", "hash", "set", "list", "stream", "zset") : List.of("string", "hash", "set", "list", "zset");
        List<String> out = new ArrayList<>();
        TreeMap<String, Map<String, Value>> sorted = new TreeMap<>(data);
        for (String t : order) {
            if (onlyType == null || onlyType.equals(t)) {
                sorted.forEach((n, types) -> {
                    if (types.containsKey(t)) {
                        out.add(n);
                    }
                });
            }
        }
        return out;
    }

    private void scan(List<String> a, ByteArrayOutputStream o) {
        String cursor = a.get(1);
        int count = 10;
        String type = null;
        String match = null;
        for (int i = 2; i + 1 < a.size(); i += 2) {
            switch (a.get(i).toUpperCase(Locale.ROOT)) {
                case "COUNT" -> count = Integer.parseInt(a.get(i + 1));
                case "MATCH" -> match = a.get(i + 1);
                case "TYPE" -> type = a.get(i + 1);
                default -> {
                    error(o, "ERR syntax error");
                    return;
                }
            }
        }
        if (type != null && version.startsWith("3.3")) {
            error(o, "ERR syntax error"); // 3.3.6 has no TYPE option
            return;
        }
        List<String> all = occurrences(type);
        int from = cursors.contains(cursor) ? Integer.parseInt(cursor) : 0; // an unknown cursor restarts the scan
        int to = Math.min(all.size(), from + count);
        List<String> keys = new ArrayList<>();
        for (String n : all.subList(from, to)) {
            if (match == null || glob(match, n)) {
                keys.add(n);
            }
        }
        String next = to >= all.size() ? "0" : Integer.toString(to);
        cursors.add(next);
        o.writeBytes("*2\r\n".getBytes());
        bulk(o, next);
        array(o, keys);
    }

    private void scanx(List<String> a, ByteArrayOutputStream o) {
        String type = a.get(1);
        String start = a.get(2);
        int count = 10;
        String match = null;
        for (int i = 3; i + 1 < a.size(); i += 2) {
            if (a.get(i).equalsIgnoreCase("COUNT")) {
                count = Integer.parseInt(a.get(i + 1));
            } else if (a.get(i).equalsIgnoreCase("MATCH")) {
                match = a.get(i + 1);
            }
        }
        List<String> names = occurrences(type).stream().filter(n -> n.compareTo(start) >= 0).toList();
        List<String> keys = new ArrayList<>();
        for (String n : names.subList(0, Math.min(count, names.size()))) {
            if (match == null || glob(match, n)) {
                keys.add(n);
            }
        }
        o.writeBytes("*2\r\n".getBytes());
        bulk(o, names.size() > count ? names.get(count) : "");
        array(o, keys);
    }

    /** HSCAN/SSCAN/ZSCAN: an offset cursor over the flat items, {@code per} items an element. */
    private static void page(ByteArrayOutputStream o, List<String> flat, int per, List<String> a) {
        int from = Integer.parseInt(a.get(2));
        int count = 10;
        for (int i = 3; i + 1 < a.size(); i += 2) {
            if (a.get(i).equalsIgnoreCase("COUNT")) {
                count = Integer.parseInt(a.get(i + 1));
            }
        }
        int n = flat.size() / per;
        int to = Math.min(n, from + count);
        o.writeBytes("*2\r\n".getBytes());
        bulk(o, to >= n ? "0" : Integer.toString(to));
        array(o, flat.subList(Math.min(from, n) * per, to * per));
    }

    private static void xrange(ByteArrayOutputStream o, List<List<Object>> entries, List<String> a) {
        String start = a.get(2);
        int count = a.size() > 5 && a.get(4).equalsIgnoreCase("COUNT") ? Integer.parseInt(a.get(5)) : Integer.MAX_VALUE;
        List<List<Object>> out = new ArrayList<>();
        for (List<Object> e : entries) {
            if (out.size() < count && (start.equals("-") || compareIds((String) e.get(0), start) >= 0)) {
                out.add(e);
            }
        }
        o.writeBytes(("*" + out.size() + "\r\n").getBytes());
        for (List<Object> e : out) {
            o.writeBytes("*2\r\n".getBytes());
            bulk(o, (String) e.get(0));
            @SuppressWarnings("unchecked")
            List<String> f = (List<String>) e.get(1);
            array(o, f);
        }
    }

    private static int compareIds(String x, String y) {
        String[] p = x.split("-");
        String[] q = y.split("-");
        int c = Long.compareUnsigned(Long.parseUnsignedLong(p[0]), Long.parseUnsignedLong(q[0]));
        return c != 0 ? c : Long.compareUnsigned(Long.parseUnsignedLong(p.length > 1 ? p[1] : "0"), Long.parseUnsignedLong(q.length > 1 ? q[1] : "0"));
    }

    private static boolean glob(String pattern, String s) {
        StringBuilder re = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            re.append(c == '*' ? ".*" : c == '?' ? "." : java.util.regex.Pattern.quote(String.valueOf(c)));
        }
        return s.matches("(?s)" + re);
    }

    private static long norm(long i, int n) {
        return i < 0 ? n + i : i;
    }

    private static String range(String s, long from, long to) {
        int n = s.length();
        int f = (int) Math.max(0, norm(from, n));
        int t = (int) Math.min(n - 1, norm(to, n));
        return f > t ? "" : s.substring(f, t + 1);
    }

    // ---- RESP replies (latin-1: one char, one byte) -------------------------------------------

    private static void simple(ByteArrayOutputStream o, String s) {
        o.writeBytes(("+" + s + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
    }

    private static void error(ByteArrayOutputStream o, String s) {
        o.writeBytes(("-" + s + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
    }

    private static void integer(ByteArrayOutputStream o, long n) {
        o.writeBytes((":" + n + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
    }

    private static byte[] bulkBytes(String s) {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.writeBytes(("$" + b.length + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        o.writeBytes(b);
        o.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
        return o.toByteArray();
    }

    private static void bulk(ByteArrayOutputStream o, String s) {
        o.writeBytes(s == null ? "$-1\r\n".getBytes(StandardCharsets.ISO_8859_1) : bulkBytes(s));
    }

    private static void array(ByteArrayOutputStream o, List<String> items) {
        o.writeBytes(("*" + items.size() + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        for (String s : items) {
            bulk(o, s);
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        server.close();
        for (Socket s : open) {
            s.close();
        }
    }
}
