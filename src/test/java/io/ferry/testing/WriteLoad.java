package io.ferry.testing;

import io.ferry.resp.PipelinedConnection;
import io.ferry.resp.RedisConnection;
import io.ferry.resp.RedisUri;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A deterministic mixed write load for sync tests: every data type, expiries (long TTLs so
 * nothing expires mid-comparison), MULTI/EXEC, EVAL, FLUSHDB and several dbs.
 */
public final class WriteLoad implements AutoCloseable {
    private final Thread thread;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong ops = new AtomicLong();
    private volatile Throwable failure;
    private final boolean db0Only;

    private final boolean streams;

    private WriteLoad(RedisUri uri, long seed, long maxOps, boolean streams, boolean db0Only) {
        this.streams = streams;
        this.db0Only = db0Only;
        thread = new Thread(() -> run(uri, seed, maxOps), "write-load");
        thread.setDaemon(true);
        thread.start();
    }

    /** Starts writing; stops by itself after {@code maxOps} commands (or at {@link #close()}). */
    public static WriteLoad start(RedisUri uri, long seed, long maxOps) {
        return new WriteLoad(uri, seed, maxOps, true, false);
    }

    /** The same load in db 0 only (for a cluster target): no SELECT, no FLUSHDB. */
    public static WriteLoad startInDb0(RedisUri uri, long seed, long maxOps) {
        return new WriteLoad(uri, seed, maxOps, true, true);
    }

    /**
     * The same load, with SADDs in place of XADDs when {@code streams} is false (for a server
     * before 5.0 on either end). Commands a source older than they are rejects change nothing.
     */
    public static WriteLoad start(RedisUri uri, long seed, long maxOps, boolean streams) {
        return new WriteLoad(uri, seed, maxOps, streams, false);
    }

    public long ops() {
        return ops.get();
    }

    private static byte[][] cmd(String... a) {
        byte[][] r = new byte[a.length][];
        for (int i = 0; i < a.length; i++) {
            r[i] = a[i].getBytes(StandardCharsets.UTF_8);
        }
        return r;
    }

    private void run(RedisUri uri, long seed, long maxOps) {
        Random rnd = new Random(seed);
        try (PipelinedConnection c = new PipelinedConnection(RedisConnection.open(uri, null, Duration.ofSeconds(5)), 1000, 1 << 20)) {
            long expireAt = System.currentTimeMillis() + 3_600_000;
            while (running.get() && ops.get() < maxOps) {
                int k = rnd.nextInt(500);
                String key = "load:" + k;
                int db = rnd.nextInt(10) == 0 && !db0Only ? 2 : 0;
                c.send(cmd("SELECT", Integer.toString(db)), r -> {});
                switch (rnd.nextInt(16)) {
                    case 0: c.send(cmd("SET", key + ":s", "v" + rnd.nextInt()), r -> {}); break;
                    case 1: c.send(cmd("INCR", "load:counter"), r -> {}); break;
                    case 2: c.send(cmd("RPUSH", key + ":l", "e" + rnd.nextInt(100)), r -> {}); break;
                    case 3: c.send(cmd("LPOP", key + ":l"), r -> {}); break;
                    case 4: c.send(cmd("HSET", key + ":h", "f" + rnd.nextInt(50), "v" + rnd.nextInt()), r -> {}); break;
                    case 5: c.send(cmd("SADD", key + ":set", "m" + rnd.nextInt(100)), r -> {}); break;
                    case 6: c.send(cmd("ZADD", key + ":z", Double.toString(rnd.nextDouble() * 100), "m" + rnd.nextInt(100)), r -> {}); break;
                    case 7:
                        c.send(streams ? cmd("XADD", "load:stream", "*", "n", Integer.toString(rnd.nextInt()))
                                : cmd("SADD", "load:nostream", Integer.toString(rnd.nextInt())), r -> {});
                        break;
                    case 8: c.send(cmd("SET", key + ":ttl", "x", "PXAT", Long.toString(expireAt)), r -> {}); break;
                    case 9: c.send(cmd("PEXPIREAT", key + ":h", Long.toString(expireAt)), r -> {}); break;
                    case 10:
                        c.send(cmd("MULTI"), r -> {});
                        c.send(cmd("INCR", "load:tx"), r -> {});
                        c.send(cmd("RPUSH", "load:txlist", "t" + ops.get()), r -> {});
                        c.send(cmd("SET", key + ":s", "tx"), r -> {});
                        c.send(cmd("EXEC"), r -> {});
                        break;
                    case 11:
                        c.send(cmd("EVAL", "redis.call('incr', KEYS[1]); return redis.call('rpush', KEYS[2], ARGV[1])", "2", "load:evalctr", "load:evallist", "x"), r -> {});
                        break;
                    case 12: c.send(cmd("DEL", key + ":s", key + ":l"), r -> {}); break;
                    case 13: c.send(cmd("MSET", key + ":m1", "a", "load:" + (k + 1) + ":m2", "b"), r -> {}); break;
                    case 14:
                        if (rnd.nextInt(50) == 0 && !db0Only) {
                            c.send(cmd("SELECT", "3"), r -> {});
                            c.send(cmd("FLUSHDB"), r -> {});
                        } else {
                            c.send(cmd("SREM", key + ":set", "m" + rnd.nextInt(100)), r -> {});
                        }
                        break;
                    default:
                        c.send(cmd("SELECT", db0Only ? "0" : "3"), r -> {});
                        c.send(cmd("SET", "db3:" + k, "v"), r -> {});
                }
                ops.incrementAndGet();
                if (ops.get() % 200 == 0) {
                    c.flush();
                    Thread.sleep(1);
                }
            }
            c.drain();
        } catch (Throwable e) {
            failure = e;
        }
    }

    /** Waits for the load to finish (or stops it) and rethrows its failure, if any. */
    @Override
    public void close() throws Exception {
        running.set(false);
        thread.join(30_000);
        if (failure != null) {
            throw new AssertionError("write load failed", failure);
        }
    }

    public void awaitDone() throws InterruptedException {
        thread.join(120_000);
    }
}
