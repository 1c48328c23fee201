package io.ferry.sync;

import io.ferry.checkpoint.StateDirLock;
import io.ferry.checkpoint.SyncStateException;
import io.ferry.resp.RedisConnection;
import io.ferry.resp.RedisUri;
import io.ferry.route.SlotMap;
import io.ferry.status.StatusSnapshot;
import io.ferry.target.cluster.ClusterTarget;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a sync over every partition of the sources: one {@link SyncSession} for a standalone
 * source, one per master for a Redis Cluster source, one per source when several are given (each
 * its own replica link, spool, offsets and checkpoint, in {@code state-dir/shards/host_port}). It
 * owns and joins the partitions' threads: the first failure stops them all and is what the run
 * ends with. A cluster source's slot map is watched: a slot that changes owner on the source stops
 * the run with one line, since following a source reshard is not supported yet.
 */
public final class SyncCoordinator {
    private static final Logger LOG = LoggerFactory.getLogger(SyncCoordinator.class);
    private static final Duration WATCH_EVERY = Duration.ofSeconds(2);

    private final SyncOptions opt;
    private final Map<String, Partition> sessions; // partition name -> session
    private final Map<RedisUri, SlotMap> sourceMaps; // of each cluster source (replaced after a followed failover)
    private final boolean several; // more than one partition
    private final boolean followFailovers; // replicas are followed: a failover inside a shard is no reason to stop
    private final AtomicBoolean stopping = new AtomicBoolean();

    private SyncCoordinator(SyncOptions opt, Map<String, Partition> sessions, Map<RedisUri, SlotMap> sourceMaps) {
        this(opt, sessions, sourceMaps, false);
    }

    private SyncCoordinator(SyncOptions opt, Map<String, Partition> sessions, Map<RedisUri, SlotMap> sourceMaps, boolean followFailovers) {
        this.opt = opt;
        this.sessions = sessions;
        this.sourceMaps = sourceMaps;
        this.several = sessions.size() > 1;
        this.followFailovers = followFailovers;
    }

    public static SyncCoordinator plan(SyncOptions opt) {
        return plan(opt, List.of(opt.source()));
    }

    public static SyncCoordinator plan(SyncOptions opt, List<RedisUri> sources) {
        return planSources(opt, sources.stream().map(u -> (SourceSpec) new SourceSpec.Server(u)).toList());
    }

    /**
     * Finds the partitions of {@code specs}: a standalone source is one, a cluster one per master, a
     * twemproxy pool one per backend.
     */
    public static SyncCoordinator planSources(SyncOptions opt, List<SourceSpec> specs) {
        return planSources(opt, specs, SourceTopologyOptions.DEFAULT);
    }

