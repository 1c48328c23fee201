package io.ferry.testing;

import io.ferry.resp.RedisConnection;
import io.ferry.resp.RedisUri;
import io.ferry.resp.Reply;
import io.ferry.route.SlotMap;
import io.ferry.route.Slots;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * INCRs on {@code keys} counters spread over every slot range of a Redis Cluster, one at a time,
 * each to the master of its slot, counting the ones the cluster confirmed: a failover of the
 * cluster in the middle answers MOVED (not executed), which re-reads the slot map and sends the
 * INCR again. Any other failure (a lost connection: the INCR may or may not have run) fails the
 * load, so {@link #expected()} is exact.
 */
public final class ClusterCounterLoad implements AutoCloseable {
    private final Thread thread;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Map<String, Long> confirmed = new ConcurrentHashMap<>();
    private volatile long moved;
    private volatile Throwable failure;

    private ClusterCounterLoad(RedisUri anyNode, int keys) {
        thread = new Thread(() -> run(anyNode, keys), "cluster-counter-load");
        thread.setDaemon(true);
        thread.start();
    }

    public static ClusterCounterLoad start(RedisUri anyNode, int keys) {
        return new ClusterCounterLoad(anyNode, keys);
    }

    private void run(RedisUri anyNode, int keys) {
        Map<String, RedisConnection> nodes = new HashMap<>();
        try {
            SlotMap map = read(anyNode);
            for (long i = 0; running.get(); i++) {
                String key = "cnt:" + (i % keys);
                while (true) {
                    String owner = map.ownerOf(Slots.of(key.getBytes(StandardCharsets.UTF_8)));
                    RedisConnection c = nodes.computeIfAbsent(owner, n -> RedisConnection.open(anyNode.atNode(n), null, Duration.ofSeconds(10)));
                    Reply r = c.call("INCR", key);
                    if (!r.isError()) {
                        confirmed.merge(key, 1L, Long::sum);
                        break;
                    }
                    String code = ((Reply.Error) r).code();
                    if (!code.equals("MOVED") && !code.equals("TRYAGAIN") && !code.equals("CLUSTERDOWN")) {
                        throw new AssertionError("INCR " + key + " failed: " + ((Reply.Error) r).message());
                    }
                    moved++;
                    Thread.sleep(20);
                    map = read(anyNode);
                }
            }
        } catch (Throwable e) {
            failure = e;
        } finally {
            nodes.values().forEach(RedisConnection::close);
        }
    }

    private static SlotMap read(RedisUri anyNode) {
        try (RedisConnection c = RedisConnection.open(anyNode, null, Duration.ofSeconds(5))) {
            return SlotMap.read(c);
        }
    }

    /** The value each counter must have: the INCRs the cluster confirmed. */
    public Map<String, Long> expected() {
        return Map.copyOf(confirmed);
    }

    /** INCRs sent again after a redirect (a failover happened under the load). */
    public long redirects() {
        return moved;
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        thread.join();
        if (failure != null) {
            throw new AssertionError("the counter load failed", failure);
        }
    }
}
