package io.ferry.bench;

import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.SplittableRandom;

/**
 * The data of bench/pika.sh, deterministic so that the dump, the binlog and the redis-cli --pipe
 * reference files agree: {@code keys} strings {@code key:N} (32-byte values), {@code keys/25} each of
 * small hashes, lists, sets and zsets (5 elements), and two big ones of each type ({@code big}
 * elements); then a binlog of {@code items} commands over those keys.
 */
final class PikaBenchData {
    final long keys;
    final int small;
    final int big;
    static final int SMALL_ELEMENTS = 5;
    static final int BIG_KEYS = 2;

    PikaBenchData(long keys, int big) {
        this.keys = keys;
        this.small = (int) Math.max(1, keys / 25);
        this.big = big;
    }

    /** Every key of the dump: strings, four kinds of small collections, and BIG_KEYS big ones of each. */
    long dumpKeys() {
        return keys + 4L * small + 4L * BIG_KEYS;
    }

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    static byte[] stringValue(long i) {
        return b(String.format("value-%026d", i)); // 32 bytes, like DEBUG POPULATE in bench/sync.sh
    }

    /**
     * The binlog as Pika 3.5 logs it: SET and HSET, RPUSH, SADD and ZADD verbatim, and INCR as the
     * {@code pksetexat k 0 v} it rewrites it to (0: the key keeps its TTL).
     */
    Iterable<byte[][]> binlog(long items) {
        return () -> new Iterator<>() {
            final SplittableRandom rnd = new SplittableRandom(7);
            final long[] counters = new long[100_000];
            long i;

            public boolean hasNext() {
                return i < items;
            }

            public byte[][] next() {
                long n = i++;
                int r = rnd.nextInt(Integer.MAX_VALUE);
                switch ((int) (n % 10)) {
                    case 0, 1, 2, 3: return new byte[][] {b("SET"), b("key:" + r % keys), stringValue(n)};
                    case 4, 5: return new byte[][] {b("HSET"), b("hash:" + r % small), b("f" + r % 8), b("v" + n)};
                    case 6: return new byte[][] {b("RPUSH"), b("list:" + r % small), b("e" + n)};
                    case 7: {
                        int c = r % counters.length;
                        return new byte[][] {b("pksetexat"), b("counter:" + c), b("0"), b(Long.toString(++counters[c]))};
                    }
                    case 8: return new byte[][] {b("SADD"), b("set:" + r % small), b("m" + n)};
                    default: return new byte[][] {b("ZADD"), b("zset:" + r % small), b(Long.toString(n % 1000)), b("z" + n)};
                }
            }
        };
    }

    /** What Ferry sends a Redis target for one binlog command (the reference replays exactly this). */
    static byte[][] forRedis(byte[][] argv) {
        if (new String(argv[0], StandardCharsets.ISO_8859_1).equals("pksetexat")) {
            return new byte[][] {b("SET"), argv[1], argv[3], b("KEEPTTL")};
        }
        return argv;
    }
}