    /** As {@link #planSources(SyncOptions, List)}, reading the shards as {@code topo} says (replicas, one snapshot per host at a time). */
    public static SyncCoordinator planSources(SyncOptions opt, List<SourceSpec> specs, SourceTopologyOptions topo) {
        List<SourceSpec.Pika> pikas = specs.stream().filter(x -> x instanceof SourceSpec.Pika).map(x -> (SourceSpec.Pika) x).toList();
        if (!pikas.isEmpty()) {
            if (specs.size() > 1) {
                throw new io.ferry.cli.UserError("a Pika master is synced on its own: give it as the only --source");
            }
            return new SyncCoordinator(opt, PikaPlan.plan(opt, pikas.get(0)), Map.of());
        }
        List<SourceSpec.Twemproxy> pools = specs.stream().filter(x -> x instanceof SourceSpec.Twemproxy).map(x -> (SourceSpec.Twemproxy) x).toList();
        if (!pools.isEmpty()) {
            if (specs.size() > 1) {
                throw new io.ferry.cli.UserError("a twemproxy pool is synced on its own: give it as the only --source");
            }
            return planPool(opt, pools.get(0), topo);
        }
        List<RedisUri> sources = specs.stream().map(x -> ((SourceSpec.Server) x).uri()).toList();
        Map<RedisUri, SlotMap> maps = new LinkedHashMap<>();
        List<String> shards = new ArrayList<>();
        for (RedisUri s : sources) {
            try (RedisConnection c = RedisConnection.open(s, opt.sourceTls(), Duration.ofSeconds(10))) {
                if (ClusterTarget.isCluster(c)) {
                    SlotMap map = SlotMap.read(c);
                    maps.put(s, map);
                    shards.addAll(map.masters());
                    LOG.info("source cluster {}: {} masters, one partition each ({})", s.redacted(), map.masters().size(), String.join(", ", map.masters()));
                } else {
                    shards.add(s.host() + ":" + s.port());
                }
            }
        }
        Map<String, Partition> sessions = new LinkedHashMap<>();
        if (topo.preferReplica() && maps.isEmpty()) {
            LOG.warn("--source-prefer replica is for a Redis Cluster source; {} is followed as given", String.join(", ", shards));
        }
        if (shards.size() == 1 && maps.isEmpty()) {
            sessions.put("", new SyncSession(opt.source().equals(sources.get(0)) ? opt : forShard(opt, sources.get(0), false)));
            return new SyncCoordinator(opt, sessions, maps);
        }
        if (opt.target() instanceof TargetSpec.AofFile) {
            throw new io.ferry.cli.UserError("the sources have " + shards.size()
                    + " shards, and one AOF file cannot hold several streams; sync into a server or a cluster, or take one file per shard");
        }
        // Shards of one cluster hold different keys; separate sources may hold the same key: no blind writes then.
        boolean disjoint = sources.size() == 1;
        Map<String, SnapshotGate> gates = new LinkedHashMap<>();
        List<String> before = topo.preferReplica() ? shardsOf(opt.stateDir()) : List.of();
        int at = 0;
        for (RedisUri s : sources) {
            List<String> of = maps.containsKey(s) ? maps.get(s).masters() : List.of(shards.get(at));
            for (String shard : of) {
                String node = maps.containsKey(s) && topo.preferReplica() ? ReplicaChoice.nodeToFollow(maps.get(s), shard, before) : shard;
                if (sessions.containsKey(node)) {
                    throw new io.ferry.cli.UserError("the source " + node + " is given twice");
                }
                RedisUri uri = s.atNode(node);
                sessions.put(node, new SyncSession(forShard(opt, uri, true), node, disjoint, gate(gates, topo, uri.host())));
            }
            at += of.size();
        }
        logGates(gates, sessions);
        return new SyncCoordinator(opt, sessions, maps, topo.preferReplica());
    }

    /** The host's snapshot gate under --source-safe (one per host, shared by its partitions), else none. */
    private static SnapshotGate gate(Map<String, SnapshotGate> gates, SourceTopologyOptions topo, String host) {
        return topo.safe() ? gates.computeIfAbsent(host, SnapshotGate::forHost) : SnapshotGate.NONE;
    }

    private static void logGates(Map<String, SnapshotGate> gates, Map<String, Partition> sessions) {
        if (!gates.isEmpty() && gates.size() < sessions.size()) {
            LOG.info("--source-safe: {} partitions on {} host(s) ({}): the partitions of one host take their snapshots one at a time",
                    sessions.size(), gates.size(), String.join(", ", gates.keySet()));
        }
    }

    /** The partitions a state dir was made for (its shards.txt), none for a new one. */
    private static List<String> shardsOf(Path stateDir) {
        Path file = stateDir.resolve("shards.txt");
        try {
            return Files.exists(file) ? Files.readString(file).strip().lines().toList() : List.of();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot read " + file, e);
        }
    }

