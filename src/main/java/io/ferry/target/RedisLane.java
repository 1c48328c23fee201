package io.ferry.target;

import io.ferry.convert.Args;
import io.ferry.resp.PipelinedConnection;
import io.ferry.resp.Reply;
import io.ferry.resp.ReplyCallback;
import java.util.function.Consumer;

/**
 * A lane over one pipelined connection of a Redis/Valkey node. It remembers its selected db and
 * switches only when it changes. Several producers may share a lane (restoring several files at
 * once): send is serialised so a SELECT and the command it belongs to are never separated.
 */
public final class RedisLane implements Lane {
    private final PipelinedConnection conn;
    private final ReplyCallback onSelectReply;
    private int db = -1;

    /** {@code onSelectError} hears of a refused SELECT (a db the target does not have). */
    public RedisLane(PipelinedConnection conn, int initialDb, Consumer<String> onSelectError) {
        this.conn = conn;
        this.db = initialDb;
        this.onSelectReply = r -> {
            if (r.isError()) {
                onSelectError.accept("the target refused SELECT: " + ((Reply.Error) r).message());
            }
        };
    }

    @Override
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

    @Override
    public synchronized void forgetDb() {
        db = -1;
    }

    @Override
    public synchronized void flush() {
        conn.flush();
    }

    @Override
    public synchronized void drain() {
        conn.drain();
    }

    @Override
    public void close() {
        conn.close();
    }
}
