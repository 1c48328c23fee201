package io.ferry.cli;

/** A failure whose message tells the operator what to fix; printed without a stack trace. */
public final class UserError extends io.ferry.OperatorException {
    public UserError(String message) {
        super(message);
    }

    public UserError(String message, Throwable cause) {
        super(message, cause);
    }
}
