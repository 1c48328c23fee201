package io.ferry;

/**
 * A failure whose message tells the operator what happened and what to do: the CLI prints it as
 * one line without a stack trace and exits non-zero. Everything else is a bug and keeps its trace.
 */
public class OperatorException extends RuntimeException {
    public OperatorException(String message) {
        super(message);
    }

    public OperatorException(String message, Throwable cause) {
        super(message, cause);
    }
}
