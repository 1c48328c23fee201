package io.ferry.target.cluster;

import io.ferry.convert.TargetFeatures;
import io.ferry.resp.RedisConnection;
import io.ferry.resp.RedisUri;
import io.ferry.resp.Reply;
import io.ferry.resp.TlsOptions;
import io.ferry.route.SlotMap;
import io.ferry.route.Slots;
import io.ferry.target.BatchWriter;
import io.ferry.target.Lane;
import io.ferry.target.MissingDbException;
import io.ferry.target.RedisTarget;
import io.ferry.target.StreamApplier;
import io.ferry.target.Target;
import io.ferry.target.TargetCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Redis Cluster (or Valkey cluster) target, found from any of its nodes: keys are routed by
 * slot to the master serving it, redirections ({@code MOVED}, {@code ASK}) are followed, and the
 * stream's checkpoints are kept per slot ({@link ClusterBatchWriter}). A lane spans every master:
 * the lane of a key is its slot modulo the lane count, so a slot's commands stay in order.
 */
public final class ClusterTarget implements Target {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterTarget.class);

    private final RedisUri seed;
    private final TlsOptions tls;
    private final TargetFeatures features;
    private final RedisConnection probe; // the seed node: questions about commands and functions
    private final TargetCommands commands;
    private final int windowCommands;
    private final long windowBytes;
    private final List<Lane> lanes = new ArrayList<>();
    private final AtomicReference<String> laneFailure = new AtomicReference<>();
    private volatile SlotMap map;
    private final java.util.concurrent.atomic.LongAdder redirects = new java.util.concurrent.atomic.LongAdder();
    private boolean emptyAtOpen;

    private ClusterTarget(RedisUri seed, TlsOptions tls, RedisConnection probe, int windowCommands, long windowBytes) {
        this.seed = seed;
        this.tls = tls;
        this.probe = probe;
        this.features = RedisTarget.probe(probe);
        this.commands = new TargetCommands(probe);
        this.windowCommands = windowCommands;
        this.windowBytes = windowBytes;
    }

    /** Whether the server behind {@code c} is a cluster node. */
    public static boolean isCluster(RedisConnection c) {
        Reply r = c.call("INFO", "cluster");
        return !r.isError() && r.asString().contains("cluster_enabled:1");
    }

    /** Opens the cluster that {@code probe} (connected to {@code seed}, taken over) is a node of. */
    public static ClusterTarget open(RedisUri seed, TlsOptions tls, RedisConnection probe, int laneCount, int windowCommands, long windowBytes) {
        ClusterTarget t = new ClusterTarget(seed, tls, probe, windowCommands, windowBytes);
        try {
            t.map = SlotMap.read(probe);
            int unserved = t.map.firstUnserved();
            if (unserved >= 0) {
                throw new io.ferry.cli.UserError("the target cluster at " + seed.redacted() + " does not serve every slot (slot " + unserved
                        + " has no master): fix the cluster (redis-cli --cluster fix) before writing to it");
            }
            long keys = 0;
            for (String m : t.map.masters()) {
                try (RedisConnection c = t.connect(m)) {
                    keys += c.call("DBSIZE").asLong();
                }
            }
            t.emptyAtOpen = keys == 0;
            for (int i = 0; i < laneCount; i++) {
                t.lanes.add(new ClusterLane(t, i));
            }
            LOG.info("target cluster: {} masters ({})", t.map.masters().size(), String.join(", ", t.map.masters()));
        } catch (RuntimeException e) {
            t.close();
            throw e;
        }
        return t;
    }

    RedisConnection connect(String node) {
        return RedisConnection.open(seed.atNode(node).withDb(null), tls, Duration.ofSeconds(10));
    }

    int windowCommands() {
        return windowCommands;
    }

    long windowBytes() {
        return windowBytes;
    }

    SlotMap map() {
        return map;
    }

    /** Reads the slot map again (after a MOVED, a failover): from the seed, else from any known master. */
    synchronized SlotMap refresh() {
        List<String> askable = new ArrayList<>();
        askable.add(null); // the seed, through the probe connection
        askable.addAll(map.masters());
        RuntimeException last = null;
        for (String node : askable) {
            try {
                SlotMap m;
                if (node == null) {
                    synchronized (probe) {
                        m = SlotMap.read(probe);
                    }
                } else {
                    try (RedisConnection c = connect(node)) {
                        m = SlotMap.read(c);
                    }
                }
                if (m.firstUnserved() < 0) {
                    map = m;
                    return m;
                }
            } catch (RuntimeException e) {
                last = e;
            }
        }
        if (last != null) {
            LOG.debug("could not read the cluster's slot map: {}", last.getMessage());
        }
        return map; // some slot served nowhere yet (a failover in progress): keep the old map, the caller retries
    }

    void redirected() {
        redirects.increment();
    }

    @Override
    public long redirectsFollowed() {
        return redirects.sum();
    }

    void laneFailed(String message) {
        laneFailure.compareAndSet(null, message);
    }

    @Override
    public String laneFailure() {
        return laneFailure.get();
    }

    @Override
    public TargetFeatures features() {
        return features;
    }

    @Override
    public boolean emptyAtOpen() {
        return emptyAtOpen;
    }

    @Override
    public List<Lane> lanes() {
        return lanes;
    }

    /**
     * A batch's checkpoint costs a read and a write per distinct slot it touches (bench/cluster.sh),
     * so batches here are large enough that a backlog of keys spread over every slot still puts a few
     * commands in each slot's part: 128 Ki commands over all lanes, from 1000 to 16 Ki per lane.
     * A script sent to one master stays bounded by {@code ClusterBatchWriter}'s own limit.
     */
    @Override
    public int streamBatchCommands() {
        return Math.max(1000, Math.min(16_384, 131_072 / lanes.size()));
    }

    @Override
    public int laneIndex(byte[] key) {
        return Slots.of(key) % lanes.size();
    }

    /** A cluster has db 0 only. */
    @Override
    public int databases() {
        return 1;
    }

    @Override
    public void requireDb(int targetDb, String what) {
        if (targetDb != 0) {
            throw new MissingDbException(what + " would be written to db " + targetDb + ", but the target " + seed.redacted()
                    + " is a cluster, which has db 0 only; map it with --db-map S=0 or --target-db 0, or leave it out with --db");
        }
    }

    @Override
    public String refusalOf(byte[][] argv) {
        return commands.refusalOf(io.ferry.route.CommandTable.name(argv), argv.length);
    }

    /** Whether every master has a function library of this name (a library is loaded on each). */
    @Override
    public boolean hasFunctionLibrary(String name) {
        for (String m : map.masters()) {
            try (RedisConnection c = connect(m)) {
                if (!RedisTarget.hasFunctionLibrary(c, name)) {
                    return false;
                }
            }
        }
        return true;
    }

    @Override
    public List<String> modules() {
        synchronized (probe) {
            return RedisTarget.modules(probe);
        }
    }

    /** The per-slot checkpoint keys on every master (a unit is a slot). */
    @Override
    public StreamApplier.LaneCheckpoints readCheckpoints(int laneCount, String syncId, String partition) {
        String[] values = new String[Slots.COUNT];
        for (String m : map.masters()) {
            try (RedisConnection c = connect(m)) {
                for (byte[] key : SlotCheckpoints.keysOn(c, partition)) {
                    Reply v = c.call(new byte[][] {io.ferry.convert.Args.b("GET"), key});
                    if (!v.isError() && !v.isNull()) {
                        values[Slots.of(key)] = v.asString();
                    }
                }
            }
        }
        return StreamApplier.LaneCheckpoints.of(Slots.COUNT, syncId, s -> values[s]);
    }

    @Override
    public BatchWriter batchWriter(String syncId, String partition, LongFunction<String> value, long[] applied) {
        return new ClusterBatchWriter(this, syncId, new SlotCheckpoints(partition), value, applied);
    }

    List<ClusterLane> clusterLanes() {
        List<ClusterLane> l = new ArrayList<>();
        for (Lane x : lanes) {
            l.add((ClusterLane) x);
        }
        return l;
    }

    RedisConnection probe() {
        return probe;
    }

    /**
     * A cluster is itself whichever node it was reached through: {@code redis-cluster:} and the IDs
     * of its nodes, which are random and never shared by two clusters. A later run matches when any
     * node is still there (the IDs are recorded again with each checkpoint, so nodes may come and go).
     */
    @Override
    public String identity(String given) {
        java.util.Map<String, String> nodes = knownNodes();
        return nodes == null ? given : "redis-cluster:" + String.join(",", nodes.keySet());
    }

    @Override
    public boolean isIdentity(String recorded, String given) {
        java.util.Map<String, String> now = knownNodes();
        if (now == null) {
            return recorded.equals(given);
        }
        if (recorded.startsWith("redis-cluster:")) {
            for (String id : recorded.substring("redis-cluster:".length()).split(",")) {
                if (now.containsKey(id)) {
                    return true;
                }
            }
            return false;
        }
        // Bound to a node's address (by an earlier Ferry): that node must still be in the cluster.
        String address = recorded.replaceFirst("^rediss?://", "").replaceFirst("/\\d+$", "");
        return recorded.equals(given) || now.containsValue(address);
    }

    /**
     * Node ID to address ({@code host:port}) of every node the cluster knows, sorted by ID; null
     * when Ferry's user may not run CLUSTER NODES (the state directory is then bound to the address given).
     */
    private java.util.SortedMap<String, String> knownNodes() {
        Reply r;
        synchronized (probe) {
            r = probe.call("CLUSTER", "NODES");
        }
        if (r.isError()) {
            return null;
        }
        java.util.SortedMap<String, String> nodes = new java.util.TreeMap<>();
        for (String line : r.asString().split("\n")) {
            String[] f = line.trim().split(" ");
            if (f.length > 2 && !f[2].contains("handshake")) {
                int at = f[1].indexOf('@');
                nodes.put(f[0], at < 0 ? f[1] : f[1].substring(0, at));
            }
        }
        return nodes;
    }

    @Override
    public void close() {
        for (Lane l : lanes) {
            l.close();
        }
        probe.close();
    }
}
