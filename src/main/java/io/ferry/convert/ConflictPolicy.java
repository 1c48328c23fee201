package io.ferry.convert;

/** What to do when a key already exists on the target. */
public enum ConflictPolicy {
    /** Stop with an error naming the key (the default: never overwrite silently). */
    FAIL,
    /** Overwrite the target's key. */
    REPLACE,
    /** Keep the target's key, count the source key as skipped. */
    SKIP
}
