package io.ferry.route.twemproxy;

/**
 * One {@code servers:} entry of a pool, {@code host:port:weight [name]}. {@code name} is what
 * nutcracker orders the servers by and what ketama hashes: the given name, else {@code host:port},
 * or {@code host} alone on port 11211 (libmemcached compatibility).
 */
public record Server(String host, int port, int weight, String name) {
    public String hostPort() {
        return host + ":" + port;
    }
}
