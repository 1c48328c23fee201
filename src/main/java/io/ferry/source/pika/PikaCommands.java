package io.ferry.source.pika;

import io.ferry.replication.ReplCommand;
import io.ferry.source.pika.binlog.Action;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One binlog item, translated, as the stream applier takes it: its commands carry the item's
 * position ({@code start} = the previous item's end, {@code end} = its own), several commands go
 * as one source transaction so that they and the checkpoint land together, and an item with
 * nothing to do becomes a PING so that the applied position still moves past it.
 */
public final class PikaCommands {
    private static final byte[] PING = "PING".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] MULTI = "MULTI".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] EXEC = "EXEC".getBytes(StandardCharsets.US_ASCII);

    private PikaCommands() {}

    public static List<ReplCommand> of(List<Action> actions, PikaRefetch refetch, long start, long end) throws IOException {
        List<byte[][]> cmds = new ArrayList<>();
        for (Action a : actions) {
            if (a instanceof Action.Command c) {
                cmds.add(c.argv());
            } else if (a instanceof Action.Refetch r) {
                cmds.addAll(refetch.stateOf(r));
            }
        }
        if (cmds.isEmpty()) {
            return List.of(new ReplCommand(new byte[][] {PING}, start, end));
        }
        if (cmds.size() == 1) {
            return List.of(new ReplCommand(cmds.get(0), start, end));
        }
        List<ReplCommand> out = new ArrayList<>(cmds.size() + 2);
        out.add(new ReplCommand(new byte[][] {MULTI}, start, start));
        for (byte[][] c : cmds) {
            out.add(new ReplCommand(c, start, end));
        }
        out.add(new ReplCommand(new byte[][] {EXEC}, start, end));
        return out;
    }
}
