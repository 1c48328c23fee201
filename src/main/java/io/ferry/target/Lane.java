package io.ferry.target;

import io.ferry.resp.ReplyCallback;

/**
 * One ordered stream of commands into a target: every command of a key goes through the same
 * lane, so per-key order holds, while lanes run in parallel. Replies come back through each
 * command's callback, in order, on the lane's own reader.
 */
public interface Lane {
    /**
     * Sends {@code argv} in target db {@code targetDb} (-1: whatever is selected); returns whether
     * a SELECT went right before it (inside a transaction its result is one more EXEC reply).
     */
    boolean send(int targetDb, byte[][] argv, ReplyCallback cb);

    /**
     * Forgets the selected db, so the next command selects its db again: a SELECT queued in a
     * transaction that the target then discarded (EXECABORT) never ran.
     */
    void forgetDb();

    /** Puts what is buffered on its way. */
    void flush();

    /** Waits until every command sent on this lane has its reply. */
    void drain();

    void close();
}
