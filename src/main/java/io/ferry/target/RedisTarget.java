package io.ferry.target;

import io.ferry.convert.TargetFeatures;
import io.ferry.resp.PipelinedConnection;
import io.ferry.resp.RedisConnection;
import io.ferry.resp.RedisUri;
import io.ferry.resp.Reply;
import io.ferry.resp.TlsOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A standalone Redis/Valkey target: probed once for its version and capabilities, then written
 * through N lanes. A key always maps to the same lane.
 */
public final class RedisTarget implements Target {
    private final RedisUri uri;
    private final TargetFeatures features;
    private final List<Lane> lanes = new ArrayList<>();
    private final RedisConnection probe; // kept for questions asked while writing (which commands it knows)
    private final TargetCommands commands;
    private final int databases;
    private final AtomicReference<String> laneFailure = new AtomicReference<>();
    private boolean emptyAtOpen;

    private RedisTarget(RedisUri uri, TargetFeatures features, RedisConnection probe) {
        this.uri = uri;
        this.features = features;
        this.probe = probe;
        this.commands = new TargetCommands(probe);
        this.databases = Databases.count(probe);
    }

    /** Connects {@code laneCount} pipelined connections with the given in-flight window each. */
    public static RedisTarget open(RedisUri uri, TlsOptions tls, int laneCount, int windowCommands, long windowBytes) {
        return open(uri, tls, RedisConnection.open(uri, tls, Duration.ofSeconds(10)), laneCount, windowCommands, windowBytes);
    }

    /** As {@link #open(RedisUri, TlsOptions, int, int, long)}, taking over {@code probe}, a connection to {@code uri}. */
    public static RedisTarget open(RedisUri uri, TlsOptions tls, RedisConnection probe, int laneCount, int windowCommands, long windowBytes) {
        RedisTarget t;
        try {
            t = new RedisTarget(uri, probe(probe), probe);
            t.emptyAtOpen = t.features.pika() ? pikaEmpty(probe, t.databases) : !probe.call("INFO", "keyspace").asString().contains("keys=");
        } catch (RuntimeException e) {
            probe.close();
            throw e;
        }
        try {
            for (int i = 0; i < laneCount; i++) {
                RedisConnection c = RedisConnection.open(uri, tls, Duration.ofSeconds(10));
                t.lanes.add(new RedisLane(new PipelinedConnection(c, windowCommands, windowBytes), uri.db() == null ? 0 : uri.db(),
                        m -> t.laneFailure.compareAndSet(null, m)));
            }
        } catch (RuntimeException e) {
            t.close();
            throw e;
        }
        return t;
    }

    /**
     * Pika's INFO keyspace counts nothing until an "INFO keyspace 1" has run in the background (and
     * its DBSIZE is 0 until then, recorded): a SCAN of each db tells whether it holds a key.
     */
    private static boolean pikaEmpty(RedisConnection c, int databases) {
        boolean empty = true;
        for (int db = 0; db < databases && empty; db++) {
            c.call("SELECT", Integer.toString(db));
            List<Reply> r = c.call("SCAN", "0", "COUNT", "10").asList();
            empty = r.get(1).asList().isEmpty() && r.get(0).asString().equals("0");
        }
        Integer db = c.uri().db();
        c.call("SELECT", Integer.toString(db == null ? 0 : db));
        return empty;
    }

    /** The first thing a lane saw refused outside any command's own reply (a SELECT), or null. */
    @Override
    public String laneFailure() {
        return laneFailure.get();
    }

    /** How many dbs the target has ({@code databases}; 1 in cluster mode). */
    @Override
    public int databases() {
        return databases;
    }

    /**
     * Refuses, before anything is written there, a target db the server does not have (a source
     * with {@code databases 64} into one with 16 used to land in db 0).
     */
    @Override
    public void requireDb(int targetDb, String sourceDbs) {
        if (targetDb < 0 || targetDb >= databases) {
            throw new MissingDbException(sourceDbs + " would be written to db " + targetDb + ", but the target " + uri.redacted() + " has only "
                    + databases + " dbs (0-" + (databases - 1) + "); map it with --db-map S=T or --target-db N, or leave it out with --db");
        }
    }

