package io.ferry.replication;

/** The source refused to serve us as a replica; the message says why and what to do. */
public final class SourceRejectedException extends io.ferry.OperatorException {
    public SourceRejectedException(String message) {
        super(message);
    }
}
