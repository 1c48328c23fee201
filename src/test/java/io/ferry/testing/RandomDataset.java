package io.ferry.testing;

import io.ferry.resp.RedisConnection;
import io.ferry.resp.Reply;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Fills a live server with a random keyspace covering every type and encoding a restore has to
 * carry: strings (empty, integer, binary, long and compressible), lists, sets (intset and
 * hashtable), zsets and hashes in both their compact and their big encodings, streams with
 * deleted and trimmed entries, consumer groups, consumers with and without pending entries and
 * varied delivery counts, empty streams, expiries, several dbs and a function library. Every
 * value is built with ordinary commands, so the server decides the encodings as it would in
 * production. The same seed gives the same command sequence.
 */
public final class RandomDataset {
    private final RedisConnection c;
    private final Random rnd;
    private int serial;

    private RandomDataset(RedisConnection c, long seed) {
        this.c = c;
        this.rnd = new Random(seed);
    }

    /** Fills dbs {@code dbs} with about {@code keysPerDb} keys each. */
    public static void fill(RedisConnection c, long seed, int[] dbs, int keysPerDb) {
        RandomDataset d = new RandomDataset(c, seed);
        for (int db : dbs) {
            ok(c.call("SELECT", Integer.toString(db)));
            for (int i = 0; i < keysPerDb; i++) {
                d.key();
            }
        }
        ok(c.call("SELECT", "0"));
        ok(c.call("FUNCTION", "LOAD", "#!lua name=randlib\nredis.register_function('rand_f', function(keys, args) return #keys end)"));
    }

    private static Reply ok(Reply r) {
        if (r.isError()) {
            throw new IllegalStateException("command failed while filling: " + r);
        }
        return r;
    }

