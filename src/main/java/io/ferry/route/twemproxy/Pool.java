package io.ferry.route.twemproxy;

import java.util.List;

/**
 * A nutcracker Redis pool as Ferry writes to it: its servers in nutcracker's order (sorted by
 * name, see {@link PoolReader}), and where a key lives: the part of the key inside the
 * {@code hash_tag} (when there is one and it is not empty), hashed, then the distribution. A pool
 * of one server, and an empty key, go to the first server without hashing, as in nutcracker.
 *
 * @param redisAuth the backends' password (never logged), or null
 * @param redisDb   the db nutcracker selects on every backend connection
 * @param autoEject {@code auto_eject_hosts}: nutcracker moves an ejected server's keys to the others while it is out
 */
public record Pool(String file, String name, List<Server> servers, KeyHash hash, byte[] hashTag, String distributionName,
        Distribution distribution, String redisAuth, int redisDb, boolean autoEject) {

    /** Index in {@link #servers()} of the server nutcracker sends {@code key} to. */
    public int serverOf(byte[] key) {
        if (servers.size() == 1) {
            return 0;
        }
        int off = 0;
        int len = key.length;
        if (hashTag != null) {
            int open = indexOf(key, hashTag[0], 0);
            if (open >= 0) {
                int close = indexOf(key, hashTag[1], open + 1);
                if (close > open + 1) { // an empty tag hashes the whole key
                    off = open + 1;
                    len = close - off;
                }
            }
        }
        int h = len == 0 ? 0 : hash.hash(key, off, len);
        return distribution.server(h);
    }

    private static int indexOf(byte[] key, byte b, int from) {
        for (int i = from; i < key.length; i++) {
            if (key[i] == b) {
                return i;
            }
        }
        return -1;
    }

    /** {@code twemproxy:FILE:POOL}, for messages (no password). */
    public String describe() {
        return "twemproxy:" + file + ":" + name;
    }

    /**
     * What decides where keys live, for a state directory's binding: another server list, order,
     * weight, hash, tag or distribution is another target.
     */
    public String identity() {
        StringBuilder b = new StringBuilder("twemproxy:").append(name).append('[');
        for (Server s : servers) {
            b.append(s.hostPort()).append(':').append(s.weight()).append(' ').append(s.name()).append(',');
        }
        return b.append("] ").append(hash.configName()).append(' ').append(distributionName)
                .append(hashTag == null ? "" : " tag " + new String(hashTag, java.nio.charset.StandardCharsets.ISO_8859_1))
                .append(" db ").append(redisDb).toString();
    }

    @Override
    public String toString() {
        return describe();
    }
}