    /** One partition per backend, each reading only the keys the pool's hashing puts on it. */
    private static SyncCoordinator planPool(SyncOptions opt, SourceSpec.Twemproxy spec, SourceTopologyOptions topo) {
        if (opt.target() instanceof TargetSpec.AofFile) {
            throw new io.ferry.cli.UserError("a twemproxy pool has " + spec.pool().servers().size()
                    + " backends, and one AOF file cannot hold several streams; sync into a server or a cluster");
        }
        Map<String, Partition> sessions = new LinkedHashMap<>();
        Map<String, SnapshotGate> gates = new LinkedHashMap<>();
        var pool = spec.pool();
        for (int i = 0; i < pool.servers().size(); i++) {
            int backend = i;
            RedisUri uri = spec.backend(i);
            String name = pool.servers().get(i).hostPort();
            var filter = opt.filter().ownedBy(k -> pool.serverOf(k) == backend, "backend " + name + " of " + pool.describe());
            SyncOptions o = forShard(opt, uri, true);
            sessions.put(name, new SyncSession(o.forPartition(o.source(), o.stateDir(), filter), name, true, gate(gates, topo, uri.host())));
        }
        logGates(gates, sessions);
        LOG.info("source {}: {} backends, one partition each; keys a backend holds but the pool's hashing puts elsewhere are left out",
                pool.describe(), pool.servers().size());
        return new SyncCoordinator(opt, sessions, Map.of());
    }


    /** The options of one partition: its source, and its own state dir when there are several. */
    private static SyncOptions forShard(SyncOptions o, RedisUri uri, boolean ownDir) {
        Path dir = ownDir ? o.stateDir().resolve("shards").resolve(uri.host() + "_" + uri.port()) : o.stateDir();
        return o.forPartition(uri, dir, o.filter());
    }

    public List<Partition> sessions() {
        return List.copyOf(sessions.values());
    }

    /** The partition names, in order ("" for a standalone source). */
    public List<String> partitions() {
        return List.copyOf(sessions.keySet());
    }

    public void stop() {
        stopping.set(true);
        sessions.values().forEach(Partition::stop);
    }

    public boolean stopping() {
        return stopping.get();
    }

    /** Runs every partition until {@link #stop()} or the first failure, which is thrown once all have stopped. */
    public void run() throws Exception {
        if (!several) {
            sessions.values().iterator().next().run();
            return;
        }
        Files.createDirectories(opt.stateDir());
        try (StateDirLock lock = StateDirLock.acquire(opt.stateDir())) {
            requireSameShards();
            AtomicReference<Throwable> first = new AtomicReference<>();
            List<Thread> threads = new ArrayList<>();
            for (Map.Entry<String, Partition> e : sessions.entrySet()) {
                Thread t = new Thread(() -> {
                    try {
                        e.getValue().run();
                    } catch (Throwable x) {
                        if (first.compareAndSet(null, x)) {
                            LOG.error("shard {} stopped: {}", e.getKey(), x.getMessage());
                        }
                        stop();
                    }
                }, "ferry-shard-" + e.getKey());
                threads.add(t);
                t.start();
            }
            try {
                watchSourceSlots(threads, first);
            } finally {
                stop();
                for (Thread t : threads) {
                    t.join();
                }
            }
            Throwable f = first.get();
            if (f instanceof Exception x) {
                throw x;
            }
            if (f instanceof Error x) {
                throw x;
            }
        }
    }

    /** A state dir keeps the shards it was made for: another set of masters is another migration. */
    private void requireSameShards() throws IOException {
        Path file = opt.stateDir().resolve("shards.txt");
        String now = String.join("\n", sessions.keySet());
        if (Files.exists(file)) {
            String before = Files.readString(file).strip();
            if (!before.equals(now)) {
                throw new SyncStateException("the state directory " + opt.stateDir() + " was made for the source nodes " + before.replace('\n', ' ')
                        + ", but the source now has " + now.replace('\n', ' ') + "; use a new --state-dir (and an empty target) for this layout");
            }
        } else {
            Files.writeString(file, now + "\n");
        }
    }

