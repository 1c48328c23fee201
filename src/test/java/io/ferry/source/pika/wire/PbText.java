package io.ferry.source.pika.wire;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Test helper: protobuf text format (the fixtures' decoded.text) as name → values; strings as bytes, messages as maps. */
final class PbText {
    private final String s;
    private int p;

    private PbText(String s) {
        this.s = s;
    }

    static Map<String, List<Object>> parse(String text) {
        PbText t = new PbText(text);
        Map<String, List<Object>> m = t.message();
        if (t.p < t.s.length()) throw new IllegalArgumentException("trailing text at " + t.p + ": " + text);
        return m;
    }

    private Map<String, List<Object>> message() {
        Map<String, List<Object>> m = new LinkedHashMap<>();
        while (true) {
            ws();
            if (p >= s.length() || s.charAt(p) == '}') return m;
            int start = p;
            while (Character.isLetterOrDigit(s.charAt(p)) || s.charAt(p) == '_') p++;
            String name = s.substring(start, p);
            ws();
            Object value;
            if (s.charAt(p) == '{') {
                p++;
                value = message();
                p++; // '}'
            } else {
                p++; // ':'
                ws();
                value = scalar();
            }
            m.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
    }

    private Object scalar() {
        char c = s.charAt(p);
        if (c == '"') return quoted();
        if (c == '<') {
            int end = s.indexOf('>', p);
            String v = s.substring(p, end + 1);
            p = end + 1;
            return v;
        }
        int start = p;
        while (p < s.length() && !Character.isWhitespace(s.charAt(p)) && s.charAt(p) != '}') p++;
        return s.substring(start, p);
    }

    private byte[] quoted() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        p++;
        while (s.charAt(p) != '"') {
            char c = s.charAt(p++);
            if (c != '\\') {
                out.write(c);
                continue;
            }
            char e = s.charAt(p++);
            switch (e) {
                case 'n' -> out.write('\n');
                case 'r' -> out.write('\r');
                case 't' -> out.write('\t');
                case 'x' -> {
                    int start = p;
                    while (p < start + 2 && Character.digit(s.charAt(p), 16) >= 0) p++;
                    out.write(Integer.parseInt(s.substring(start, p), 16));
                }
                default -> {
                    if (e >= '0' && e <= '7') {
                        int v = e - '0';
                        for (int i = 0; i < 2 && s.charAt(p) >= '0' && s.charAt(p) <= '7'; i++) v = v * 8 + (s.charAt(p++) - '0');
                        out.write(v);
                    } else {
                        out.write(e); // \" \' \\
                    }
                }
            }
        }
        p++;
        return out.toByteArray();
    }

    private void ws() {
        while (p < s.length() && Character.isWhitespace(s.charAt(p))) p++;
    }

    // ---- accessors ----

    @SuppressWarnings("unchecked")
    static Map<String, List<Object>> msg(Map<String, List<Object>> m, String name) {
        List<Object> v = m.get(name);
        return v == null ? null : (Map<String, List<Object>>) v.get(0);
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, List<Object>>> msgs(Map<String, List<Object>> m, String name) {
        List<Object> v = m.get(name);
        return v == null ? List.of() : (List<Map<String, List<Object>>>) (List<?>) v;
    }

    static String tok(Map<String, List<Object>> m, String name) {
        List<Object> v = m.get(name);
        return v == null ? null : (String) v.get(0);
    }

    static long num(Map<String, List<Object>> m, String name, long absent) {
        String t = tok(m, name);
        return t == null ? absent : Long.parseLong(t);
    }

    static String str(Map<String, List<Object>> m, String name) {
        List<Object> v = m.get(name);
        return v == null ? null : new String((byte[]) v.get(0), java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    static byte[] bytes(Map<String, List<Object>> m, String name) {
        List<Object> v = m.get(name);
        return v == null ? null : (byte[]) v.get(0);
    }

    /** 3.x names (table_name, partition) or 3.5+/4.0 names (db_name, slot). */
    static String first(Map<String, List<Object>> m, String... names) {
        for (String n : names) if (m.containsKey(n)) return n;
        return null;
    }
}
