package io.ferry.rdb;

/** The input ended before the RDB was complete. */
public final class RdbTruncatedException extends RdbFormatException {
    public RdbTruncatedException(String what, long offset) {
        super("unexpected end of input while reading " + what + ": the RDB is truncated", offset);
    }
}
