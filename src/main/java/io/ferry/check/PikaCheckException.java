package io.ferry.check;

/** A Pika source the check cannot read; {@link #reason()} says why (callers and tests match on it, not on the message). */
public final class PikaCheckException extends io.ferry.OperatorException {
    public enum Reason {
        NOT_PIKA,
        UNSUPPORTED_VERSION,
        REFUSED_READ
    }

    private final Reason reason;

    public PikaCheckException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
