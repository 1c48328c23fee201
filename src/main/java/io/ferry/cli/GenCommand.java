package io.ferry.cli;

import io.ferry.gen.GenSpec;
import io.ferry.gen.KeyMaker;
import io.ferry.resp.RedisUri;
import io.ferry.resp.Reply;
import io.ferry.status.Progress;
import io.ferry.target.RedisTarget;
import io.ferry.target.Target;
import io.ferry.target.TwemproxyTarget;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "gen",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Writes a realistic test dataset into a server: a mix of types, value sizes, big keys, expiries and",
            "several dbs. The same --seed and options always give the same data."
        })
public final class GenCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(GenCommand.class);

    @Option(names = {"-t", "--target"}, required = true, paramLabel = "URI", description = "Where to write: redis://[user:pass@]host:port, or twemproxy:nutcracker.yml:POOL (its backends)")
    String target;

    @Mixin
    TlsMixin tls;

    @Option(names = "--keys", defaultValue = "100000", paramLabel = "N", description = "How many keys (default ${DEFAULT-VALUE}).")
    long keys;

    @Option(names = "--types", defaultValue = "string=60,hash=15,list=10,set=5,zset=5,stream=5", paramLabel = "MIX",
            description = "Type mix as weights (default ${DEFAULT-VALUE}).")
    String types;

    @Option(names = "--value-size", defaultValue = "32", paramLabel = "BYTES", description = "Average value size (±50%%, default ${DEFAULT-VALUE}).")
    int valueSize;

    @Option(names = "--elements", defaultValue = "10", paramLabel = "N", description = "Average elements per collection (default ${DEFAULT-VALUE}).")
    int elements;

    @Option(names = "--big-keys", defaultValue = "0", paramLabel = "N", description = "How many collections are big (default ${DEFAULT-VALUE}).")
    long bigKeys;

    @Option(names = "--big-key-elements", defaultValue = "100000", paramLabel = "N", description = "Elements of a big key (default ${DEFAULT-VALUE}).")
    int bigKeyElements;

    @Option(names = "--expire-ratio", defaultValue = "0.1", paramLabel = "R", description = "Share of keys with a TTL of 1 h or more (default ${DEFAULT-VALUE}).")
    double expireRatio;

    @Option(names = "--dbs", defaultValue = "0", split = ",", paramLabel = "N", description = "Databases the keys are spread over (default ${DEFAULT-VALUE}).")
    List<Integer> dbs = new ArrayList<>();

    @Option(names = "--prefix", defaultValue = "gen:", paramLabel = "TEXT", description = "Key name prefix (default ${DEFAULT-VALUE}).")
    String prefix;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "N", description = "Random seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--lanes", defaultValue = "4", paramLabel = "N", description = "Parallel connections (default ${DEFAULT-VALUE}).")
    int lanes;

    @Override
    public Integer call() {
        if (keys < 0 || valueSize < 1 || elements < 1 || bigKeyElements < 1 || lanes < 1 || expireRatio < 0 || expireRatio > 1) {
            throw new IllegalArgumentException("--keys, --value-size, --elements, --big-key-elements and --lanes must be positive, --expire-ratio within 0..1");
        }
        GenSpec spec = new GenSpec(keys, GenSpec.parseWeights(types), valueSize, elements, bigKeys, bigKeyElements, expireRatio, 3600,
                dbs.isEmpty() ? List.of(0) : dbs, prefix, seed);
        KeyMaker maker = new KeyMaker(spec, System.currentTimeMillis());
        AtomicReference<String> failure = new AtomicReference<>();
        AtomicLong done = new AtomicLong();
        boolean pool = target.startsWith("twemproxy:");
        io.ferry.route.twemproxy.Pool twemproxy = pool ? io.ferry.route.twemproxy.PoolReader.parseSpec(target) : null;
        RedisUri uri = pool ? null : RedisUri.parse(target);
        String where = pool ? twemproxy.describe() : uri.redacted();
        long t0 = System.nanoTime();
        try (Target t = pool ? TwemproxyTarget.open(twemproxy, lanes, 5000, 32L << 20) : io.ferry.target.Targets.open(uri, tls.toOptions(), lanes, 5000, 32L << 20);
                Progress p = Progress.start("gen", 0, () -> 0, done::get)) {
            for (int db : spec.dbs()) {
                t.requireDb(db, "--dbs " + db); // before the first key is written
            }
            for (long i = 0; i < keys && failure.get() == null; i++) {
                int db = maker.db(i);
                var lane = t.laneFor(maker.key(i));
                maker.make(i, argv -> lane.send(db, argv, (Reply r) -> {
                    if (r.isError()) {
                        failure.compareAndSet(null, "the target rejected " + new String(argv[0]) + ": " + ((Reply.Error) r).message());
                    }
                }));
                done.incrementAndGet();
            }
            t.flush();
            t.drain();
            failure.compareAndSet(null, t.laneFailure());
        }
        if (failure.get() != null) {
            throw new UserError(failure.get());
        }
        double s = (System.nanoTime() - t0) / 1e9;
        LOG.info(String.format("generated %,d keys into %s in %.1f s (%,.0f keys/s, seed %d)", keys, where, s, keys / Math.max(s, 1e-3), seed));
        return 0;
    }
}
