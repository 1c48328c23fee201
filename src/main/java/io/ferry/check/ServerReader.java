package io.ferry.check;

import static io.ferry.check.SidePipes.b;

import io.ferry.resp.Reply;
import io.ferry.rdb.ValueType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads {@link KeyState}s from a server in pipelined stages: {@link #queueMeta meta} (PTTL, which also tells
 * existence, plus a string probe), {@link #queueResolve resolve} (TYPE of keys that are not strings, STRLEN of
 * strings longer than the window), {@link #queueSize size} (a collection's count, and a stream's last id and
 * groups), {@link #queueValue value} (a small collection whole). Each stage queues commands on a {@link SidePipes};
 * after the run, the matching {@code read} fills the state in.
 *
 * <p>The string probe — GETRANGE of the first window at full level, STRLEN at type level — is sent before the type
 * is known: a string key (the most common kind) is then done in two commands per side, and any other key costs
 * one WRONGTYPE reply before its TYPE is asked.
 */
final class ServerReader {
    private static final byte[] TYPE = b("TYPE");
    private static final byte[] PTTL = b("PTTL");
    private static final byte[] STRLEN = b("STRLEN");
    private static final byte[] GETRANGE = b("GETRANGE");
    private static final byte[] ZERO = b("0");
    private static final byte[] MINUS_ONE = b("-1");

    private ServerReader() {}

    static void queueMeta(SidePipes p, KeyState s, Level level, int window) {
        s.h0 = p.add(s.key, PTTL, s.key);
        s.h1 = switch (level) {
            case KEYS -> p.add(s.key, TYPE, s.key);
            case TYPE -> p.add(s.key, STRLEN, s.key);
            case FULL -> p.add(s.key, GETRANGE, s.key, ZERO, b(window - 1));
        };
        s.h2 = -1;
        s.h3 = -1;
    }

    static void readMeta(SidePipes p, KeyState s, Level level, int window) {
        Reply ttl = p.reply(s.h0);
        if (ttl.isError()) {
            throw failure(p, "PTTL", ttl);
        }
        s.pttl = ttl.asLong();
        if (s.pttl == KeyState.ABSENT_TTL) {
            s.gone();
            return;
        }
        s.present = true;
        Reply probe = p.reply(s.h1);
        if (level == Level.KEYS) {
            if (probe.isError()) {
                throw failure(p, "TYPE", probe);
            }
            setType(s, probe.asString());
            return;
        }
        if (isWrongType(p, probe, level == Level.FULL ? "GETRANGE" : "STRLEN")) {
            return; // not a string: its type is asked next
        }
        s.type = ValueType.STRING;
        s.typeName = "string";
        if (level == Level.TYPE) {
            s.size = probe.asLong();
        } else {
            s.head = probe.asBytes();
            s.size = s.head.length < window ? s.head.length : -1; // a full window: longer strings need STRLEN
        }
    }

    /** Queues what the meta stage left open; false when nothing is. */
    static boolean queueResolve(SidePipes p, KeyState s) {
        s.h2 = s.present && s.type == null ? p.add(s.key, TYPE, s.key) : -1;
        s.h3 = s.type == ValueType.STRING && s.size < 0 ? p.add(s.key, STRLEN, s.key) : -1;
        return s.h2 >= 0 || s.h3 >= 0;
    }

    static void readResolve(SidePipes p, KeyState s) {
        if (s.h2 >= 0) {
            Reply type = p.reply(s.h2);
            if (type.isError()) {
                throw failure(p, "TYPE", type);
            }
            setType(s, type.asString());
        }
        if (s.h3 >= 0) {
            Reply len = p.reply(s.h3);
            if (isWrongType(p, len, "STRLEN")) {
                s.changed = true;
            } else {
                s.size = len.asLong();
            }
        }
    }

    private static void setType(KeyState s, String name) {
        s.type = KeyState.parseType(name);
        if (s.type == null) {
            s.gone(); // deleted or expired since PTTL
        } else {
            s.typeName = name;
        }
    }

    /** Queues the size of a collection of type {@code type} (and at full level a stream's id and groups). */
    static void queueSize(SidePipes p, KeyState s, ValueType type, Level level) {
        s.h0 = p.add(s.key, b(KeyState.sizeCommand(type)), s.key);
        boolean info = type == ValueType.STREAM && level == Level.FULL;
        s.h1 = info ? p.add(s.key, b("XINFO"), b("STREAM"), s.key) : -1;
        s.h2 = info ? p.add(s.key, b("XINFO"), b("GROUPS"), s.key) : -1;
    }

    static void readSize(SidePipes p, KeyState s) {
        Reply size = p.reply(s.h0);
        if (isWrongType(p, size, "a size command")) {
            s.changed = true;
            return;
        }
        s.size = size.asLong();
        if (s.h1 >= 0) {
            Reply stream = p.reply(s.h1);
            Reply groups = p.reply(s.h2);
            if (isWrongType(p, stream, "XINFO STREAM") | isWrongType(p, groups, "XINFO GROUPS")) {
                s.changed = true;
                return;
            }
            s.stream = streamInfo(stream, groups);
        }
    }

    static void queueValue(SidePipes p, KeyState s, ValueType type) {
        byte[] k = s.key;
        s.h0 = switch (type) {
            case LIST -> p.add(k, b("LRANGE"), k, ZERO, MINUS_ONE);
            case SET -> p.add(k, b("SMEMBERS"), k);
            case HASH -> p.add(k, b("HGETALL"), k);
            case ZSET -> p.add(k, b("ZRANGE"), k, ZERO, MINUS_ONE, b("WITHSCORES"));
            case STREAM -> p.add(k, b("XRANGE"), k, b("-"), b("+"));
            default -> throw new IllegalArgumentException("no whole-value read for " + type);
        };
    }

    static void readValue(SidePipes p, KeyState s, ValueType type) {
        Reply r = p.reply(s.h0);
        if (isWrongType(p, r, "a value read")) {
            s.changed = true;
            return;
        }
        List<Reply> items = r.asList();
        switch (type) {
            case LIST -> {
                List<byte[]> list = new ArrayList<>(items.size());
                for (Reply x : items) {
                    list.add(x.asBytes());
                }
                s.value = list;
            }
            case SET -> {
                Set<Bytes> set = new HashSet<>(items.size() * 2);
                for (Reply x : items) {
                    set.add(new Bytes(x.asBytes()));
                }
                s.value = set;
            }
            case HASH -> {
                Map<Bytes, Bytes> map = new HashMap<>(items.size());
                for (int i = 0; i + 1 < items.size(); i += 2) {
                    map.put(new Bytes(items.get(i).asBytes()), new Bytes(items.get(i + 1).asBytes()));
                }
                s.value = map;
            }
            case ZSET -> {
                Map<Bytes, Double> map = new HashMap<>(items.size());
                for (int i = 0; i + 1 < items.size(); i += 2) {
                    map.put(new Bytes(items.get(i).asBytes()), Scores.parse(items.get(i + 1).asString()));
                }
                s.value = map;
            }
            case STREAM -> s.value = entries(items);
            default -> throw new IllegalArgumentException("no whole-value read for " + type);
        }
    }

    static List<StreamEntry> entries(List<Reply> items) {
        List<StreamEntry> out = new ArrayList<>(items.size());
        for (Reply e : items) {
            List<Reply> idFields = e.asList();
            List<Reply> f = idFields.get(1).asList();
            List<byte[]> fields = new ArrayList<>(f == null ? 0 : f.size());
            if (f != null) {
                for (Reply x : f) {
                    fields.add(x.asBytes());
                }
            }
            out.add(new StreamEntry(idFields.get(0).asString(), fields));
        }
        return out;
    }

    private static StreamInfo streamInfo(Reply stream, Reply groups) {
        String lastId = null;
        List<Reply> s = stream.asList();
        for (int i = 0; i + 1 < s.size(); i += 2) {
            if (s.get(i).asString().equals("last-generated-id")) {
                lastId = s.get(i + 1).asString();
            }
        }
        List<StreamInfo.Group> out = new ArrayList<>();
        for (Reply g : groups.asList()) {
            List<Reply> kv = g.asList();
            byte[] name = null;
            String delivered = null;
            long pending = 0;
            for (int i = 0; i + 1 < kv.size(); i += 2) {
                switch (kv.get(i).asString()) {
                    case "name" -> name = kv.get(i + 1).asBytes();
                    case "last-delivered-id" -> delivered = kv.get(i + 1).asString();
                    case "pending" -> pending = kv.get(i + 1).asLong();
                    default -> { }
                }
            }
            out.add(new StreamInfo.Group(name, delivered, pending));
        }
        return new StreamInfo(lastId, out);
    }

    /** True for a WRONGTYPE reply (the key changed type since TYPE); any other error reply fails the check. */
    static boolean isWrongType(SidePipes p, Reply r, String what) {
        if (!r.isError()) {
            return false;
        }
        if (((Reply.Error) r).message().startsWith("WRONGTYPE")) {
            return true;
        }
        throw failure(p, what, r);
    }

    static io.ferry.cli.UserError failure(SidePipes p, String command, Reply r) {
        return new io.ferry.cli.UserError("the " + p.side() + " refused " + command + ": " + ((Reply.Error) r).message());
    }
}
