package io.ferry.cli;

import java.util.HashMap;
import java.util.Map;
import java.util.function.IntUnaryOperator;

/** Source db → target db: identity, a forced db, or an explicit map like {@code 0=0,1=5}. */
final class DbMapping {
    private DbMapping() {}

    static IntUnaryOperator of(String map, Integer targetDb) {
        if (targetDb != null && map != null) {
            throw new IllegalArgumentException("--target-db and --db-map cannot be combined");
        }
        if (targetDb != null) {
            int t = targetDb;
            return db -> t;
        }
        if (map == null || map.isBlank()) {
            return IntUnaryOperator.identity();
        }
        Map<Integer, Integer> m = new HashMap<>();
        for (String pair : map.split(",")) {
            String[] kv = pair.trim().split("=");
            try {
                m.put(Integer.parseInt(kv[0].trim()), Integer.parseInt(kv[1].trim()));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("invalid --db-map entry '" + pair + "' (expected SOURCE=TARGET, e.g. 0=0,1=5)");
            }
        }
        return db -> m.getOrDefault(db, db);
    }
}