    @Override
    public StreamApplier.LaneCheckpoints readCheckpoints(int laneCount, String syncId, String partition) {
        synchronized (probe) {
            StreamApplier.LaneCheckpoints c = StreamApplier.readCheckpoints(probe, laneCount, syncId, partition);
            probe.call("SELECT", Integer.toString(uri.db() == null ? 0 : uri.db()));
            return c;
        }
    }

    /**
     * Exactly-once needs the lane batch and its checkpoint in one MULTI/EXEC. A target without
     * transactions (Pika 3.3) gets them one after the other, checkpoint last: a crash may apply the
     * batch again on resume (at-least-once), which the sync accepts only when asked to at start.
     */
    @Override
    public BatchWriter batchWriter(String syncId, String partition, java.util.function.LongFunction<String> value, long[] applied) {
        return features.transactions() ? new MultiExecBatchWriter(this, partition, value, applied)
                : new MultiExecBatchWriter(this, partition, value, applied).atLeastOnce();
    }

    /** Whether a function library of this name is loaded on the target (7.0+). */
    @Override
    public boolean hasFunctionLibrary(String name) {
        synchronized (probe) {
            return hasFunctionLibrary(probe, name);
        }
    }

    @Override
    public List<String> modules() {
        if (features.pika()) {
            return List.of(); // no modules (and no MODULE command)
        }
        synchronized (probe) {
            return modules(probe);
        }
    }

    /** The modules loaded on the server behind {@code c} (MODULE LIST; none where the command is refused). */
    public static List<String> modules(RedisConnection c) {
        Reply r = c.call("MODULE", "LIST");
        List<String> names = new ArrayList<>();
        if (r.isError()) {
            return names;
        }
        for (Reply m : r.asList()) {
            List<Reply> kv = m.asList();
            for (int i = 0; i + 1 < kv.size(); i += 2) {
                if (kv.get(i).asString().equals("name")) {
                    names.add(kv.get(i + 1).asString());
                }
            }
        }
        return names;
    }

    /** Whether the server behind {@code c} has a function library named exactly {@code name}. */
    public static boolean hasFunctionLibrary(RedisConnection c, String name) {
        Reply r = c.call("FUNCTION", "LIST", "LIBRARYNAME", name);
        if (r.isError()) {
            return false;
        }
        for (Reply lib : r.asList()) {
            List<Reply> kv = lib.asList();
            for (int i = 0; i + 1 < kv.size(); i += 2) {
                if (kv.get(i).asString().equals("library_name") && kv.get(i + 1).asString().equals(name)) {
                    return true; // LIBRARYNAME is a pattern: only an exact name counts
                }
            }
        }
        return false;
    }

    /** Whether the target knows this command and takes this many arguments (null: it does not). */
    @Override
    public String refusalOf(byte[][] argv) {
        String name = io.ferry.route.CommandTable.name(argv);
        if (features.pika()) {
            return PikaCommands.refusalOf(features, name); // it has no COMMAND to ask
        }
        return commands.refusalOf(name, argv.length);
    }

    /** Reads the server's product, version and mode from INFO. */
    public static TargetFeatures probe(RedisConnection c) {
        String info = c.call("INFO", "server").asString();
        String version = field(info, "redis_version");
        String valkey = field(info, "valkey_version");
        String mode = field(info, "redis_mode");
        String pika = field(info, "pika_version"); // Pika reports no redis_version; 4.0.1 says 4.0.0
        if (pika != null) {
            return TargetFeatures.of("pika", pika, false, false); // no RENAME
        }
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
    @Override
    public boolean emptyAtOpen() {
        return emptyAtOpen;
    }

    @Override
    public TargetFeatures features() {
        return features;
    }

    public RedisUri uri() {
        return uri;
    }

    /** Index in {@link #lanes()} of the lane of {@code key}. */
    @Override
    public int laneIndex(byte[] key) {
        return Math.floorMod(hash(key), lanes.size());
    }

    @Override
    public List<Lane> lanes() {
        return lanes;
    }

    /** Spreads keys over lanes (twemproxy spreads a backend's keys over its lanes with it too). */
    static int hash(byte[] key) {
        int h = 0x9747b28c;
        for (byte b : key) {
            h = (h ^ b) * 0x01000193;
        }
        return h ^ (h >>> 16);
    }

    @Override
    public void close() {
        for (Lane l : lanes) {
            l.close();
        }
        probe.close();
    }
}
