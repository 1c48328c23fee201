package io.ferry.filter;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntUnaryOperator;

/**
 * Source db → target db: identity, one forced db ({@code --target-db}), or explicit pairs
 * ({@code --db-map 0=0,1=5}); and, with {@code --db-prefix 1=db1:}, dbs whose keys go into target
 * db 0 under a name prefix (for a target with one db: a cluster, a twemproxy pool).
 */
public final class DbMap implements IntUnaryOperator {
    public static final DbMap IDENTITY = new DbMap(new TreeMap<>(), null, new TreeMap<>());

    private final TreeMap<Integer, Integer> pairs;
    private final Integer forced;
    private final TreeMap<Integer, byte[]> prefixes;

    private DbMap(TreeMap<Integer, Integer> pairs, Integer forced, TreeMap<Integer, byte[]> prefixes) {
        this.pairs = pairs;
        this.forced = forced;
        this.prefixes = prefixes;
    }

    public static DbMap forced(int targetDb) {
        return new DbMap(new TreeMap<>(), targetDb, new TreeMap<>());
    }

    public static DbMap of(Map<Integer, Integer> pairs) {
        return new DbMap(new TreeMap<>(pairs), null, new TreeMap<>());
    }

    /**
     * {@code pairs} as {@link #of}, plus source dbs written into target db 0 with their keys
     * prefixed (an empty prefix: db 0 as it is). A db may not be in both; no two dbs may share a
     * prefix (their keys would be one name).
     */
    public static DbMap of(Map<Integer, Integer> pairs, Map<Integer, byte[]> prefixes) {
        for (int db : prefixes.keySet()) {
            if (pairs.containsKey(db)) {
                throw new IllegalArgumentException("db " + db + " is in both --db-prefix and --db-map: give it one of them");
            }
        }
        Map<String, Integer> seen = new java.util.HashMap<>();
        for (var e : prefixes.entrySet()) {
            Integer other = seen.put(new String(e.getValue(), StandardCharsets.ISO_8859_1), e.getKey());
            if (other != null) {
                throw new IllegalArgumentException("--db-prefix gives dbs " + other + " and " + e.getKey() + " the same prefix '"
                        + new String(e.getValue(), StandardCharsets.UTF_8) + "': their keys would be one name");
            }
        }
        TreeMap<Integer, byte[]> p = new TreeMap<>();
        prefixes.forEach((db, b) -> p.put(db, b.clone()));
        return new DbMap(new TreeMap<>(pairs), null, p);
    }

    @Override
    public int applyAsInt(int db) {
        if (forced != null) {
            return forced;
        }
        return prefixes.containsKey(db) ? 0 : pairs.getOrDefault(db, db);
    }

    /** The prefix of source db {@code db}'s keys, or null when the db is not listed in {@code --db-prefix}. */
    public byte[] prefix(int db) {
        return prefixes.get(db);
    }

    /** Whether some db is written under a prefix (an empty one included). */
    public boolean prefixes() {
        return !prefixes.isEmpty();
    }

    /** Source db {@code db}'s key {@code key} as named on the target. */
    public byte[] targetKey(int db, byte[] key) {
        byte[] p = prefixes.get(db);
        return p == null || p.length == 0 ? key : concat(p, key);
    }

    /** A source db's key. */
    public record SourceName(int db, byte[] key) {}

    /**
     * The source (db, key) that target db {@code targetDb}'s key {@code key} was written from: the
     * db of the longest prefix it starts with; a name no prefix claims is the db's own (or that of
     * the db given an empty prefix).
     */
    public SourceName sourceOf(int targetDb, byte[] key) {
        if (targetDb != 0 || forced != null) {
            return new SourceName(targetDb, key);
        }
        int best = -1;
        int bestLength = -1;
        for (var e : prefixes.entrySet()) {
            byte[] p = e.getValue();
            if (p.length > bestLength && p.length <= key.length && java.util.Arrays.equals(p, 0, p.length, key, 0, p.length)) {
                best = e.getKey();
                bestLength = p.length;
            }
        }
        return best < 0 ? new SourceName(0, key) : new SourceName(best, java.util.Arrays.copyOfRange(key, bestLength, key.length));
    }

    /** The prefixed dbs, in db order. */
    public Map<Integer, byte[]> prefixMap() {
        return java.util.Collections.unmodifiableMap(prefixes);
    }

    public static byte[] concat(byte[] a, byte[] b) {
        byte[] r = new byte[a.length + b.length];
        System.arraycopy(a, 0, r, 0, a.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    /** A stable text form (what a checkpoint records of the mapping that shaped the target). */
    public String describe() {
        String base = forced != null ? "target-db " + forced : pairs.isEmpty() ? "same dbs" : "db-map " + pairs;
        if (prefixes.isEmpty()) {
            return base; // unchanged, so checkpoints written before --db-prefix existed still match
        }
        StringBuilder s = new StringBuilder(base).append("; db-prefix {");
        String sep = "";
        for (var e : prefixes.entrySet()) {
            s.append(sep).append(e.getKey()).append("=").append(java.util.HexFormat.of().formatHex(e.getValue()));
            sep = ", ";
        }
        return s.append("}").toString();
    }

    @Override
    public String toString() {
        return describe();
    }
}
