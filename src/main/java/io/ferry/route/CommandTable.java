package io.ferry.route;

import io.ferry.rdb.ValueType;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What Ferry knows about each command of a replication stream: whether it is forwarded, and where
 * its keys are, so it can go to the lane of its key (per-key order) or be split, or must be an
 * ordered barrier across all lanes.
 */
public final class CommandTable {
    /** How a command travels. */
    public enum Kind {
        /** Not forwarded: replication chatter (PING, REPLCONF) and PUBLISH. */
        IGNORE,
        SELECT,
        MULTI,
        EXEC,
        /** One key at argv[1]: goes to that key's lane. */
        SINGLE_KEY,
        /** One key at argv[2] (XGROUP/XINFO-style subcommand first). */
        SUBCOMMAND_KEY,
        /** Keys at argv[1..n]: split into one command per key (DEL, UNLINK, TOUCH). */
        SPLIT_KEYS,
        /** Key/value pairs from argv[1]: split into SETs (MSET). */
        SPLIT_PAIRS,
        /** Known, but touches several keys or none: ordered against every lane. */
        BARRIER,
        /** Not known to Ferry: forwarded as is, as a barrier, and counted. */
        UNKNOWN
    }

    private static final Map<String, Kind> KINDS = new HashMap<>();
    // The type a command's key must hold: the live stream honours --type with it. Generic
    // commands (DEL, EXPIRE, RENAME, …) have none and follow the key whatever its type.
    private static final Map<String, ValueType> TYPES = new HashMap<>();

    private static void types(ValueType t, String... names) {
        for (String n : names) {
            TYPES.put(n, t);
        }
    }

    static {
        for (String c : new String[] {"PING", "REPLCONF", "PUBLISH", "SPUBLISH"}) {
            KINDS.put(c, Kind.IGNORE);
        }
        KINDS.put("SELECT", Kind.SELECT);
        KINDS.put("MULTI", Kind.MULTI);
        KINDS.put("EXEC", Kind.EXEC);
        for (String c : new String[] {
            "SET", "SETEX", "PSETEX", "SETNX", "APPEND", "INCR", "DECR", "INCRBY", "DECRBY", "INCRBYFLOAT", "GETSET", "GETDEL",
            "GETEX", "SETRANGE", "SETBIT", "BITFIELD", "LPUSH", "RPUSH", "LPUSHX", "RPUSHX", "LPOP", "RPOP", "LSET", "LTRIM",
            "LINSERT", "LREM", "SADD", "SREM", "SPOP", "ZADD", "ZREM", "ZINCRBY", "ZREMRANGEBYSCORE", "ZREMRANGEBYRANK",
            "ZREMRANGEBYLEX", "ZPOPMIN", "ZPOPMAX", "HSET", "HMSET", "HSETNX", "HDEL", "HINCRBY", "HINCRBYFLOAT", "EXPIRE",
            "PEXPIRE", "EXPIREAT", "PEXPIREAT", "PERSIST", "XADD", "XDEL", "XTRIM", "XCLAIM", "XAUTOCLAIM", "XACK", "XSETID",
            "PFADD", "GEOADD", "RESTORE", "RESTORE-ASKING", "HEXPIRE", "HPEXPIRE", "HEXPIREAT", "HPEXPIREAT", "HPERSIST",
            "HGETDEL", "HGETEX", "HSETEX", "DELEX", "XDELEX", "XACKDEL", "XCFGSET", "XIDMPRECORD", "XNACK"}) {
            KINDS.put(c, Kind.SINGLE_KEY);
        }
        KINDS.put("DEL", Kind.SPLIT_KEYS);
        KINDS.put("UNLINK", Kind.SPLIT_KEYS);
        KINDS.put("MSET", Kind.SPLIT_PAIRS);
        KINDS.put("XGROUP", Kind.SUBCOMMAND_KEY);
        for (String c : new String[] {
            "FLUSHDB", "FLUSHALL", "SWAPDB", "MOVE", "COPY", "RENAME", "RENAMENX", "MSETNX", "SMOVE", "RPOPLPUSH", "LMOVE",
            "BLMOVE", "BRPOPLPUSH", "SINTERSTORE", "SUNIONSTORE", "SDIFFSTORE", "ZUNIONSTORE", "ZINTERSTORE", "ZDIFFSTORE",
            "ZRANGESTORE", "BITOP", "PFMERGE", "SORT", "GEORADIUS", "GEORADIUSBYMEMBER", "GEOSEARCHSTORE", "EVAL", "EVALSHA",
            "EVAL_RO", "EVALSHA_RO", "FCALL", "FCALL_RO", "SCRIPT", "FUNCTION", "LMPOP", "ZMPOP", "MSETEX"}) {
            KINDS.put(c, Kind.BARRIER);
        }
    }

