package io.ferry.testing;

import io.ferry.resp.RedisConnection;
import io.ferry.resp.Reply;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Redis Cluster on loopback: {@code masters} masters with {@code replicas} replicas each,
 * made with {@code redis-cli --cluster create}, ready when every node says {@code cluster_state:ok}
 * and agrees on the slot map. Closing stops every node and removes their directories.
 */
public final class RedisClusterProcess implements AutoCloseable {
    private static final String REDIS_CLI = System.getProperty("ferry.redis-cli", "/usr/bin/redis-cli");
    private final List<RedisServerProcess> nodes = new ArrayList<>();

    private RedisClusterProcess() {}

    public static RedisClusterProcess start(int masters, int replicas, String... extraConfig) {
        RedisClusterProcess c = new RedisClusterProcess();
        try {
            for (int i = 0; i < masters * (1 + replicas); i++) {
                List<String> conf = new ArrayList<>(List.of("cluster-enabled yes", "cluster-config-file nodes.conf",
                        "cluster-node-timeout 2000", "cluster-port " + FreePorts.pick()));
                conf.addAll(List.of(extraConfig));
                c.nodes.add(RedisServerProcess.start(conf.toArray(new String[0])));
            }
            List<String> cmd = new ArrayList<>(List.of(REDIS_CLI, "--cluster", "create"));
            for (RedisServerProcess n : c.nodes) {
                cmd.add("127.0.0.1:" + n.port());
            }
            cmd.addAll(List.of("--cluster-replicas", Integer.toString(replicas), "--cluster-yes"));
            cli(cmd);
            c.awaitStable(masters);
            c.awaitReplicas(replicas);
            return c;
        } catch (RuntimeException e) {
            c.close();
            throw e;
        }
    }

    /** Runs redis-cli and returns its output; fails with the output when it exits non-zero. */
    public static String cli(List<String> cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", cmd) + " failed:\n" + out);
            }
            return out;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Waits until every node says the cluster is ok and every node sees {@code masters} masters serving all slots. */
    public void awaitStable(int masters) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String last = "";
        while (System.nanoTime() < deadline) {
            boolean ok = true;
            String seen = null;
            for (RedisServerProcess n : nodes) {
                try (RedisConnection c = n.connection()) {
                    String info = c.call("CLUSTER", "INFO").asString();
                    String slots = slotOwners(c);
                    ok &= info.contains("cluster_state:ok") && slots.split(",").length == masters;
                    ok &= seen == null || seen.equals(slots);
                    seen = slots;
                    last = info.lines().filter(l -> l.startsWith("cluster_state") || l.startsWith("cluster_known")).toList() + " " + slots;
                } catch (RuntimeException e) {
                    ok = false;
                    last = e.toString();
                }
            }
            if (ok) {
                return;
            }
            pause(50);
        }
        throw new IllegalStateException("the cluster did not become stable: " + last);
    }

    /** Waits until every node lists {@code replicas} replicas for every slot range and every replica's link to its master is up. */
    public void awaitReplicas(int replicas) {
        if (replicas == 0) {
            return;
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            boolean ok = true;
            for (RedisServerProcess n : nodes) {
                try (RedisConnection c = n.connection()) {
                    ok &= c.call("CLUSTER", "SLOTS").asList().stream().allMatch(r -> r.asList().size() == 3 + replicas);
                    String role = c.call("ROLE").asList().get(0).asString();
                    ok &= role.equals("master") || "up".equals(c.infoField("replication", "master_link_status"));
                }
            }
            if (ok) {
                return;
            }
            pause(50);
        }
        throw new IllegalStateException("the cluster's replicas did not all come up");
    }

    private static String slotOwners(RedisConnection c) {
        List<String> owners = new ArrayList<>();
        for (Reply r : c.call("CLUSTER", "SLOTS").asList()) {
            List<Reply> f = r.asList();
            String port = f.get(2).asList().get(1).asString();
            if (!owners.contains(port)) {
                owners.add(port);
            }
        }
        owners.sort(null);
        return String.join(",", owners);
    }

    static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** {@code redis://127.0.0.1:port} of the first node. */
    public String seedUri() {
        return nodes.get(0).uriWithPassword();
    }

    public List<RedisServerProcess> nodes() {
        return nodes;
    }

    /** The nodes that are masters now. */
    public List<RedisServerProcess> masters() {
        List<RedisServerProcess> m = new ArrayList<>();
        for (RedisServerProcess n : nodes) {
            try (RedisConnection c = n.connection()) {
                if (c.call("ROLE").asList().get(0).asString().equals("master")) {
                    m.add(n);
                }
            }
        }
        return m;
    }

    public String nodeId(RedisServerProcess n) {
        try (RedisConnection c = n.connection()) {
            return c.call("CLUSTER", "MYID").asString();
        }
    }

    /** Every key of the cluster (its masters' db 0), Ferry's own checkpoint keys left out. */
    public Dataset dataset() {
        Dataset all = new Dataset();
        for (RedisServerProcess m : masters()) {
            try (RedisConnection c = m.connection()) {
                Dataset d = ServerDataset.read(c, 0);
                d.dbs.getOrDefault(0, java.util.Map.of()).forEach((k, v) -> {
                    if (!k.startsWith("__ferry_checkpoint:")) {
                        all.put(0, k, v);
                    }
                });
            }
        }
        return all;
    }

    /** How many keys the masters hold, Ferry's checkpoint keys included. */
    public long dbsize() {
        long n = 0;
        for (RedisServerProcess m : masters()) {
            try (RedisConnection c = m.connection()) {
                n += c.call("DBSIZE").asLong();
            }
        }
        return n;
    }

    /** Moves {@code slots} slots from master {@code from} to master {@code to} with {@code redis-cli --cluster reshard}. */
    public String reshard(RedisServerProcess from, RedisServerProcess to, int slots) {
        return cli(List.of(REDIS_CLI, "--cluster", "reshard", "127.0.0.1:" + from.port(), "--cluster-from", nodeId(from), "--cluster-to",
                nodeId(to), "--cluster-slots", Integer.toString(slots), "--cluster-yes"));
    }

    /** Makes a replica of {@code master} take over ({@code CLUSTER FAILOVER} on it); returns the new master. */
    public RedisServerProcess failover(RedisServerProcess master) {
        String id = nodeId(master);
        for (RedisServerProcess n : nodes) {
            try (RedisConnection c = n.connection()) {
                List<Reply> role = c.call("ROLE").asList();
                if (role.get(0).asString().equals("slave") && role.get(2).asLong() == master.port()) {
                    c.call("CLUSTER", "FAILOVER").asString();
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                    while (System.nanoTime() < deadline) {
                        if (c.call("ROLE").asList().get(0).asString().equals("master")) {
                            return n;
                        }
                        pause(50);
                    }
                    throw new IllegalStateException("the replica of " + id + " did not take over");
                }
            }
        }
        throw new IllegalStateException("master " + id + " has no replica");
    }

    @Override
    public void close() {
        for (RedisServerProcess n : nodes) {
            n.close();
        }
    }

}
