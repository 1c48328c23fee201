package io.ferry.target;

import io.ferry.convert.TargetFeatures;
import io.ferry.resp.PipelinedConnection;
import io.ferry.resp.RedisConnection;
import io.ferry.resp.RedisUri;
import io.ferry.resp.Reply;
import io.ferry.resp.ReplyCallback;
import io.ferry.resp.TlsOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A standalone Redis/Valkey target: probed once for its version and capabilities, then written
 * through N lanes. A key always maps to the same lane.
 */
public final class RedisTarget implements AutoCloseable {
    private final RedisUri uri;
    private final TargetFeatures features;
    private final List<Lane> lanes = new ArrayList<>();
    private boolean emptyAtOpen;

    private RedisTarget(RedisUri uri, TargetFeatures features) {
        this.uri = uri;
        this.features = features;
    }

    /**
     * Connects {@code laneCount} pipelined connections with the given in-flight window each.
     * {@code onSelectError} receives a failed SELECT (for example a db beyond the target's
     * {@code databases}).
     */
    public static RedisTarget open(RedisUri uri, TlsOptions tls, int laneCount, int windowCommands, long windowBytes, ReplyCallback onSelectError) {
        TargetFeatures f;
        boolean empty;
        try (RedisConnection probe = RedisConnection.open(uri, tls, Duration.ofSeconds(10))) {
            f = probe(probe);
            empty = !probe.call("INFO", "keyspace").asString().contains("keys=");
        }
        RedisTarget t = new RedisTarget(uri, f);
        t.emptyAtOpen = empty;
        try {
            for (int i = 0; i < laneCount; i++) {
                RedisConnection c = RedisConnection.open(uri, tls, Duration.ofSeconds(10));
                t.lanes.add(new Lane(new PipelinedConnection(c, windowCommands, windowBytes), uri.db() == null ? 0 : uri.db(), onSelectError));
            }
        } catch (RuntimeException e) {
            t.close();
            throw e;
        }
        return t;
    }

    /** Reads the server's product, version and mode from INFO. */
    public static TargetFeatures probe(RedisConnection c) {
        String info = c.call("INFO", "server").asString();
        String version = field(info, "redis_version");
        String valkey = field(info, "valkey_version");
        String mode = field(info, "redis_mode");
        if (version == null && valkey == null) {
            throw new IllegalArgumentException(c.describe() + " did not report a server version in INFO: is it a Redis-compatible server?");
        }
        boolean cluster = "cluster".equals(mode);
        return valkey != null
                ? TargetFeatures.of("valkey", valkey, true, cluster)
                : TargetFeatures.of("redis", version, true, cluster);
    }

    static String field(String info, String name) {
        for (String line : info.split("\r?\n")) {
            if (line.startsWith(name + ":")) {
                return line.substring(name.length() + 1).trim();
            }
        }
        return null;
    }

    /** Whether the target held no key at all when Ferry connected (no conflict is possible then). */
    public boolean emptyAtOpen() {
        return emptyAtOpen;
    }

    public TargetFeatures features() {
        return features;
    }

    public RedisUri uri() {
        return uri;
    }

    public Lane laneFor(byte[] key) {
        return lanes.get(laneIndex(key));
    }

    /** Index in {@link #lanes()} of the lane of {@code key}. */
    public int laneIndex(byte[] key) {
        return Math.floorMod(hash(key), lanes.size());
    }

    public List<Lane> lanes() {
        return lanes;
    }

    private static int hash(byte[] key) {
        int h = 0x9747b28c;
        for (byte b : key) {
            h = (h ^ b) * 0x01000193;
        }
        return h ^ (h >>> 16);
    }

    public void flush() {
        for (Lane l : lanes) {
            l.flush();
        }
    }

    public void drain() {
        for (Lane l : lanes) {
            l.drain();
        }
    }

    @Override
    public void close() {
        for (Lane l : lanes) {
            l.close();
        }
    }
}
