package io.ferry.check;

import io.ferry.resp.RedisConnection;
import io.ferry.resp.Reply;
import java.util.ArrayList;
import java.util.List;

/**
 * The dataset of the check tests, written to a server as it is or as the "target variant" that differs from it in
 * exactly the keys listed in {@link #EXPECTED}: one of each kind, the value differences deep inside big collections.
 */
final class CheckData {
    static final int BIG_HASH = 50_000;
    static final int BIG = 20_000;
    static final int BIG_STREAM = 2_000;
    /** Longer than the 256 KiB string window: compared window by window. */
    static final int BIG_STRING = 600_000;
    /** Absolute expiry shared by both sides, so TTLs compare equal however long the writes take. */
    static final long EXPIRE_AT = System.currentTimeMillis() + 3_600_000;

    /** db/key → kind of every difference between the dataset and its target variant. */
    static final java.util.Map<String, String> EXPECTED = java.util.Map.ofEntries(
            java.util.Map.entry("0/only:source", "missing"),
            java.util.Map.entry("0/only:target", "extra"),
            java.util.Map.entry("0/t:key", "type"),
            java.util.Map.entry("0/l:size", "size"),
            java.util.Map.entry("0/big:hash", "value"),
            java.util.Map.entry("0/big:zset", "value"),
            java.util.Map.entry("0/big:list", "value"),
            java.util.Map.entry("0/big:set", "value"),
            java.util.Map.entry("0/big:stream", "value"),
            java.util.Map.entry("0/big:string", "value"),
            java.util.Map.entry("0/stream:groups", "value"),
            java.util.Map.entry("0/s:17", "value"),
            java.util.Map.entry("0/ttl:far", "ttl"),
            java.util.Map.entry("3/h3", "value"));

    /** A target-only key that is not valid UTF-8. */
    static final byte[] BINARY_KEY = {(byte) 0xff, (byte) 0xfe, 'x'};

    private CheckData() {}

    static void write(RedisConnection c, boolean target) {
        c.call("SELECT", "0");
        for (int i = 0; i < 300; i++) {
            c.call("SET", "s:" + i, (target && i == 17 ? "VALUE-" : "value-") + i);
        }
        c.call("HSET", "h:small", "a", "1", "b", "2");
        c.call("SADD", "set:small", "x", "y", "z");
        c.call("ZADD", "zset:small", "1.5", "a", "-inf", "b", "2", "c");
        c.call("RPUSH", "list:small", "a", "b", "a");
        c.call("SET", "s:bin", "\u00ff\u0000binary");
        if (target) {
            c.call("SET".getBytes(), BINARY_KEY, "v".getBytes()); // not UTF-8: reported as {"base64": …}
        }

        List<String> args = new ArrayList<>();
        for (int i = 0; i < BIG_HASH; i++) {
            args.add("f:" + i);
            args.add(target && i == 37_123 ? "changed" : "v:" + i);
        }
        inChunks(c, "HSET", "big:hash", args, 2);
        args.clear();
        for (int i = 0; i < BIG; i++) {
            args.add(target && i == 15_000 ? "15000.5" : Integer.toString(i));
            args.add("m:" + i);
        }
        inChunks(c, "ZADD", "big:zset", args, 2);
        args.clear();
        for (int i = 0; i < BIG; i++) {
            args.add(target && i == 12_345 ? "changed" : "e:" + i);
        }
        inChunks(c, "RPUSH", "big:list", args, 1);
        args.clear();
        for (int i = 0; i < BIG; i++) {
            args.add(target && i == 17_777 ? "other" : "m:" + i);
        }
        inChunks(c, "SADD", "big:set", args, 1);
        for (int i = 1; i <= BIG_STREAM; i++) {
            c.call("XADD", "big:stream", "1-" + i, "f", target && i == 1_500 ? "changed" : "v:" + i, "g", "x");
        }
        byte[] big = new byte[BIG_STRING];
        java.util.Arrays.fill(big, (byte) 'a');
        if (target) {
            big[500_000] = 'b';
        }
        c.call("SET".getBytes(), "big:string".getBytes(), big);
        for (String key : List.of("stream:small", "stream:groups")) {
            c.call("XADD", key, "5-1", "a", "1");
            c.call("XADD", key, "5-2", "b", "2");
            c.call("XGROUP", "CREATE", key, "g", "0");
            c.call("XREADGROUP", "GROUP", "g", "alice", "COUNT", "1", "STREAMS", key, ">");
        }
        if (target) {
            c.call("XREADGROUP", "GROUP", "g", "alice", "COUNT", "1", "STREAMS", "stream:groups", ">");
        }

        c.call("SET", target ? "only:target" : "only:source", "x");
        if (target) {
            c.call("RPUSH", "t:key", "x");
        } else {
            c.call("SET", "t:key", "x");
        }
        c.call("RPUSH", "l:size", "a", "b", "c");
        if (target) {
            c.call("RPUSH", "l:size", "d");
        }
        for (String key : List.of("ttl:far", "ttl:near", "ttl:same")) {
            c.call("SET", key, "v");
        }
        c.call("PEXPIREAT", "ttl:far", Long.toString(EXPIRE_AT + (target ? 10_000 : 0)));
        c.call("PEXPIREAT", "ttl:near", Long.toString(EXPIRE_AT + (target ? 1_000 : 0)));
        c.call("PEXPIREAT", "ttl:same", Long.toString(EXPIRE_AT));
        c.call("PEXPIREAT", "big:hash", Long.toString(EXPIRE_AT));
        if (target) {
            c.call("SET", "__ferry_checkpoint:0", "12345"); // Ferry's own: never reported
        }

        c.call("SELECT", "3");
        c.call("HSET", "h3", "x", target ? "2" : "1");
        c.call("SET", "s3", "same");
        c.call("SELECT", "0");
    }

    /** {@code command key args…} in commands of about 1,000 elements ({@code stride} arguments per element). */
    static void inChunks(RedisConnection c, String command, String key, List<String> args, int stride) {
        int per = 1000 * stride;
        for (int from = 0; from < args.size(); from += per) {
            List<String> argv = new ArrayList<>();
            argv.add(command);
            argv.add(key);
            argv.addAll(args.subList(from, Math.min(args.size(), from + per)));
            Reply r = c.call(argv.toArray(new String[0]));
            if (r.isError()) {
                throw new IllegalStateException(command + " failed: " + r);
            }
        }
    }
}
