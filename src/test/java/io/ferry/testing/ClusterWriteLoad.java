package io.ferry.testing;

import io.ferry.resp.PipelinedConnection;
import io.ferry.resp.RedisConnection;
import io.ferry.resp.RedisUri;
import io.ferry.route.SlotMap;
import io.ferry.route.Slots;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A deterministic write load into a Redis Cluster, each command sent to the master of its slot:
 * counters, lists, hashes, sets, sorted sets, expiries, deletes, and MULTI/EXEC blocks whose keys
 * share a hash tag (the only blocks a cluster takes).
 */
public final class ClusterWriteLoad implements AutoCloseable {
    private final Thread thread;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong ops = new AtomicLong();
    private volatile Throwable failure;

    private ClusterWriteLoad(RedisUri seed, long seed2, long maxOps) {
        thread = new Thread(() -> run(seed, seed2, maxOps), "cluster-write-load");
        thread.setDaemon(true);
        thread.start();
    }

    public static ClusterWriteLoad start(RedisUri anyNode, long seed, long maxOps) {
        return new ClusterWriteLoad(anyNode, seed, maxOps);
    }

    private static byte[][] cmd(String... a) {
        byte[][] r = new byte[a.length][];
        for (int i = 0; i < a.length; i++) {
            r[i] = a[i].getBytes(StandardCharsets.UTF_8);
        }
        return r;
    }

    private void run(RedisUri anyNode, long seed, long maxOps) {
        Random rnd = new Random(seed);
        Map<String, PipelinedConnection> nodes = new HashMap<>();
        try {
            SlotMap map;
            try (RedisConnection c = RedisConnection.open(anyNode, null, Duration.ofSeconds(5))) {
                map = SlotMap.read(c);
            }
            long expireAt = System.currentTimeMillis() + 3_600_000;
            while (running.get() && ops.get() < maxOps) {
                int k = rnd.nextInt(400);
                String tag = "{c" + k + "}";
                String key = "cl:" + tag;
                byte[][][] block = switch (rnd.nextInt(10)) {
                    case 0 -> new byte[][][] {cmd("INCR", key + ":n")};
                    case 1 -> new byte[][][] {cmd("RPUSH", key + ":l", "e" + rnd.nextInt(100))};
                    case 2 -> new byte[][][] {cmd("LPOP", key + ":l")};
                    case 3 -> new byte[][][] {cmd("HSET", key + ":h", "f" + rnd.nextInt(20), "v" + rnd.nextInt())};
                    case 4 -> new byte[][][] {cmd("SADD", key + ":s", "m" + rnd.nextInt(50))};
                    case 5 -> new byte[][][] {cmd("ZADD", key + ":z", Integer.toString(rnd.nextInt(1000)), "m" + rnd.nextInt(50))};
                    case 6 -> new byte[][][] {cmd("SET", key + ":t", "x", "PXAT", Long.toString(expireAt))};
                    case 7 -> new byte[][][] {cmd("DEL", key + ":s", key + ":z")};
                    case 8 -> new byte[][][] {cmd("MULTI"), cmd("INCR", key + ":tx"), cmd("RPUSH", key + ":txl", "t" + ops.get()), cmd("EXEC")};
                    default -> new byte[][][] {cmd("SET", "plain:" + k, "v" + rnd.nextInt())};
                };
                byte[][] first = block.length > 1 ? block[1] : block[0];
                String owner = map.ownerOf(Slots.of(first[1]));
                PipelinedConnection c = nodes.computeIfAbsent(owner,
                        n -> new PipelinedConnection(RedisConnection.open(anyNode.atNode(n), null, Duration.ofSeconds(5)), 1000, 1 << 20));
                for (byte[][] argv : block) {
                    c.send(argv, r -> {
                        if (r.isError()) {
                            failure = new AssertionError("the load's " + new String(argv[0], StandardCharsets.UTF_8) + " failed: " + ((io.ferry.resp.Reply.Error) r).message());
                        }
                    });
                }
                if (ops.incrementAndGet() % 200 == 0) {
                    nodes.values().forEach(PipelinedConnection::flush);
                    Thread.sleep(1);
                }
            }
            nodes.values().forEach(PipelinedConnection::drain);
        } catch (Throwable e) {
            failure = e;
        } finally {
            nodes.values().forEach(PipelinedConnection::close);
        }
    }

    public void awaitDone() throws InterruptedException {
        thread.join();
        if (failure != null) {
            throw new AssertionError("the write load failed", failure);
        }
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        awaitDone();
    }
}
