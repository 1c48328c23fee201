package io.ferry.check;

import io.ferry.rdb.ValueType;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Compares two whole values of the same type (in {@link KeyState}'s normalized forms); null when equal. */
final class Values {
    /** Bytes of a string shown around the first difference. */
    static final int EXCERPT = 64;

    private Values() {}

    @SuppressWarnings("unchecked")
    static Mismatch compare(ValueType type, Object s, Object t) {
        return switch (type) {
            case STRING -> strings((byte[]) s, (byte[]) t, 0);
            case LIST -> lists((List<byte[]>) s, (List<byte[]>) t, 0);
            case SET -> sets((Set<Bytes>) s, (Set<Bytes>) t);
            case HASH -> hashes((Map<Bytes, Bytes>) s, (Map<Bytes, Bytes>) t);
            case ZSET -> zsets((Map<Bytes, Double>) s, (Map<Bytes, Double>) t);
            case STREAM -> streams((List<StreamEntry>) s, (List<StreamEntry>) t);
            case MODULE, ARRAY -> null;
        };
    }

    /** Two windows of a string starting at byte {@code offset}. */
    static Mismatch strings(byte[] s, byte[] t, long offset) {
        int at = Arrays.mismatch(s, t);
        if (at < 0) {
            return null;
        }
        return Mismatch.of("offset", offset + at, excerpt(s, at), excerpt(t, at));
    }

    private static byte[] excerpt(byte[] b, int from) {
        return from >= b.length ? new byte[0] : Arrays.copyOfRange(b, from, Math.min(b.length, from + EXCERPT));
    }

    /** Two windows of a list starting at index {@code start}. */
    static Mismatch lists(List<byte[]> s, List<byte[]> t, long start) {
        int n = Math.max(s.size(), t.size());
        for (int i = 0; i < n; i++) {
            byte[] a = i < s.size() ? s.get(i) : null;
            byte[] b = i < t.size() ? t.get(i) : null;
            if (a == null || b == null || !Arrays.equals(a, b)) {
                return Mismatch.of("index", start + i, a, b);
            }
        }
        return null;
    }

    static Mismatch sets(Set<Bytes> s, Set<Bytes> t) {
        for (Bytes m : s) {
            if (!t.contains(m)) {
                return Mismatch.of("member", m.b, "present", true, false);
            }
        }
        for (Bytes m : t) {
            if (!s.contains(m)) {
                return Mismatch.of("member", m.b, "present", false, true);
            }
        }
        return null;
    }

    static Mismatch hashes(Map<Bytes, Bytes> s, Map<Bytes, Bytes> t) {
        for (Map.Entry<Bytes, Bytes> e : s.entrySet()) {
            Bytes other = t.get(e.getKey());
            if (other == null || !other.equals(e.getValue())) {
                return Mismatch.of("field", e.getKey().b, e.getValue().b, other == null ? null : other.b);
            }
        }
        for (Map.Entry<Bytes, Bytes> e : t.entrySet()) {
            if (!s.containsKey(e.getKey())) {
                return Mismatch.of("field", e.getKey().b, null, e.getValue().b);
            }
        }
        return null;
    }

    static Mismatch zsets(Map<Bytes, Double> s, Map<Bytes, Double> t) {
        for (Map.Entry<Bytes, Double> e : s.entrySet()) {
            Double other = t.get(e.getKey());
            if (other == null || !Scores.same(other, e.getValue())) {
                return Mismatch.of("member", e.getKey().b, "score", e.getValue(), other);
            }
        }
        for (Map.Entry<Bytes, Double> e : t.entrySet()) {
            if (!s.containsKey(e.getKey())) {
                return Mismatch.of("member", e.getKey().b, "score", null, e.getValue());
            }
        }
        return null;
    }

    /** Entries compared by id: the first id where the two sides hold different fields (or only one has it). */
    static Mismatch streams(List<StreamEntry> s, List<StreamEntry> t) {
        int i = 0;
        int j = 0;
        while (i < s.size() || j < t.size()) {
            StreamEntry a = i < s.size() ? s.get(i) : null;
            StreamEntry b = j < t.size() ? t.get(j) : null;
            int c = a == null ? 1 : b == null ? -1 : io.ferry.rdb.StreamId.parse(a.id()).compareTo(io.ferry.rdb.StreamId.parse(b.id()));
            if (c < 0) {
                return Mismatch.of("entry", a.id(), "fields", a.fields(), null);
            }
            if (c > 0) {
                return Mismatch.of("entry", b.id(), "fields", null, b.fields());
            }
            if (!a.sameAs(b)) {
                return Mismatch.of("entry", a.id(), "fields", a.fields(), b.fields());
            }
            i++;
            j++;
        }
        return null;
    }

    /** Last generated id, then each group's name, last-delivered-id and pending count. */
    static Mismatch streamInfo(StreamInfo s, StreamInfo t) {
        if (s == null || t == null) {
            return null;
        }
        if (s.lastId() != null && t.lastId() != null && !s.lastId().equals(t.lastId())) {
            return Mismatch.of("stream", "last-generated-id", s.lastId(), t.lastId());
        }
        Map<Bytes, StreamInfo.Group> tg = new LinkedHashMap<>();
        for (StreamInfo.Group g : t.groups()) {
            tg.put(new Bytes(g.name()), g);
        }
        for (StreamInfo.Group g : s.groups()) {
            StreamInfo.Group o = tg.remove(new Bytes(g.name()));
            if (o == null) {
                return Mismatch.of("group", g.name(), "last_delivered_id", g.lastDeliveredId(), null);
            }
            if (!g.lastDeliveredId().equals(o.lastDeliveredId())) {
                return Mismatch.of("group", g.name(), "last_delivered_id", g.lastDeliveredId(), o.lastDeliveredId());
            }
            if (g.pending() != o.pending()) {
                return Mismatch.of("group", g.name(), "pending", g.pending(), o.pending());
            }
        }
        if (!tg.isEmpty()) {
            StreamInfo.Group o = tg.values().iterator().next();
            return Mismatch.of("group", o.name(), "last_delivered_id", null, o.lastDeliveredId());
        }
        return null;
    }
}
