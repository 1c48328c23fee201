package io.ferry.cli;

import java.time.Duration;
import java.util.Locale;

/** Parses durations such as 500ms, 2s, 1.5s, 5m, 1h; a bare number is seconds. */
final class Durations {
    private Durations() {}

    static Duration parse(String option, String s) {
        String t = s.trim().toLowerCase(Locale.ROOT);
        long unitMs = 1000;
        String number = t;
        if (t.endsWith("ms")) {
            unitMs = 1;
            number = t.substring(0, t.length() - 2);
        } else if (t.endsWith("s")) {
            number = t.substring(0, t.length() - 1);
        } else if (t.endsWith("m")) {
            unitMs = 60_000;
            number = t.substring(0, t.length() - 1);
        } else if (t.endsWith("h")) {
            unitMs = 3_600_000;
            number = t.substring(0, t.length() - 1);
        }
        number = number.trim();
        if (!number.matches("[0-9]{1,12}(\\.[0-9]{1,9})?")) {
            throw new IllegalArgumentException(option + ": invalid duration '" + s + "' (examples: 500ms, 2s, 1.5s, 5m)");
        }
        return Duration.ofMillis(Math.round(Double.parseDouble(number) * unitMs));
    }
}
