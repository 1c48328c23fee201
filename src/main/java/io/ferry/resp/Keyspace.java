package io.ferry.resp;

import java.util.Map;
import java.util.TreeMap;

/** The {@code # Keyspace} section of INFO: db → number of keys. */
public final class Keyspace {
    private Keyspace() {}

    /** The dbs that hold keys, with their counts (from {@code INFO keyspace}). */
    public static Map<Integer, Long> parse(String info) {
        Map<Integer, Long> out = new TreeMap<>();
        for (String line : info.split("\r?\n")) {
            if (!line.startsWith("db")) {
                continue;
            }
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            try {
                int db = Integer.parseInt(line.substring(2, colon));
                long keys = 0;
                for (String kv : line.substring(colon + 1).split(",")) {
                    if (kv.startsWith("keys=")) {
                        keys = Long.parseLong(kv.substring(5).trim());
                    }
                }
                if (keys > 0) {
                    out.put(db, keys);
                }
            } catch (NumberFormatException ignored) {
                // not a db line
            }
        }
        return out;
    }
}
