package io.ferry.status;

import io.ferry.status.StatusSnapshot.Field;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Renders a snapshot as the body of a Redis {@code INFO} reply: one {@code # Ferry} section of {@code key:value} lines. */
final class InfoText {
    // Redis answers these with every section; any other name only selects its own section.
    private static final Set<String> ALL = Set.of("ferry", "all", "default", "everything");

    private InfoText() {}

    /** {@code sections} are INFO's arguments; a request for sections Ferry does not have gets an empty body, as in Redis. */
    static String render(StatusSnapshot s, List<String> sections) {
        if (!sections.isEmpty() && sections.stream().noneMatch(x -> ALL.contains(x.toLowerCase(Locale.ROOT)))) {
            return "";
        }
        StringBuilder b = new StringBuilder("# Ferry\r\n");
        for (Field f : s.fields()) {
            // A line break inside a value would end the line and forge the next key.
            b.append(f.name()).append(':').append(f.text().replaceAll("[\r\n]", " ")).append("\r\n");
        }
        return b.toString();
    }
}
