package io.ferry.route.twemproxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;

/**
 * Reads one pool of a nutcracker YAML configuration the way nutcracker 0.5 does: defaults
 * {@code hash: fnv1a_64}, {@code distribution: ketama}, {@code redis: false}, {@code redis_db: 0};
 * servers {@code host:port:weight [name]} parsed from the end; then the servers sorted by name,
 * length first (nutcracker sorts them in place to find duplicates, and that order is the one
 * modula's slots follow).
 */
public final class PoolReader {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private PoolReader() {}

    /** {@code twemproxy:PATH:POOL}: the pool, or a one-line refusal. */
    public static Pool parseSpec(String spec) {
        String rest = spec.substring("twemproxy:".length());
        int colon = rest.lastIndexOf(':');
        if (colon <= 0 || colon == rest.length() - 1) {
            throw new TwemproxyConfigException(spec + ": name a pool as twemproxy:PATH/TO/nutcracker.yml:POOL");
        }
        return read(Path.of(rest.substring(0, colon)), rest.substring(colon + 1));
    }

    public static Pool read(Path file, String pool) {
        JsonNode root;
        try {
            root = YAML.readTree(Files.readString(file, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            throw new TwemproxyConfigException("cannot read the nutcracker configuration " + file + ": no such file");
        } catch (IOException e) {
            throw new TwemproxyConfigException("cannot read the nutcracker configuration " + file + ": " + firstLine(e.getMessage()));
        }
        String where = "twemproxy:" + file + ":" + pool;
        if (root == null || !root.isObject()) {
            throw new TwemproxyConfigException(where + ": " + file + " holds no pools (a YAML map of pool name to settings)");
        }
        JsonNode p = root.get(pool);
        if (p == null || !p.isObject()) {
            List<String> names = new ArrayList<>();
            root.fieldNames().forEachRemaining(names::add);
            throw new TwemproxyConfigException(where + ": no pool '" + pool + "' in " + file + " (it has: " + String.join(", ", names) + ")");
        }
        if (!bool(p, "redis", where)) {
            throw new TwemproxyConfigException(where + ": a memcached pool (no 'redis: true'); Ferry writes Redis pools only");
        }
        String dist = text(p, "distribution", "ketama", where);
        if (dist.equals("random")) {
            throw new TwemproxyConfigException(where + ": distribution 'random' sends each request to any server, so no key has a home "
                    + "Ferry could write it to; use ketama or modula");
        }
        if (!dist.equals("ketama") && !dist.equals("modula")) {
            throw new TwemproxyConfigException(where + ": unknown distribution '" + dist + "' (nutcracker knows ketama, modula, random)");
        }
        String hashName = text(p, "hash", "fnv1a_64", where);
        KeyHash hash = KeyHash.byName(hashName);
        if (hash == null) {
            throw new TwemproxyConfigException(where + ": unknown hash '" + hashName + "' (nutcracker knows " + KeyHash.names() + ")");
        }
        byte[] tag = null;
        if (p.hasNonNull("hash_tag")) {
            tag = p.get("hash_tag").asText().getBytes(StandardCharsets.UTF_8);
            if (tag.length != 2) {
                throw new TwemproxyConfigException(where + ": hash_tag must be two characters, like \"{}\"");
            }
        }
        int db = p.hasNonNull("redis_db") ? number(p, "redis_db", where) : 0;
        String auth = p.hasNonNull("redis_auth") ? p.get("redis_auth").asText() : null;
        if (auth != null && db != 0) {
            // nutcracker 0.5 sends its SELECT before its AUTH, which the backend refuses: such a pool
            // reads and writes db 0, whatever redis_db says (twemproxy issue 457), unless patched.
            throw new TwemproxyConfigException(where + ": redis_db " + db + " together with redis_auth: nutcracker 0.5 then uses db 0 "
                    + "(its SELECT goes before its AUTH and is refused), so which db your proxy reads is unclear; remove redis_db or set it to 0");
        }
        List<Server> servers = servers(p.get("servers"), where);
        servers.sort(Comparator.comparingInt((Server s) -> utf8(s.name()).length)
                .thenComparing((a, b) -> Arrays.compareUnsigned(utf8(a.name()), utf8(b.name()))));
        for (int i = 1; i < servers.size(); i++) {
            if (servers.get(i).name().equals(servers.get(i - 1).name())) {
                throw new TwemproxyConfigException(where + ": two servers named '" + servers.get(i).name() + "' (nutcracker refuses this too)");
            }
        }
        List<Server> fixed = List.copyOf(servers);
        return new Pool(file.toString(), pool, fixed, hash, tag, dist, Distribution.of(dist, fixed), auth, db, bool(p, "auto_eject_hosts", where));
    }

    private static List<Server> servers(JsonNode list, String where) {
        if (list == null || !list.isArray() || list.isEmpty()) {
            throw new TwemproxyConfigException(where + ": the pool has no servers");
        }
        List<Server> out = new ArrayList<>();
        for (Iterator<JsonNode> it = list.elements(); it.hasNext(); ) {
            out.add(server(it.next().asText(), where));
        }
        return out;
    }

    /** {@code host:port:weight [name]}, read from the end as nutcracker does. */
    static Server server(String entry, String where) {
        String s = entry.trim();
        if (s.startsWith("/")) {
            throw new TwemproxyConfigException(where + ": server '" + s + "' is a unix socket; Ferry reaches backends over TCP only");
        }
        String name = null;
        int space = s.lastIndexOf(' ');
        if (space >= 0) {
            name = s.substring(space + 1);
            s = s.substring(0, space);
        }
        int w = s.lastIndexOf(':');
        int p = w > 0 ? s.lastIndexOf(':', w - 1) : -1;
        if (p <= 0) {
            throw new TwemproxyConfigException(where + ": server '" + entry + "' is not host:port:weight [name]");
        }
        String host = s.substring(0, p);
        int port = parse(s.substring(p + 1, w));
        int weight = parse(s.substring(w + 1));
        if (port < 1 || port > 65535) {
            throw new TwemproxyConfigException(where + ": server '" + entry + "' has an invalid port");
        }
        if (weight < 1) {
            throw new TwemproxyConfigException(where + ": server '" + entry + "' needs a weight of at least 1");
        }
        if (name == null) {
            name = port == 11211 ? host : host + ":" + port; // libmemcached's ketama names
        }
        return new Server(host, port, weight, name);
    }

    private static int parse(String digits) {
        if (digits.isEmpty() || !digits.chars().allMatch(Character::isDigit) || digits.length() > 9) {
            return -1;
        }
        return Integer.parseInt(digits);
    }

    private static boolean bool(JsonNode p, String field, String where) {
        JsonNode v = p.get(field);
        if (v == null || v.isNull()) {
            return false;
        }
        String t = v.asText();
        if (t.equals("true") || t.equals("false")) {
            return t.equals("true");
        }
        throw new TwemproxyConfigException(where + ": " + field + " must be true or false, not '" + t + "'");
    }

    private static String text(JsonNode p, String field, String dflt, String where) {
        JsonNode v = p.get(field);
        return v == null || v.isNull() ? dflt : v.asText();
    }

    private static int number(JsonNode p, String field, String where) {
        int n = parse(p.get(field).asText());
        if (n < 0) {
            throw new TwemproxyConfigException(where + ": " + field + " must be a number");
        }
        return n;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String firstLine(String m) {
        return m == null ? "" : m.split("\r?\n")[0];
    }
}
