package io.ferry.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a Pika recording says its master held ({@code snapshot.expected.json},
 * {@code replication.final.expected.json}), as the keys a Redis target should end with: one type
 * per name under a same-name policy, streams left out (a 3.5 dump has none), keys whose TTL has
 * passed by the wall clock left out (Ferry writes absolute expiry times).
 */
public final class PikaExpected {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Pika's TYPE reports the first of these a name holds. */
    public static final List<String> TYPE_ORDER = List.of("strings", "hashes", "lists", "zsets", "sets", "streams");

    /** A key as the target should hold it: its Redis type, value (as {@link ServerDataset} reads it) and absolute expiry in seconds (or null). */
    public record Key(String type, Object value, Long ttlSeconds) {}

    private PikaExpected() {}

    /**
     * The keys of {@code json} under same-name policy {@code policy} ("first", "suffix", "skip"),
     * without streams, and without keys that expire within a minute of now.
     */
    public static Map<String, Key> read(Path json, String policy) throws IOException {
        return read(json, policy, true);
    }

    /**
     * {@code streamsHoldNames}: a stream counts as one of a name's types when telling names of
     * several types (false for what a 3.5 dump gives: it holds no streams).
     */
    public static Map<String, Key> read(Path json, String policy, boolean streamsHoldNames) throws IOException {
        JsonNode root = JSON.readTree(json.toFile());
        Map<String, List<String>> typesOf = new LinkedHashMap<>();
        for (String t : TYPE_ORDER) {
            if (streamsHoldNames || !t.equals("streams")) {
                root.path("types").path(t).fieldNames().forEachRemaining(k -> typesOf.computeIfAbsent(k, x -> new ArrayList<>()).add(t));
            }
        }
        long now = System.currentTimeMillis() / 1000;
        Map<String, Key> out = new TreeMap<>();
        typesOf.forEach((name, types) -> {
            if (types.size() > 1 && policy.equals("skip")) {
                return;
            }
            for (int i = 0; i < types.size(); i++) {
                String t = types.get(i);
                if (i > 0 && policy.equals("first")) {
                    break;
                }
                String key = i == 0 ? name : name + ":" + redisType(t);
                JsonNode e = root.path("types").path(t).path(name);
                Long ttl = e.path("ttl").isNull() || e.path("ttl").isMissingNode() ? null : e.get("ttl").asLong();
                if (ttl != null && ttl < now + 60 || t.equals("streams")) { // streams are compared apart
                    continue;
                }
                out.put(key, new Key(redisType(t), value(t, e.get("value")), ttl));
            }
        });
        return out;
    }

    /** The names {@code json} holds in several types. */
    public static List<String> multiTypeNames(Path json) throws IOException {
        JsonNode root = JSON.readTree(json.toFile());
        Map<String, Integer> count = new TreeMap<>();
        for (String t : TYPE_ORDER) {
            root.path("types").path(t).fieldNames().forEachRemaining(k -> count.merge(k, 1, Integer::sum));
        }
        return count.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList();
    }

    public static String redisType(String pikaType) {
        return switch (pikaType) {
            case "strings" -> "string";
            case "hashes" -> "hash";
            case "lists" -> "list";
            case "sets" -> "set";
            case "zsets" -> "zset";
            case "streams" -> "stream";
            default -> throw new IllegalArgumentException(pikaType);
        };
    }

    private static Object value(String type, JsonNode v) {
        switch (type) {
            case "strings":
                return v.asText();
            case "lists": {
                List<String> l = new ArrayList<>();
                v.forEach(x -> l.add(x.asText()));
                return l;
            }
            case "sets": {
                List<String> l = new ArrayList<>();
                v.forEach(x -> l.add(x.asText()));
                return Dataset.sorted(l);
            }
            case "hashes": {
                Map<String, String> m = new TreeMap<>();
                v.fields().forEachRemaining(f -> m.put(f.getKey(), f.getValue().asText()));
                return m;
            }
            case "zsets": {
                List<Object> l = new ArrayList<>();
                for (JsonNode p : v) {
                    if (p.isArray()) {
                        l.add(List.of(p.get(0).asText(), Dataset.parseScore(p.get(1).asText())));
                    } else {
                        l.add(List.of(p.get("member").asText(), Double.longBitsToDouble(Long.parseUnsignedLong(p.get("score_bits").asText(), 16))));
                    }
                }
                return Dataset.rank(l);
            }
            default:
                throw new IllegalArgumentException(type);
        }
    }
}
