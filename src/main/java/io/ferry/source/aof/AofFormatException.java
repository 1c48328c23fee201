package io.ferry.source.aof;

import java.io.IOException;

/** An AOF that is not what Redis writes there; the message names the file and byte offset. */
public class AofFormatException extends IOException {
    private final long offset;

    public AofFormatException(String message, long offset) {
        super(message);
        this.offset = offset;
    }

    /** Byte offset in the file where the bad input starts. */
    public long offset() {
        return offset;
    }
}
