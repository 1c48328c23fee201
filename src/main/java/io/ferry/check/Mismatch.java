package io.ferry.check;

import java.util.LinkedHashMap;
import java.util.Map;

/** Where two values first differ: what the source and the target hold there. */
record Mismatch(Map<String, Object> source, Map<String, Object> target) {
    static Mismatch of(String what, Object where, Object sourceValue, Object targetValue) {
        return of(what, where, "value", sourceValue, targetValue);
    }

    /** {@code {what: where, field: value}} on each side; a null value is written as null (absent there). */
    static Mismatch of(String what, Object where, String field, Object sourceValue, Object targetValue) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put(what, where);
        s.put(field, sourceValue);
        Map<String, Object> t = new LinkedHashMap<>();
        t.put(what, where);
        t.put(field, targetValue);
        return new Mismatch(s, t);
    }

    /** The key changed type or vanished while its value was being read (settles in a later round). */
    static Mismatch changed(String side) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("note", "the key changed on the " + side + " while it was being compared");
        return new Mismatch(m, m);
    }
}
