package io.ferry.target;

import io.ferry.convert.Args;
import io.ferry.resp.PipelinedConnection;
import io.ferry.resp.ReplyCallback;

/**
 * One pipelined connection of a target node. Every command of a key goes through the same lane,
 * so per-key order holds; the lane remembers its selected db and switches only when it changes.
 * Several producers may share a lane (restoring several files at once): send is serialised so a
 * SELECT and the command it belongs to are never separated.
 */
public final class Lane {
    private static final ReplyCallback IGNORE_OK = r -> {};

    private final PipelinedConnection conn;
    private final ReplyCallback onSelectError;
    private int db = -1;

    Lane(PipelinedConnection conn, int initialDb, ReplyCallback onSelectError) {
        this.conn = conn;
        this.db = initialDb;
        this.onSelectError = onSelectError;
    }

    public synchronized void send(int targetDb, byte[][] argv, ReplyCallback cb) {
        if (targetDb != db && targetDb >= 0) {
            conn.send(new byte[][] {Args.b("SELECT"), Args.b(targetDb)}, onSelectError == null ? IGNORE_OK : onSelectError);
            db = targetDb;
        }
        conn.send(argv, cb);
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
