package io.ferry.source.aof;

/**
 * The file ends inside a command (or an open MULTI block), as after a crash while Redis wrote it;
 * {@link #offset()} is where that incomplete command starts: everything before it is whole.
 */
public final class AofTruncatedException extends AofFormatException {
    public AofTruncatedException(String message, long offset) {
        super(message, offset);
    }
}