    private Reply call(Object... args) {
        byte[][] argv = new byte[args.length][];
        for (int i = 0; i < args.length; i++) {
            argv[i] = args[i] instanceof byte[] b ? b : args[i].toString().getBytes(StandardCharsets.UTF_8);
        }
        return ok(c.call(argv));
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private byte[] keyName(String type) {
        byte[] tail = rnd.nextInt(4) == 0 ? bytes(1 + rnd.nextInt(12)) : b(Integer.toString(rnd.nextInt(1000)));
        byte[] head = b(type + ":" + (serial++) + ":");
        byte[] k = new byte[head.length + tail.length];
        System.arraycopy(head, 0, k, 0, head.length);
        System.arraycopy(tail, 0, k, head.length, tail.length);
        return k;
    }

    /** Random bytes, often printable, sometimes binary (NUL, CR/LF, 0xff). */
    private byte[] bytes(int n) {
        byte[] out = new byte[n];
        boolean binary = rnd.nextInt(5) == 0;
        for (int i = 0; i < n; i++) {
            out[i] = binary ? (byte) rnd.nextInt(256) : (byte) ('a' + rnd.nextInt(26));
        }
        return out;
    }

    /** A value of varied shape: empty, integer-like, short, binary, long and compressible. */
    private byte[] value() {
        switch (rnd.nextInt(8)) {
            case 0: return new byte[0];
            case 1: return b(Long.toString(rnd.nextLong() >> rnd.nextInt(64)));
            case 2: return b(Integer.toString(rnd.nextInt(2000) - 1000));
            case 3: return b("x".repeat(30 + rnd.nextInt(200)) + rnd.nextInt(10)); // LZF-compressed in the RDB
            case 4: return bytes(65 + rnd.nextInt(100)); // too long for a compact hash/zset encoding
            default: return bytes(1 + rnd.nextInt(16));
        }
    }

    /** Small sizes stay in the compact encodings (listpack/intset), large ones convert. */
    private int size() {
        return rnd.nextInt(3) == 0 ? 129 + rnd.nextInt(400) : 1 + rnd.nextInt(12);
    }

    private String score() {
        switch (rnd.nextInt(10)) {
            case 0: return "inf";
            case 1: return "-inf";
            case 2: return Integer.toString(rnd.nextInt(5)); // ties
            case 3: return Double.toString(rnd.nextGaussian() * 1e12);
            case 4: return Double.toString(Double.MIN_VALUE * rnd.nextInt(100));
            default: return Double.toString((rnd.nextInt(2_000_000) - 1_000_000) / 64.0);
        }
    }

    private void key() {
        byte[] key;
        switch (rnd.nextInt(6)) {
            case 0:
                key = keyName("string");
                call("SET", key, value());
                break;
            case 1: {
                key = keyName("list");
                int n = size();
                for (int done = 0; done < n; ) {
                    List<Object> a = new ArrayList<>(List.of("RPUSH", key));
                    for (int i = 0; i < 100 && done < n; i++, done++) {
                        a.add(rnd.nextInt(20) == 0 ? bytes(3000) : value()); // some elements beyond a listpack node
                    }
                    call(a.toArray());
                }
                break;
            }
            case 2: {
                key = keyName("set");
                boolean ints = rnd.nextBoolean();
                List<Object> a = new ArrayList<>(List.of("SADD", key));
                for (int i = 0, n = size(); i < n; i++) {
                    a.add(ints ? b(Long.toString(rnd.nextInt(1 << 20) - (1 << 19))) : value());
                }
                call(a.toArray());
                break;
            }
            case 3: {
                key = keyName("zset");
                List<Object> a = new ArrayList<>(List.of("ZADD", key));
                for (int i = 0, n = size(); i < n; i++) {
                    a.add(score());
                    a.add(rnd.nextInt(6) == 0 ? bytes(70) : value());
                }
                call(a.toArray());
                break;
            }
            case 4: {
                key = keyName("hash");
                List<Object> a = new ArrayList<>(List.of("HSET", key));
                for (int i = 0, n = size(); i < n; i++) {
                    a.add(bytes(1 + rnd.nextInt(10)));
                    a.add(value());
                }
                call(a.toArray());
                break;
            }
            default:
                key = keyName("stream");
                stream(key);
        }
        if (rnd.nextInt(4) == 0) {
            call("PEXPIREAT", key, Long.toString(System.currentTimeMillis() + 3_600_000 + rnd.nextInt(86_400_000)));
        }
    }

    private void stream(byte[] key) {
        int n = rnd.nextInt(8) == 0 ? 0 : rnd.nextInt(3) == 0 ? 100 + rnd.nextInt(300) : 1 + rnd.nextInt(10);
        if (n == 0) {
            if (rnd.nextBoolean()) {
                call("XGROUP", "CREATE", key, "g-empty", "$", "MKSTREAM"); // empty stream with a group
            } else {
                call("XADD", key, "1-1", "f", "v"); // empty stream whose last id and counters survive
                call("XDEL", key, "1-1");
            }
            return;
        }
        long ms = 1 + rnd.nextInt(1_000_000);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ms += rnd.nextInt(3);
            String id = ms + "-" + i;
            List<Object> a = new ArrayList<>(List.of("XADD", key, id));
            for (int f = 0, nf = 1 + rnd.nextInt(4); f < nf; f++) {
                a.add(rnd.nextInt(3) == 0 ? b("field" + f) : bytes(1 + rnd.nextInt(8))); // repeated field names share the master entry
                a.add(value());
            }
            call(a.toArray());
            ids.add(id);
        }
        // Deletions and trimming happen before any group reads, so every pending entry still has its message.
        for (int i = 0; i < n / 10; i++) {
            call("XDEL", key, ids.get(rnd.nextInt(ids.size())));
        }
        if (rnd.nextInt(4) == 0) {
            call("XTRIM", key, "MAXLEN", Integer.toString(Math.max(1, n / 2)));
        }
        int groups = rnd.nextInt(4);
        for (int g = 0; g < groups; g++) {
            String group = "g" + g;
            String start = rnd.nextInt(4) == 0 ? ids.get(rnd.nextInt(ids.size())) : "0";
            call("XGROUP", "CREATE", key, group, start);
            for (int cn = 0, consumers = 1 + rnd.nextInt(3); cn < consumers; cn++) {
                String consumer = "c" + cn;
                Reply r = call("XREADGROUP", "GROUP", group, consumer, "COUNT", Integer.toString(1 + rnd.nextInt(20)), "STREAMS", key, ">");
                List<String> got = new ArrayList<>();
                if (!r.isNull()) {
                    for (Reply e : r.asList().get(0).asList().get(1).asList()) {
                        got.add(e.asList().get(0).asString());
                    }
                }
                for (String id : got) {
                    int what = rnd.nextInt(4);
                    if (what == 0) {
                        call("XACK", key, group, id);
                    } else if (what == 1) {
                        call("XCLAIM", key, group, "c-claimer", "0", id); // another owner, delivery count + 1
                    }
                }
            }
            if (rnd.nextBoolean()) {
                call("XGROUP", "CREATECONSUMER", key, group, "idle-consumer");
            }
        }
    }
}
