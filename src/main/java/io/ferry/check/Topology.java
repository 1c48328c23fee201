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

    static Topology standalone(RedisUri uri) {
        return new Standalone(uri);
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
