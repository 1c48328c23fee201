package io.ferry.target;

/** A source db would land in a db the target does not have: refused before anything is written there. */
public final class MissingDbException extends io.ferry.OperatorException {
    public MissingDbException(String message) {
        super(message);
    }
}
