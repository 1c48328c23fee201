package io.ferry.convert;

import java.util.List;

/**
 * What goes to the target instead of one live-stream command it lacks: {@code commands} (none:
 * the command is dropped; several: applied as one transaction), or, when no translation keeps
 * its meaning, the reason ({@code inexact}), which the applier handles under {@code --on-error}.
 */
public record Translation(List<byte[][]> commands, String inexact) {
    static Translation to(byte[][]... commands) {
        return new Translation(List.of(commands), null);
    }

    static Translation to(List<byte[][]> commands) {
        return new Translation(List.copyOf(commands), null);
    }

    static final Translation DROPPED = new Translation(List.of(), null);

    static Translation inexact(String why) {
        return new Translation(List.of(), why);
    }
}
