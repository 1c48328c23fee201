package io.ferry.status;

import io.ferry.status.StatusSnapshot.Field;
import io.ferry.status.StatusSnapshot.Kind;

/** Renders a snapshot in the Prometheus text exposition format, version 0.0.4. */
final class PrometheusText {
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    static final String INFO_METRIC = "ferry_info";

    private PrometheusText() {}

    static String render(StatusSnapshot s) {
        StringBuilder b = new StringBuilder();
        // Strings cannot be sample values: the usual "info" metric carries them as labels of a constant 1.
        StringBuilder labels = new StringBuilder();
        for (Field f : s.fields()) {
            if (f.kind() == Kind.TEXT) {
                labels.append(labels.isEmpty() ? "" : ",").append(f.name()).append("=\"").append(escapeLabel((String) f.value())).append('"');
            }
        }
        if (!labels.isEmpty()) {
            family(b, INFO_METRIC, "gauge", "Ferry's text status fields as labels; the value is always 1.");
            b.append(INFO_METRIC).append('{').append(labels).append("} 1\n");
        }
        for (Field f : s.fields()) {
            if (f.kind() != Kind.TEXT) {
                family(b, f.metricName(), f.kind() == Kind.COUNTER ? "counter" : "gauge", f.help());
                b.append(f.metricName()).append(' ').append(f.text()).append('\n');
            }
        }
        return b.toString();
    }

    private static void family(StringBuilder b, String name, String type, String help) {
        b.append("# HELP ").append(name).append(' ').append(help.replace("\\", "\\\\").replace("\n", "\\n")).append('\n');
        b.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private static String escapeLabel(String v) {
        return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
