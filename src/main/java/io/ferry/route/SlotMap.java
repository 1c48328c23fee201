package io.ferry.route;

import io.ferry.resp.RedisConnection;
import io.ferry.resp.Reply;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Which master serves each slot, read with {@code CLUSTER SLOTS} (every version from 3.0 to
 * Valkey 9 answers it). A node is named {@code host:port}; a node that reports no address is
 * the one that was asked.
 */
public final class SlotMap {
    private final String[] owner = new String[Slots.COUNT];
    private final List<String> masters;
    private final java.util.Map<String, List<String>> replicas; // of each master, as CLUSTER SLOTS lists them (failed ones left out)

    private SlotMap(List<String> masters, java.util.Map<String, List<String>> replicas) {
        this.masters = masters;
        this.replicas = replicas;
    }

    public static SlotMap read(RedisConnection c) {
        Reply r = c.call("CLUSTER", "SLOTS");
        if (r.isError()) {
            throw new io.ferry.resp.ServerErrorException(((Reply.Error) r).message());
        }
        Set<String> masters = new LinkedHashSet<>();
        java.util.Map<String, Set<String>> replicas = new java.util.LinkedHashMap<>();
        List<Object[]> ranges = new ArrayList<>();
        for (Reply range : r.asList()) {
            List<Reply> f = range.asList();
            String name = nodeName(f.get(2), c);
            masters.add(name);
            Set<String> of = replicas.computeIfAbsent(name, x -> new LinkedHashSet<>());
            for (int i = 3; i < f.size(); i++) {
                of.add(nodeName(f.get(i), c));
            }
            ranges.add(new Object[] {(int) f.get(0).asLong(), (int) f.get(1).asLong(), name});
        }
        java.util.Map<String, List<String>> reps = new java.util.LinkedHashMap<>();
        replicas.forEach((k, v) -> reps.put(k, List.copyOf(v)));
        SlotMap m = new SlotMap(List.copyOf(masters), reps);
        for (Object[] range : ranges) {
            for (int s = (int) range[0]; s <= (int) range[1]; s++) {
                m.owner[s] = (String) range[2];
            }
        }
        return m;
    }

    private static String nodeName(Reply entry, RedisConnection c) {
        List<Reply> node = entry.asList();
        String host = node.get(0).asString();
        if (host == null || host.isEmpty() || host.equals("?")) {
            host = c.uri().host();
        }
        return host + ":" + node.get(1).asLong();
    }

    /** The replicas of {@code master} that serve its slots (none for an unknown node). */
    public List<String> replicasOf(String master) {
        return replicas.getOrDefault(master, List.of());
    }

    /** Whether {@code a} and {@code b} are the same node or master and replica of one shard in this map. */
    public boolean sameShard(String a, String b) {
        return a.equals(b) || replicasOf(a).contains(b) || replicasOf(b).contains(a)
                || replicas.values().stream().anyMatch(r -> r.contains(a) && r.contains(b));
    }

    /**
     * The first slot that {@code now} has on a node of another shard than this map's owner (a
     * reshard, not a failover inside the shard), or -1. A slot {@code now} has no owner for is
     * left alone: a failover in progress.
     */
    public int firstMoveAcrossShards(SlotMap now) {
        for (int s = 0; s < owner.length; s++) {
            String was = owner[s];
            String is = now.owner[s];
            if (is != null && !is.equals(was) && (was == null || !sameShard(was, is) && !now.sameShard(was, is))) {
                return s;
            }
        }
        return -1;
    }

    /** The master serving {@code slot}, or null while no node does. */
    public String ownerOf(int slot) {
        return owner[slot];
    }

    public List<String> masters() {
        return masters;
    }

    /** The first slot whose master differs between this map and {@code other}, or -1 when they agree. */
    public int firstDifference(SlotMap other) {
        for (int s = 0; s < owner.length; s++) {
            if (!java.util.Objects.equals(owner[s], other.owner[s])) {
                return s;
            }
        }
        return -1;
    }

    /** The first slot no master serves, or -1 when every slot is served. */
    public int firstUnserved() {
        for (int s = 0; s < owner.length; s++) {
            if (owner[s] == null) {
                return s;
            }
        }
        return -1;
    }
}
