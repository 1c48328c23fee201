package io.ferry.check;

import io.ferry.resp.RedisUri;
import java.util.List;

/**
 * The nodes of one side of a check. A check scans every {@link #scanNodes() scan node} (together they hold the whole
 * keyspace) and reads a given key from {@link #lookupNodes()}{@code .get(route(key))}. A standalone server is both; a
 * Redis Cluster scans and routes to its masters by slot; a twemproxy pool scans its backends and may look keys up
 * through the proxy.
 */
public interface Topology {
    List<RedisUri> scanNodes();

    List<RedisUri> lookupNodes();

    /** Index into {@link #lookupNodes()} of the node that serves {@code key}. */
    int route(byte[] key);

    /** Whether the nodes have numbered databases beyond 0 (a cluster has only db 0). */
    default boolean multipleDbs() {
        return true;
    }

    /** For messages; never includes credentials. */
    String describe();

    /** How a source (db, key) is named here: a target written with {@code --db-prefix} holds dbs in db 0 under prefixes. */
    default io.ferry.filter.DbMap names() {
        return io.ferry.filter.DbMap.IDENTITY;
    }

    /** {@code t} holding source dbs under the names {@code names} gives them (itself when no db is prefixed). */
    static Topology named(Topology t, io.ferry.filter.DbMap names) {
        return NamedTopology.of(t, names);
    }

    static Topology standalone(RedisUri uri) {
        return new Standalone(uri);
    }

    /** The topology {@code uri} names: a standalone server, or the whole cluster one node of it belongs to. */
    static Topology of(RedisUri uri, io.ferry.resp.TlsOptions tls) {
        try (io.ferry.resp.RedisConnection c = io.ferry.resp.RedisConnection.open(uri, tls, java.time.Duration.ofSeconds(10))) {
            if (!io.ferry.target.cluster.ClusterTarget.isCluster(c)) {
                return standalone(uri);
            }
            io.ferry.route.SlotMap map = io.ferry.route.SlotMap.read(c);
            List<RedisUri> masters = new java.util.ArrayList<>();
            for (String m : map.masters()) {
                masters.add(uri.atNode(m).withDb(null));
            }
            return new Cluster(uri, map, List.copyOf(masters));
        }
    }

    /** A Redis Cluster: its masters scanned, a key read from the master of its slot (as mapped when the check began). */
    record Cluster(RedisUri seed, io.ferry.route.SlotMap map, List<RedisUri> masters) implements Topology {
        @Override
        public List<RedisUri> scanNodes() {
            return masters;
        }

        @Override
        public List<RedisUri> lookupNodes() {
            return masters;
        }

        @Override
        public int route(byte[] key) {
            return map.masters().indexOf(map.ownerOf(io.ferry.route.Slots.of(key)));
        }

        @Override
        public boolean multipleDbs() {
            return false;
        }

        @Override
        public String describe() {
            return "cluster " + seed.redacted() + " (" + masters.size() + " masters)";
        }
    }

    /** One server: scanned whole, serves every key. */
    record Standalone(RedisUri uri) implements Topology {
        @Override
        public List<RedisUri> scanNodes() {
            return List.of(uri);
        }

        @Override
        public List<RedisUri> lookupNodes() {
            return List.of(uri);
        }

        @Override
        public int route(byte[] key) {
            return 0;
        }

        @Override
        public String describe() {
            return uri.redacted();
        }
    }
}
