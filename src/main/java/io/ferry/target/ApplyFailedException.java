package io.ferry.target;

/** The target refused a write (or a conflict under --on-conflict fail): the run stops with this message. */
public final class ApplyFailedException extends io.ferry.OperatorException {
    public ApplyFailedException(String message) {
        super(message);
    }
}
