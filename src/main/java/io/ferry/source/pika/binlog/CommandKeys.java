package io.ferry.source.pika.binlog;

import io.ferry.source.pika.snapshot.PikaType;
import java.util.HashMap;
import java.util.Map;

/**
 * Which type a logged write acts on and where its keys are, for the same-name mapping. Commands not
 * listed carry no key the mapping needs to see (FLUSHDB, PKPATTERNMATCHDEL) or are unknown: they pass
 * with their keys untouched.
 */
final class CommandKeys {
    private CommandKeys() {}

    enum Layout {
        /** argv[1]. */
        FIRST,
        /** argv[1] and argv[2] (RPOPLPUSH src dst, SMOVE src dst m, LMOVE). */
        FIRST_TWO,
        /** argv[1], argv[3], … (MSET k v k v). */
        PAIRS,
        /** argv[1..] (SUNIONSTORE dest k…, PFMERGE dest k…). */
        ALL,
        /** argv[2..] (BITOP op dest k…). */
        FROM_SECOND,
        /** dest numkeys k… (ZUNIONSTORE). */
        DEST_NUMKEYS
    }

    record Spec(PikaType type, Layout layout) {}

    private static final Map<String, Spec> SPECS = new HashMap<>();

    private static void put(PikaType type, Layout layout, String... names) {
        for (String n : names) {
            SPECS.put(n, new Spec(type, layout));
        }
    }

    static {
        put(PikaType.STRING, Layout.FIRST, "SET", "SETNX", "SETEX", "PSETEX", "PKSETEXAT", "GETSET", "APPEND",
                "INCR", "INCRBY", "INCRBYFLOAT", "DECR", "DECRBY", "SETRANGE", "SETBIT", "DELVX", "PFADD", "GETDEL", "GETEX");
        put(PikaType.STRING, Layout.PAIRS, "MSET", "MSETNX");
        put(PikaType.STRING, Layout.FROM_SECOND, "BITOP");
        put(PikaType.STRING, Layout.ALL, "PFMERGE");
        put(PikaType.HASH, Layout.FIRST, "HSET", "HMSET", "HSETNX", "HINCRBY", "HINCRBYFLOAT", "HDEL");
        put(PikaType.LIST, Layout.FIRST, "LPUSH", "RPUSH", "LPUSHX", "RPUSHX", "LINSERT", "LREM", "LSET", "LPOP", "RPOP",
                "LTRIM", "BLPOP", "BRPOP");
        put(PikaType.LIST, Layout.FIRST_TWO, "RPOPLPUSH", "BRPOPLPUSH", "LMOVE");
        put(PikaType.SET, Layout.FIRST, "SADD", "SREM", "SPOP");
        put(PikaType.SET, Layout.FIRST_TWO, "SMOVE");
        put(PikaType.SET, Layout.ALL, "SUNIONSTORE", "SINTERSTORE", "SDIFFSTORE");
        put(PikaType.ZSET, Layout.FIRST, "ZADD", "ZINCRBY", "ZREM", "ZREMRANGEBYSCORE", "ZREMRANGEBYRANK", "ZREMRANGEBYLEX",
                "ZPOPMIN", "ZPOPMAX", "GEOADD");
        put(PikaType.ZSET, Layout.DEST_NUMKEYS, "ZUNIONSTORE", "ZINTERSTORE");
        put(PikaType.STREAM, Layout.FIRST, "XADD", "XDEL", "XTRIM");
    }

    /** The type-specific spec of {@code upperName}, or null. */
    static Spec of(String upperName) {
        return SPECS.get(upperName);
    }

    /** Indices of the keys in {@code argv} under {@code layout}. */
    static int[] keyIndices(Layout layout, byte[][] argv) {
        int n = argv.length;
        switch (layout) {
            case FIRST:
                return n > 1 ? new int[] {1} : new int[0];
            case FIRST_TWO:
                return n > 2 ? new int[] {1, 2} : n > 1 ? new int[] {1} : new int[0];
            case PAIRS: {
                int[] out = new int[n / 2];
                for (int i = 0; i < out.length; i++) {
                    out[i] = 1 + 2 * i;
                }
                return out;
            }
            case ALL:
                return range(1, n);
            case FROM_SECOND:
                return range(2, n);
            case DEST_NUMKEYS: {
                if (n < 3) {
                    return n > 1 ? new int[] {1} : new int[0];
                }
                int numkeys = (int) Math.min(Argv.parseLong(argv, 2, "numkeys"), n - 3);
                int[] out = new int[1 + Math.max(numkeys, 0)];
                out[0] = 1;
                for (int i = 1; i < out.length; i++) {
                    out[i] = 2 + i;
                }
                return out;
            }
            default:
                throw new AssertionError(layout);
        }
    }

    private static int[] range(int from, int to) {
        int[] out = new int[Math.max(0, to - from)];
        for (int i = 0; i < out.length; i++) {
            out[i] = from + i;
        }
        return out;
    }
}
