package io.ferry.target;

import io.ferry.resp.RedisConnection;
import io.ferry.resp.Reply;
import java.util.List;

/** How many dbs a server has: {@code CONFIG GET databases}, or where CONFIG is denied, SELECT probes. */
final class Databases {
    private static final int MOST = 1 << 16;

    private Databases() {}

    static int count(RedisConnection c) {
        Reply r = c.call("CONFIG", "GET", "databases");
        if (!r.isError()) {
            List<Reply> kv = r.asList();
            if (kv.size() == 2) {
                return Integer.parseInt(kv.get(1).asString());
            }
        }
        // Managed services often rename CONFIG away; SELECT accepts exactly 0..databases-1.
        int lo = 1;
        int hi = MOST;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (c.call("SELECT", Integer.toString(mid - 1)).isError()) {
                hi = mid - 1;
            } else {
                lo = mid;
            }
        }
        Integer db = c.uri().db();
        c.call("SELECT", Integer.toString(db == null ? 0 : db));
        return lo;
    }
}
