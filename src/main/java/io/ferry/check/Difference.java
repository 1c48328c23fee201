package io.ferry.check;

import java.util.Map;

/**
 * One key that differs, with what each side holds: {@code source}/{@code target} are small maps of details (type,
 * size, ttl_ms, the first differing field, member, index or entry and its value there), null for the side that lacks
 * the key.
 */
public record Difference(int db, byte[] key, Kind kind, Map<String, Object> source, Map<String, Object> target) {
    public DbKey dbKey() {
        return new DbKey(db, key);
    }
}
