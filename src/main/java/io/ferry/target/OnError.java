package io.ferry.target;

/** What to do when the target rejects a forwarded command. */
public enum OnError {
    /** Stop with an error naming the command (the default). */
    FAIL,
    /** Count it, log it, and go on. */
    SKIP
}
