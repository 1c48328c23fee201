package io.ferry.target;

import io.ferry.convert.TargetFeatures;
import io.ferry.resp.PipelinedConnection;
import io.ferry.resp.RedisConnection;
import io.ferry.resp.RedisUri;
import io.ferry.resp.Reply;
import io.ferry.resp.ReplyCallback;
import io.ferry.resp.TlsOptions;
import io.ferry.route.twemproxy.Pool;
import io.ferry.route.twemproxy.Server;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A twemproxy (nutcracker) pool, written straight to its backends: a key goes to the backend
 * nutcracker would send it to (the pool's hash, hash tag and distribution), so reads through the
 * proxy find it. Each lane is bound to one backend, so a lane batch and its checkpoint key are one
 * transaction on that backend, and each lane's checkpoint is read back from there. The pool has
 * one db: Ferry's db 0 is the pool's {@code redis_db} on every backend.
 */
public final class TwemproxyTarget implements Target {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(TwemproxyTarget.class);
    private final Pool pool;
    private final List<RedisConnection> probes = new ArrayList<>(); // one per backend, in the pool's order
    private final List<Lane> lanes = new ArrayList<>();
    private final int[] lanesOfBackend;
    private final AtomicReference<String> laneFailure = new AtomicReference<>();
    private TargetFeatures features;
    private TargetCommands commands;
    private boolean emptyAtOpen = true;

    private TwemproxyTarget(Pool pool) {
        this.pool = pool;
        this.lanesOfBackend = new int[pool.servers().size()];
    }

    /**
     * Connects to every backend; at least one lane per backend ({@code laneCount} is raised to the
     * number of backends), lane i on backend i mod backends.
     */
    public static TwemproxyTarget open(Pool pool, int laneCount, int windowCommands, long windowBytes) {
        if (pool.autoEject()) {
            LOG.warn("{} has auto_eject_hosts: true: while nutcracker has a backend ejected it sends that backend's keys elsewhere; "
                    + "Ferry writes every key to its home with all backends in (the pool as configured)", pool.describe());
        }
        TwemproxyTarget t = new TwemproxyTarget(pool);
        try {
            int backends = pool.servers().size();
            for (Server s : pool.servers()) {
                RedisConnection c = RedisConnection.open(t.uriOf(s), TlsOptions.DEFAULT, Duration.ofSeconds(10));
                t.probes.add(c);
                TargetFeatures f = RedisTarget.probe(c);
                if (t.features == null || f.rdbVersion() < t.features.rdbVersion()) {
                    t.features = f; // write what the oldest backend takes
                }
                String keyspace = c.call("INFO", "keyspace").asString();
                t.emptyAtOpen &= !keyspace.contains("db" + pool.redisDb() + ":keys=");
            }
            t.commands = new TargetCommands(t.probes.get(0));
            int total = Math.max(laneCount, backends);
            for (int i = 0; i < total; i++) {
                Server s = pool.servers().get(i % backends);
                RedisConnection c = RedisConnection.open(t.uriOf(s), TlsOptions.DEFAULT, Duration.ofSeconds(10));
                t.lanes.add(new PoolDbLane(new RedisLane(new PipelinedConnection(c, windowCommands, windowBytes), pool.redisDb(),
                        m -> t.laneFailure.compareAndSet(null, m + " (backend " + s.hostPort() + ")")), pool.redisDb()));
                t.lanesOfBackend[i % backends]++;
            }
        } catch (RuntimeException e) {
            t.close();
            throw e;
        }
        return t;
    }

    private RedisUri uriOf(Server s) {
        return new RedisUri(s.host(), s.port(), null, pool.redisAuth(), pool.redisDb(), false);
    }

    public Pool pool() {
        return pool;
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

    /** The backend by the pool's distribution, then one of that backend's lanes. */
    @Override
    public int laneIndex(byte[] key) {
        int backend = pool.serverOf(key);
        int backends = lanesOfBackend.length;
        return backend + backends * Math.floorMod(RedisTarget.hash(key), lanesOfBackend[backend]);
    }

    @Override
    public int nodes() {
        return lanesOfBackend.length;
    }

    @Override
    public int nodeOfLane(int lane) {
        return lane % lanesOfBackend.length;
    }

    /** A keyless command goes to every backend; one with keys to their backend when they share one. */
    @Override
    public int nodeOfCommand(byte[][] argv) {
        return Target.nodeOfKeys(argv, pool::serverOf);
    }

    @Override
    public String laneFailure() {
        return laneFailure.get();
    }

    @Override
    public int databases() {
        return 1;
    }

    @Override
    public void requireDb(int targetDb, String what) {
        if (targetDb != 0) {
            throw new MissingDbException(what + " would be written to db " + targetDb + ", but the twemproxy pool " + pool.describe()
                    + " has one db; map every db to it with --target-db 0 (or --db-map S=0), or leave the others out with --db");
        }
    }

    @Override
    public String refusalOf(byte[][] argv) {
        return commands.refusalOf(io.ferry.route.CommandTable.name(argv), argv.length);
    }

    @Override
    public boolean hasFunctionLibrary(String name) {
        for (RedisConnection c : probes) {
            synchronized (c) {
                if (RedisTarget.hasFunctionLibrary(c, name)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Each lane's checkpoint key, read from that lane's backend (in the pool's db, where the lanes write it). */
    @Override
    public StreamApplier.LaneCheckpoints readCheckpoints(int laneCount, String syncId, String partition) {
        int n = lanes.size();
        return StreamApplier.LaneCheckpoints.of(n, syncId, i -> {
            RedisConnection c = probes.get(nodeOfLane(i));
            synchronized (c) {
                Reply r = c.call(io.ferry.convert.Args.b("GET"), StreamApplier.checkpointKey(partition, i));
                return r.isError() || r.isNull() ? null : r.asString();
            }
        });
    }

    @Override
    public void close() {
        for (Lane l : lanes) {
            l.close();
        }
        for (RedisConnection c : probes) {
            c.close();
        }
    }

    /** Ferry's db 0 (the pool's only db) is {@code redis_db} on the backend. */
    private record PoolDbLane(Lane lane, int poolDb) implements Lane {
        @Override
        public boolean send(int targetDb, byte[][] argv, ReplyCallback cb) {
            return lane.send(targetDb < 0 ? -1 : poolDb, argv, cb);
        }

        @Override
        public void forgetDb() {
            lane.forgetDb();
        }

        @Override
        public void flush() {
            lane.flush();
        }

        @Override
        public void drain() {
            lane.drain();
        }

        @Override
        public void close() {
            lane.close();
        }
    }
}
