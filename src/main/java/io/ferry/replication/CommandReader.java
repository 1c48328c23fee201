package io.ferry.replication;

import io.ferry.resp.Reply;
import io.ferry.resp.RespReader;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * Parses the replication stream (RESP arrays of bulk strings) and numbers each command with the
 * source offset of its last byte: {@code baseOffset} is the offset of the byte before the stream.
 */
public final class CommandReader {
    private final RespReader resp;
    private final long baseOffset;

    public CommandReader(InputStream stream, long baseOffset) {
        this.resp = new RespReader(stream);
        this.baseOffset = baseOffset;
    }

    /** Bytes of the stream consumed so far. */
    public long consumed() {
        return resp.bytesConsumed();
    }

    /** True when the next command is already buffered (more work without blocking). */
    public boolean hasBuffered() {
        return resp.buffered() > 0;
    }

    public ReplCommand next() throws IOException {
        long start = baseOffset + resp.bytesConsumed();
        Reply r = resp.read();
        if (!(r instanceof Reply.Array a) || a.isNull()) {
            throw new IOException("unexpected " + r + " in the replication stream at offset " + (baseOffset + resp.bytesConsumed()));
        }
        List<Reply> items = a.asList();
        byte[][] argv = new byte[items.size()][];
        for (int i = 0; i < argv.length; i++) {
            argv[i] = items.get(i).asBytes();
        }
        if (argv.length == 0) {
            throw new IOException("empty command in the replication stream at offset " + (baseOffset + resp.bytesConsumed()));
        }
        return new ReplCommand(argv, start, baseOffset + resp.bytesConsumed());
    }
}
