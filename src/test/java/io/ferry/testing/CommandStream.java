package io.ferry.testing;

import io.ferry.replication.ReplCommand;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A made-up replication stream with consistent offsets: each command spans 10 bytes. */
public final class CommandStream {
    public final List<ReplCommand> cmds = new ArrayList<>();
    /** Where the next command starts: after the last one, the stream's end. */
    public long offset;

    /** A stream whose first command starts right after source offset {@code start}. */
    public CommandStream(long start) {
        this.offset = start;
    }

    public CommandStream add(String... args) {
        byte[][] argv = new byte[args.length][];
        for (int i = 0; i < args.length; i++) {
            argv[i] = args[i].getBytes(StandardCharsets.UTF_8);
        }
        cmds.add(new ReplCommand(argv, offset, offset + 10));
        offset += 10;
        return this;
    }
}
