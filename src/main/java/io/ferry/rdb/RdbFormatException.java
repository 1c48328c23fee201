package io.ferry.rdb;

/** The RDB input is corrupt, truncated, or of a version/type Ferry does not know. Carries the byte offset. */
public class RdbFormatException extends RuntimeException {
    private final long offset;

    public RdbFormatException(String message, long offset) {
        super(message + " (at byte offset " + offset + ")");
        this.offset = offset;
    }

    public RdbFormatException(String message, long offset, Throwable cause) {
        super(message + " (at byte offset " + offset + ")", cause);
        this.offset = offset;
    }

    public long offset() {
        return offset;
    }
}
