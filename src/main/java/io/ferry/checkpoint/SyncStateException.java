package io.ferry.checkpoint;

/**
 * The sync cannot go on from where its state stands without the operator deciding something (a
 * second full sync that is forbidden, a state directory in use): a message, not a stack trace.
 */
public final class SyncStateException extends io.ferry.OperatorException {
    public SyncStateException(String message) {
        super(message);
    }
}
