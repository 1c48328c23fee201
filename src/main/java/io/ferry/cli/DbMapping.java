package io.ferry.cli;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import io.ferry.filter.DbMap;

/** Source db → target db: identity, a forced db, an explicit map like {@code 0=0,1=5}, and prefixed dbs like {@code 1=db1:}. */
final class DbMapping {
    private DbMapping() {}

    static DbMap of(String map, Integer targetDb) {
        return of(map, targetDb, null);
    }

    static DbMap of(String map, Integer targetDb, String prefixes) {
        if (targetDb != null && map != null) {
            throw new IllegalArgumentException("--target-db and --db-map cannot be combined");
        }
        boolean prefixed = prefixes != null && !prefixes.isBlank();
        if (targetDb != null && prefixed) {
            throw new IllegalArgumentException("--target-db and --db-prefix cannot be combined (--target-db names the db of every source db)");
        }
        if (targetDb != null) {
            return DbMap.forced(targetDb);
        }
        Map<Integer, Integer> m = new HashMap<>();
        if (map != null && !map.isBlank()) {
            for (String pair : map.split(",")) {
                String[] kv = pair.trim().split("=");
                try {
                    m.put(Integer.parseInt(kv[0].trim()), Integer.parseInt(kv[1].trim()));
                } catch (RuntimeException e) {
                    throw new IllegalArgumentException("invalid --db-map entry '" + pair + "' (expected SOURCE=TARGET, e.g. 0=0,1=5)");
                }
            }
        }
        if (!prefixed) {
            return m.isEmpty() ? DbMap.IDENTITY : DbMap.of(m);
        }
        Map<Integer, byte[]> p = new HashMap<>();
        // A prefix is taken as written (no trimming): "0=" is db 0 unprefixed, "1= x" keeps the space.
        for (String entry : prefixes.split(",", -1)) {
            int eq = entry.indexOf('=');
            int db;
            try {
                db = Integer.parseInt(entry.substring(0, Math.max(0, eq)).trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("invalid --db-prefix entry '" + entry + "' (expected DB=PREFIX, e.g. 1=db1:,2=db2:)");
            }
            if (db < 0 || p.put(db, entry.substring(eq + 1).getBytes(StandardCharsets.UTF_8)) != null) {
                throw new IllegalArgumentException("invalid --db-prefix entry '" + entry + "' (db " + db + (db < 0 ? " is negative)" : " is listed twice)"));
            }
        }
        return DbMap.of(m, p);
    }
}
