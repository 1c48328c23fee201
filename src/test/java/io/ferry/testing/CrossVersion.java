package io.ferry.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * "The target holds exactly the source's keys" between servers of different versions: stream
 * counters that only one side keeps (first id, entries-added, entries-read: 7.0+) are left out,
 * and expiries agree within a tolerance (a server before 7.0 has no PEXPIRETIME, so an expiry is
 * read as now + PTTL).
 */
public final class CrossVersion {
    private static final List<String> STREAM_COUNTERS = List.of("first_id", "max_deleted_entry_id", "entries_added");

    private CrossVersion() {}

    public static void assertSame(Dataset source, Dataset target, long ttlToleranceMs) {
        assertThat(target.functions).as("function libraries").isEqualTo(source.functions);
        assertThat(target.dbs.keySet()).as("databases").isEqualTo(source.dbs.keySet());
        source.dbs.forEach((db, keys) -> {
            Map<String, Dataset.KeyData> t = target.dbs.get(db);
            assertThat(t.keySet()).as("keys of db %d", db).isEqualTo(keys.keySet());
            keys.forEach((k, sv) -> {
                Dataset.KeyData tv = t.get(k);
                String what = "db " + db + " key " + k;
                assertThat(tv.type()).as(what + " type").isEqualTo(sv.type());
                assertThat(comparable(tv.value(), sv.value())).as(what).isEqualTo(comparable(sv.value(), tv.value()));
                assertThat(tv.fieldTtls()).as(what + " field TTLs").isEqualTo(sv.fieldTtls());
                if (sv.expireAtMs() == null) {
                    assertThat(tv.expireAtMs()).as(what + " has no TTL").isNull();
                } else {
                    assertThat(tv.expireAtMs()).as(what + " expiry").isNotNull().isCloseTo(sv.expireAtMs(), within(ttlToleranceMs));
                }
            });
        });
    }

    /** {@code value}, with the stream counters {@code other} lacks blanked. */
    @SuppressWarnings("unchecked")
    private static Object comparable(Object value, Object other) {
        if (!(value instanceof Map<?, ?> m) || !m.containsKey("entries") || !(other instanceof Map<?, ?> o)) {
            return value;
        }
        Map<String, Object> s = new LinkedHashMap<>((Map<String, Object>) m);
        for (String c : STREAM_COUNTERS) {
            if (s.get(c) == null || o.get(c) == null) {
                s.put(c, null);
            }
        }
        List<Object> groups = new ArrayList<>();
        for (Object g : (List<Object>) s.get("groups")) {
            Map<String, Object> gm = new LinkedHashMap<>((Map<String, Object>) g);
            gm.put("entries_read", null); // 7.0+ only, and estimated by the server when unknown
            groups.add(gm);
        }
        s.put("groups", groups);
        return s;
    }
}
