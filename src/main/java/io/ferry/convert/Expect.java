package io.ferry.convert;

/** What a command's reply means for its key. */
public enum Expect {
    /** One step of a key: an error reply fails the key. */
    STEP,
    /** The command that completes the key: success counts the key as written. */
    DONE,
    /** A RESTORE without REPLACE that completes the key: BUSYKEY means the key already exists. */
    DONE_UNLESS_BUSY,
    /** A SET … NX that completes the key: a null reply means the key already exists. */
    DONE_UNLESS_NIL,
    /** A RENAMENX that completes the key: 0 means the key already exists. */
    DONE_UNLESS_RENAME_REFUSED
}
