package io.ferry.status;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One immutable reading of a job's status, in the order its fields were added. The same fields are
 * served as JSON ({@code /status}), Prometheus metrics ({@code /metrics}) and Redis {@code INFO}.
 *
 * <pre>{@code
 * StatusSnapshot.builder()
 *     .text("state", "incremental")
 *     .text("source", sourceUri.redacted())
 *     .counter("ops_applied", stats.ops(), "Replication stream commands applied on the target.")
 *     .gauge("lag_seconds", lagSeconds, "Seconds between the newest source write and the last one applied.")
 *     .flag("second_full_sync_allowed", allowed, "Whether a lost stream may trigger another full sync.")
 *     .build();
 * }</pre>
 *
 * Names are lower-case {@code snake_case} so they are valid INFO keys, JSON names and Prometheus metric
 * names alike; metrics get the {@code ferry_} prefix and counters the {@code _total} suffix.
 */
public final class StatusSnapshot {
    /** How a field is exposed as a metric. */
    public enum Kind {
        /** A string: a label of the {@code ferry_info} metric. */
        TEXT,
        /** A boolean: a 0/1 gauge. */
        FLAG,
        /** A number that may go up and down. */
        GAUGE,
        /** A number that only grows while the process lives. */
        COUNTER
    }

    /** One named value; {@code help} is empty for text fields. */
    public record Field(String name, Kind kind, Object value, String help) {
        /** The value as INFO and the metrics text show it: booleans as 1/0, numbers without exponent or trailing zeros. */
        String text() {
            if (value instanceof Boolean b) {
                return b ? "1" : "0";
            }
            if (value instanceof Double || value instanceof Float) {
                double d = ((Number) value).doubleValue();
                if (Double.isNaN(d)) {
                    return "NaN";
                }
                if (Double.isInfinite(d)) {
                    return d > 0 ? "+Inf" : "-Inf";
                }
                return BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
            }
            return value.toString();
        }

        /** The Prometheus name; text fields all live in {@code ferry_info}. */
        String metricName() {
            return switch (kind) {
                case TEXT -> PrometheusText.INFO_METRIC;
                case COUNTER -> name.endsWith("_total") ? "ferry_" + name : "ferry_" + name + "_total";
                case FLAG, GAUGE -> "ferry_" + name;
            };
        }
    }

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]*");

    private final List<Field> fields;
    private final Map<String, Object> values;

    private StatusSnapshot(List<Field> fields) {
        this.fields = List.copyOf(fields);
        Map<String, Object> m = new LinkedHashMap<>();
        for (Field f : fields) {
            m.put(f.name(), f.value());
        }
        this.values = Collections.unmodifiableMap(m);
    }

    public static Builder builder() {
        return new Builder();
    }

    public List<Field> fields() {
        return fields;
    }

    /** Name → value (String, Number or Boolean), in insertion order. */
    public Map<String, Object> values() {
        return values;
    }

    public static final class Builder {
        private final List<Field> fields = new ArrayList<>();
        private final Set<String> names = new HashSet<>();
        private final Set<String> metricNames = new HashSet<>();

        private Builder() {}

        public Builder text(String name, String value) {
            return add(new Field(name, Kind.TEXT, Objects.requireNonNull(value, name), ""));
        }

        public Builder flag(String name, boolean value, String help) {
            return add(new Field(name, Kind.FLAG, value, help));
        }

        public Builder gauge(String name, Number value, String help) {
            return add(new Field(name, Kind.GAUGE, Objects.requireNonNull(value, name), help));
        }

        public Builder counter(String name, Number value, String help) {
            return add(new Field(name, Kind.COUNTER, Objects.requireNonNull(value, name), help));
        }

        public StatusSnapshot build() {
            return new StatusSnapshot(fields);
        }

        private Builder add(Field f) {
            if (!NAME.matcher(f.name()).matches()) {
                throw new IllegalArgumentException("status field name '" + f.name() + "' is not lower-case snake_case");
            }
            if (!names.add(f.name())) {
                throw new IllegalArgumentException("status field '" + f.name() + "' added twice");
            }
            // Two fields must not collide as metrics either, e.g. counter "x" and gauge "x_total", or a gauge "info".
            if (f.kind() != Kind.TEXT && (f.metricName().equals(PrometheusText.INFO_METRIC) || !metricNames.add(f.metricName()))) {
                throw new IllegalArgumentException("status field '" + f.name() + "' would be exported as " + f.metricName() + " twice");
            }
            Objects.requireNonNull(f.help(), f.name());
            fields.add(f);
            return this;
        }
    }
}
