package io.ferry.check;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.ferry.target.Utf8;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * The check's output: a summary table for the terminal and a JSON report listing every difference. Byte strings
 * (keys, fields, values) are JSON strings when they are valid UTF-8, otherwise {@code {"base64": "…"}}; values in
 * details are cut to {@value #MAX_VALUE_BYTES} bytes (with {@code "truncated": true}).
 */
public final class Report {
    static final int MAX_VALUE_BYTES = 256;
    private static final String[] COLUMNS = {"checked", "missing", "extra", "type", "size", "value", "ttl"};

    private Report() {}

    /** The summary table: one row per db and a total. */
    public static String table(CheckResult r) {
        StringBuilder b = new StringBuilder();
        b.append(String.format("%-6s", "db"));
        for (String c : COLUMNS) {
            b.append(String.format(" %12s", c));
        }
        b.append('\n');
        long[] total = new long[COLUMNS.length];
        Map<Integer, long[]> counts = r.countsPerDb();
        for (Map.Entry<Integer, long[]> e : counts.entrySet()) {
            long[] row = row(r.checked().getOrDefault(e.getKey(), 0L), e.getValue());
            b.append(String.format("%-6d", e.getKey()));
            for (int i = 0; i < row.length; i++) {
                b.append(String.format(" %,12d", row[i]));
                total[i] += row[i];
            }
            b.append('\n');
        }
        b.append(String.format("%-6s", "total"));
        for (long t : total) {
            b.append(String.format(" %,12d", t));
        }
        b.append('\n');
        return b.toString();
    }

    private static long[] row(long checked, long[] kinds) {
        long[] row = new long[COLUMNS.length];
        row[0] = checked;
        for (Kind k : Kind.values()) {
            row[1 + k.ordinal()] = kinds[k.ordinal()];
        }
        return row;
    }

    /** Writes the JSON report: what was compared, the summary, and every difference. */
    public static void writeJson(Path file, String source, String target, CheckOptions opt, CheckResult r) throws IOException {
        try (JsonGenerator g = new JsonFactory().createGenerator(file.toFile(), JsonEncoding.UTF8)) {
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            g.writeStringField("source", source);
            g.writeStringField("target", target);
            g.writeStringField("level", opt.level().label());
            g.writeNumberField("ttl_tolerance_ms", opt.ttlToleranceMs());
            g.writeNumberField("rounds", r.rounds());
            g.writeNumberField("seconds", Math.round(r.seconds() * 1000) / 1000.0);
            g.writeBooleanField("identical", r.identical());
            g.writeObjectFieldStart("summary");
            writeCounts(g, r.checkedTotal(), totals(r));
            g.writeNumberField("not_listed", r.overflowed());
            g.writeObjectFieldStart("dbs");
            for (Map.Entry<Integer, long[]> e : r.countsPerDb().entrySet()) {
                g.writeObjectFieldStart(Integer.toString(e.getKey()));
                writeCounts(g, r.checked().getOrDefault(e.getKey(), 0L), e.getValue());
                g.writeEndObject();
            }
            g.writeEndObject();
            g.writeEndObject();
            if (!r.notes().isEmpty()) {
                g.writeObjectFieldStart("source_notes"); // counts that are not differences (a Pika source)
                for (Map.Entry<String, Long> e : r.notes().entrySet()) {
                    g.writeNumberField(e.getKey(), e.getValue());
                }
                g.writeEndObject();
            }
            g.writeArrayFieldStart("differences");
            for (Difference d : r.differences()) {
                g.writeStartObject();
                g.writeNumberField("db", d.db());
                g.writeFieldName("key");
                writeBytes(g, d.key(), Integer.MAX_VALUE);
                g.writeStringField("kind", d.kind().label());
                g.writeFieldName("source");
                writeValue(g, d.source());
                g.writeFieldName("target");
                writeValue(g, d.target());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
    }

    private static long[] totals(CheckResult r) {
        long[] t = new long[Kind.values().length];
        for (long[] c : r.countsPerDb().values()) {
            for (int i = 0; i < c.length; i++) {
                t[i] += c[i];
            }
        }
        return t;
    }

    private static void writeCounts(JsonGenerator g, long checked, long[] kinds) throws IOException {
        g.writeNumberField("checked", checked);
        long all = 0;
        for (Kind k : Kind.values()) {
            g.writeNumberField(k.label(), kinds[k.ordinal()]);
            all += kinds[k.ordinal()];
        }
        g.writeNumberField("differences", all);
    }

    private static void writeValue(JsonGenerator g, Object v) throws IOException {
        if (v == null) {
            g.writeNull();
        } else if (v instanceof byte[] b) {
            writeBytes(g, b, MAX_VALUE_BYTES);
        } else if (v instanceof Map<?, ?> m) {
            g.writeStartObject();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                g.writeFieldName(String.valueOf(e.getKey()));
                writeValue(g, e.getValue());
            }
            g.writeEndObject();
        } else if (v instanceof List<?> l) {
            g.writeStartArray();
            for (Object x : l) {
                writeValue(g, x);
            }
            g.writeEndArray();
        } else if (v instanceof Long || v instanceof Integer) {
            g.writeNumber(((Number) v).longValue());
        } else if (v instanceof Double d) {
            if (d.isInfinite() || d.isNaN()) {
                g.writeString(d.toString());
            } else {
                g.writeNumber(d);
            }
        } else if (v instanceof Boolean b) {
            g.writeBoolean(b);
        } else {
            g.writeString(v.toString());
        }
    }

    private static void writeBytes(JsonGenerator g, byte[] b, int max) throws IOException {
        boolean cut = b.length > max;
        int end = max;
        while (cut && end > 0 && (b[end] & 0xc0) == 0x80) {
            end--; // cut at a character boundary
        }
        byte[] shown = cut ? Arrays.copyOf(b, end) : b;
        boolean text = Utf8.isValid(shown);
        if (!cut && text) {
            g.writeString(new String(shown, java.nio.charset.StandardCharsets.UTF_8));
            return;
        }
        g.writeStartObject();
        if (text) {
            g.writeStringField("text", new String(shown, java.nio.charset.StandardCharsets.UTF_8));
        } else {
            g.writeStringField("base64", Base64.getEncoder().encodeToString(shown));
        }
        if (cut) {
            g.writeBooleanField("truncated", true);
            g.writeNumberField("bytes", b.length);
        }
        g.writeEndObject();
    }
}
