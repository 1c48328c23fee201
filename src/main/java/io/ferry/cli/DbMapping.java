package io.ferry.cli;

import java.util.HashMap;
import java.util.Map;
import io.ferry.filter.DbMap;

/** Source db → target db: identity, a forced db, or an explicit map like {@code 0=0,1=5}. */
final class DbMapping {
    private DbMapping() {}

    static DbMap of(String map, Integer targetDb) {
        if (targetDb != null && map != null) {
            throw new IllegalArgumentException("--target-db and --db-map cannot be combined");
        }
        if (targetDb != null) {
            return DbMap.forced(targetDb);
        }
        if (map == null || map.isBlank()) {
            return DbMap.IDENTITY;
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
        return DbMap.of(m);
    }
}
