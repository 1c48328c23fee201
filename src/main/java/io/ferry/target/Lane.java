package io.ferry.target;

import io.ferry.convert.Args;
import io.ferry.resp.PipelinedConnection;
import io.ferry.resp.Reply;
import io.ferry.resp.ReplyCallback;
import java.util.function.Consumer;

/**
 * One pipelined connection of a target node. Every command of a key goes through the same lane,
 * so per-key order holds; the lane remembers its selected db and switches only when it changes.
 * Several producers may share a lane (restoring several files at once): send is serialised so a
 * SELECT and the command it belongs to are never separated.
 */
public final class Lane {
    private final PipelinedConnection conn;
    private final ReplyCallback onSelectReply;
    private int db = -1;

    /** {@code onSelectError} hears of a refused SELECT (a db the target does not have). */
    Lane(PipelinedConnection conn, int initialDb, Consumer<String> onSelectError) {
        this.conn = conn;
        this.db = initialDb;
        this.onSelectReply = r -> {
            if (r.isError()) {
                onSelectError.accept("the target refused SELECT: " + ((Reply.Error) r).message());
            }
        };
    }

    /**
     * Sends {@code argv} in target db {@code targetDb} (-1: whatever is selected); returns whether
     * a SELECT went right before it (inside a transaction its result is one more EXEC reply).
     */
    public synchronized boolean send(int targetDb, byte[][] argv, ReplyCallback cb) {
        boolean selected = false;
        if (targetDb != db && targetDb >= 0) {
            conn.send(new byte[][] {Args.b("SELECT"), Args.b(targetDb)}, onSelectReply);
            db = targetDb;
            selected = true;
        }
        conn.send(argv, cb);
        return selected;
    }

    /**
     * Forgets the selected db, so the next command selects its db again: a SELECT queued in a
     * transaction that the target then discarded (EXECABORT) never ran.
     */
    public synchronized void forgetDb() {
        db = -1;
    }

    public synchronized void flush() {
        conn.flush();
    }

    /** Waits until every command sent on this lane has its reply. */
    public synchronized void drain() {
        conn.drain();
    }

    public void close() {
        conn.close();
    }
}