    /** Waits for the partitions, reading the source's slot map every few seconds; a change stops the run. */
    private void watchSourceSlots(List<Thread> threads, AtomicReference<Throwable> first) throws InterruptedException {
        while (threads.stream().anyMatch(Thread::isAlive)) {
            threads.get(0).join(WATCH_EVERY.toMillis());
            if (stopping.get() || first.get() != null) {
                return;
            }
            for (Map.Entry<RedisUri, SlotMap> e : sourceMaps.entrySet()) {
                SlotMap was = e.getValue();
                try (RedisConnection c = RedisConnection.open(e.getKey(), opt.sourceTls(), Duration.ofSeconds(10))) {
                    SlotMap now = SlotMap.read(c);
                    int s = followFailovers ? was.firstMoveAcrossShards(now) : was.firstDifference(now);
                    if (s < 0 && followFailovers && was.firstDifference(now) >= 0 && now.firstUnserved() < 0) {
                        // Each partition follows its node whatever its role: a failover inside a shard changes nothing here.
                        LOG.info("source cluster {}: a failover inside a shard (masters now {}); every partition follows its node on",
                                e.getKey().redacted(), String.join(", ", now.masters()));
                        e.setValue(now);
                        continue;
                    }
                    if (s >= 0) {
                        first.compareAndSet(null, new SyncStateException("the source cluster's slot map changed during the sync (slot " + s
                                + " was served by " + was.ownerOf(s) + ", now by " + now.ownerOf(s) + "); Ferry does not follow a reshard or failover "
                                + "of the source yet: stopped with every shard checkpointed; restart with a new --state-dir and an empty target once "
                                + "the source is stable"));
                        return;
                    }
                } catch (RuntimeException x) {
                    LOG.debug("could not read the slot map of {}: {}", e.getKey().redacted(), x.getMessage());
                }
            }
        }
    }

    /** One reading of every partition: the sum of their numbers, and the least advanced state. */
    public StatusSnapshot status() {
        if (sessions.size() == 1) {
            return sessions.values().iterator().next().status();
        }
        Map<String, StatusSnapshot.Field> merged = new LinkedHashMap<>();
        for (Partition s : sessions.values()) {
            for (StatusSnapshot.Field f : s.status().fields()) {
                merged.merge(f.name(), f, SyncCoordinator::merge);
            }
        }
        StatusSnapshot.Builder b = StatusSnapshot.builder();
        for (StatusSnapshot.Field f : merged.values()) {
            switch (f.kind()) {
                case TEXT -> b.text(f.name(), f.name().equals("source") ? String.join(" + ", sessions.keySet()) + " (" + sessions.size() + " shards)"
                        : (String) f.value());
                case FLAG -> b.flag(f.name(), (Boolean) f.value(), f.help());
                case GAUGE -> b.gauge(f.name(), (Number) f.value(), f.help());
                case COUNTER -> b.counter(f.name(), (Number) f.value(), f.help());
            }
        }
        b.gauge("shards", sessions.size(), "Source partitions (cluster masters) synced in parallel.");
        return b.build();
    }

    private static StatusSnapshot.Field merge(StatusSnapshot.Field a, StatusSnapshot.Field b) {
        Object v;
        if (a.kind() == StatusSnapshot.Kind.TEXT) {
            v = a.name().equals("state") && !"incremental".equals(b.value()) ? b.value() : a.value(); // the least advanced
        } else if (a.value() instanceof Number x && b.value() instanceof Number y) {
            // Boxed one by one: a conditional of a double and a long would make every sum a double.
            if (a.name().equals("lag_seconds") || a.name().equals("uptime_seconds")) {
                v = x instanceof Double || y instanceof Double ? (Number) Math.max(x.doubleValue(), y.doubleValue()) : (Number) Math.max(x.longValue(), y.longValue());
            } else if (x instanceof Double || y instanceof Double) {
                v = x.doubleValue() + y.doubleValue();
            } else {
                v = x.longValue() + y.longValue();
            }
        } else {
            v = a.value();
        }
        return new StatusSnapshot.Field(a.name(), a.kind(), v, a.help());
    }
}