    static {
        types(ValueType.STRING, "SET", "SETEX", "PSETEX", "SETNX", "APPEND", "INCR", "DECR", "INCRBY", "DECRBY", "INCRBYFLOAT", "GETSET",
                "GETDEL", "GETEX", "SETRANGE", "SETBIT", "BITFIELD", "PFADD", "MSET");
        types(ValueType.LIST, "LPUSH", "RPUSH", "LPUSHX", "RPUSHX", "LPOP", "RPOP", "LSET", "LTRIM", "LINSERT", "LREM");
        types(ValueType.SET, "SADD", "SREM", "SPOP");
        types(ValueType.ZSET, "ZADD", "ZREM", "ZINCRBY", "ZREMRANGEBYSCORE", "ZREMRANGEBYRANK", "ZREMRANGEBYLEX", "ZPOPMIN", "ZPOPMAX", "GEOADD");
        types(ValueType.HASH, "HSET", "HMSET", "HSETNX", "HDEL", "HINCRBY", "HINCRBYFLOAT", "HEXPIRE", "HPEXPIRE", "HEXPIREAT", "HPEXPIREAT",
                "HPERSIST", "HGETDEL", "HGETEX", "HSETEX");
        types(ValueType.STREAM, "XADD", "XDEL", "XTRIM", "XCLAIM", "XAUTOCLAIM", "XACK", "XSETID", "XGROUP", "XDELEX", "XACKDEL", "XCFGSET",
                "XIDMPRECORD", "XNACK");
    }

    private CommandTable() {}

    /** What Ferry knows of one command: its upper-case name, how it travels, the type its key holds (or null). */
    public record Command(String name, Kind kind, ValueType type) {}

    public static Kind kind(byte[] name) {
        return lookup(name).kind();
    }

    public static Command lookup(byte[] name) {
        // A stream repeats a handful of names: remember recent ones by their exact bytes, so the
        // common case neither allocates nor upper-cases. Entries are immutable; a racing
        // overwrite only costs a lookup.
        int slot = cacheSlot(name);
        Cached c = CACHE[slot];
        if (c != null && Arrays.equals(c.name, name)) {
            return c.command;
        }
        String upper = new String(name, StandardCharsets.US_ASCII).toUpperCase(Locale.ROOT);
        Kind k = KINDS.get(upper);
        Command cmd = new Command(upper, k == null ? Kind.UNKNOWN : k, TYPES.get(upper));
        if (name.length <= 32) {
            CACHE[slot] = new Cached(name.clone(), cmd);
        }
        return cmd;
    }

    private record Cached(byte[] name, Command command) {}

    private static final Cached[] CACHE = new Cached[64];

    private static int cacheSlot(byte[] name) {
        int h = name.length;
        for (int i = 0; i < name.length && i < 8; i++) {
            h = h * 31 + name[i];
        }
        return (h ^ (h >>> 7)) & (CACHE.length - 1);
    }

    public static String name(byte[][] argv) {
        return lookup(argv[0]).name();
    }
}
