package io.ferry.check;

import static io.ferry.check.SidePipes.b;

import io.ferry.rdb.ValueType;
import io.ferry.resp.Reply;
import java.util.List;

/**
 * Reads a big value from a source server in {@link Chunk}s: HSCAN/SSCAN/ZSCAN pages, LRANGE/XRANGE windows, GETRANGE
 * windows for strings. Never holds more than one chunk.
 */
final class SourceCursor {
    private final ValueType type;
    private final byte[] key;
    private final long size;
    private final int chunk;
    private final int window;
    private String cursor = "0";
    private String nextId = "-";
    private long position;
    private boolean done;
    private int handle = -1;

    SourceCursor(ValueType type, byte[] key, long size, int chunk, int window) {
        this.type = type;
        this.key = key;
        this.size = size;
        this.chunk = chunk;
        this.window = window;
    }

    boolean done() {
        return done;
    }

    void queue(SidePipes s) {
        handle = switch (type) {
            case HASH -> s.add(key, b("HSCAN"), key, b(cursor), b("COUNT"), b(chunk));
            case SET -> s.add(key, b("SSCAN"), key, b(cursor), b("COUNT"), b(chunk));
            case ZSET -> s.add(key, b("ZSCAN"), key, b(cursor), b("COUNT"), b(chunk));
            case LIST -> s.add(key, b("LRANGE"), key, b(position), b(position + chunk - 1));
            case STREAM -> s.add(key, b("XRANGE"), key, b(nextId), b("+"), b("COUNT"), b(chunk));
            case STRING -> s.add(key, b("GETRANGE"), key, b(position), b(position + window - 1));
            case MODULE, ARRAY -> throw new IllegalArgumentException(type.label() + " values are not compared by value");
        };
    }

    /** The chunk the last queued read returned, or null when the key changed type meanwhile. */
    Chunk read(SidePipes s) {
        Reply r = s.reply(handle);
        if (ServerReader.isWrongType(s, r, "a chunked read")) {
            done = true;
            return null;
        }
        Chunk c = new Chunk(type, position);
        switch (type) {
            case HASH, SET, ZSET -> {
                List<Reply> page = r.asList();
                cursor = page.get(0).asString();
                List<Reply> items = page.get(1).asList();
                if (type == ValueType.SET) {
                    for (Reply x : items) {
                        c.items.add(x.asBytes());
                    }
                } else {
                    for (int i = 0; i + 1 < items.size(); i += 2) {
                        if (type == ValueType.HASH) {
                            c.items.add(items.get(i).asBytes());
                            c.values.add(items.get(i + 1).asBytes());
                        } else {
                            c.addScore(items.get(i).asBytes(), Scores.parse(items.get(i + 1).asString()));
                        }
                    }
                }
                done = cursor.equals("0");
            }
            case LIST -> {
                for (Reply x : r.asList()) {
                    c.items.add(x.asBytes());
                }
                position += c.items.size();
                done = c.items.size() < chunk || position >= size;
            }
            case STREAM -> {
                c.entries.addAll(ServerReader.entries(r.asList()));
                if (!c.entries.isEmpty()) {
                    nextId = Chunk.nextId(c.entries.get(c.entries.size() - 1).id());
                }
                done = c.entries.size() < chunk;
            }
            case STRING -> {
                byte[] bytes = r.asBytes();
                c.items.add(bytes);
                position += bytes.length;
                done = bytes.length < window || position >= size;
            }
            case MODULE, ARRAY -> throw new IllegalArgumentException(type.label() + " values are not compared by value");
        }
        return c;
    }
}
