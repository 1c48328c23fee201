package io.ferry.check;

import io.ferry.resp.Keyspace;
import io.ferry.cli.UserError;
import io.ferry.resp.RedisConnection;
import io.ferry.resp.RedisException;
import io.ferry.resp.RedisUri;
import io.ferry.resp.TlsOptions;
import io.ferry.status.Progress;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a check: the first round compares everything in both directions — keys scanned on the source (or read from
 * its RDB file) against the target, and keys scanned on the target that the source lacks — then each later round,
 * after the interval, compares again only the keys that still differed, so writes in flight settle. What differs
 * after the last round is the result.
 */
public final class CheckSession {
    private static final Logger LOG = LoggerFactory.getLogger(CheckSession.class);
    /** Source keys remembered (8 bytes each, about 128 MiB at most) so that target keys need no lookup. */
    static final long SEEN_KEYS_MAX = 8_000_000;

    /** Told after each round which differences remain (tests use it to act between rounds). */
    public interface RoundListener {
        void roundEnded(int round, List<Difference> differing);
    }

    private final CheckOptions opt;
    private RoundListener listener = (round, differing) -> { };
    private RateLimiter limiter;
    private boolean multiLookup;
    private Recorder recorder;

    public CheckSession(CheckOptions opt) {
        this.opt = opt;
    }

    public CheckSession onRoundEnd(RoundListener l) {
        this.listener = l;
        return this;
    }

    public CheckResult run() {
        long start = System.nanoTime();
        if (opt.sourceIsFile() && !Files.isRegularFile(opt.sourceFile())) {
            throw new UserError("cannot read the source file " + opt.sourceFile() + ": no such file");
        }
        // Pika's INFO keyspace has no Redis-style lines (and is empty until INFO keyspace 1): no estimate from it
        Map<Integer, Long> sourceKeys = opt.sourceIsFile() || opt.pika() != null ? Map.of() : keyspace("source", opt.source(), opt.sourceTls());
        Map<Integer, Long> targetKeys = keyspace("target", opt.target(), opt.targetTls());
        multiLookup = supportsMultiLookup(opt.target(), opt.targetTls());
        limiter = opt.qps() > 0 ? new RateLimiter(opt.qps()) : null;

        long sourceTotal = opt.sourceIsFile() || opt.pika() != null ? total(targetKeys) : total(sourceKeys);
        Sampler sampler = sampler(sourceTotal);
        long estimate = (long) ((sourceTotal + total(targetKeys)) * sampler.rate());
        if (opt.sample() > 0) {
            estimate = Math.min(estimate, 2 * opt.sample());
        }
        LOG.info("check {} → {}: level {}, {} round(s){}{}", opt.sourceIsFile() ? opt.sourceFile() : opt.source().describe(),
                opt.target().describe(), opt.level().label(), opt.rounds(),
                sampler.all() ? "" : String.format(", sampling %.4g%% of the keys%s", sampler.rate() * 100,
                        opt.sample() > 0 ? " (at most " + opt.sample() + " per side)" : ""),
                opt.qps() > 0 ? String.format(", at most %,.0f source commands/s", opt.qps()) : "");

        DiffSet diffs = new DiffSet(opt.maxDiffs());
        recorder = new Recorder(diffs);
        try (Progress p = Progress.startKeys("check", estimate, recorder.progress::sum,
                () -> String.format("%,d differing", recorder.diffs().size()))) {
            if (opt.sourceIsFile()) {
                firstRoundFile(sampler);
            } else if (opt.pika() != null) {
                firstRoundPika(sampler);
            } else {
                firstRoundServers(sampler);
            }
        }
        double firstRound = (System.nanoTime() - start) / 1e9;
        long checked = recorder.checkedPerDb().values().stream().mapToLong(Long::longValue).sum();
        LOG.info(String.format("round 1: %,d keys checked in %.1f s (%,.0f keys/s), %,d differ", checked, firstRound,
                checked / Math.max(firstRound, 1e-3), diffs.size() + diffs.overflowed()));
        listener.roundEnded(1, diffs.sorted());

        int round = 1;
        while (round < opt.rounds() && diffs.size() > 0) {
            sleep(opt.interval().toMillis());
            round++;
            DiffSet next = new DiffSet(opt.maxDiffs());
            next.carryOverflow(diffs);
            recorder.startRound(next);
            List<DbKey> again = diffs.keys();
            if (opt.sourceIsFile()) {
                recheckFile(again);
            } else {
                recheckServers(again);
            }
            LOG.info(String.format("round %d: rechecked %,d keys, %,d still differ", round, again.size(),
                    next.size() + next.overflowed()));
            diffs = next;
            listener.roundEnded(round, diffs.sorted());
        }
        if (diffs.overflowed() > 0) {
            LOG.warn(String.format("%,d differences beyond --max-diffs %,d were counted but neither rechecked nor listed",
                    diffs.overflowed(), opt.maxDiffs()));
        }
        return new CheckResult(diffs.sorted(), diffs.overflowCounts(), recorder.checkedPerDb(), round, firstRound,
                (System.nanoTime() - start) / 1e9, recorder.notes());
    }

    /**
     * Source keys first; then target keys, of which only those the source scan did not hand out are looked up on the
     * source (EXISTS) — a hash of every source key is kept for that, up to {@link #SEEN_KEYS_MAX} keys, beyond which
     * every further target key is looked up.
     */
    private void firstRoundServers(Sampler sampler) {
        WorkerPool pool = pool();
        KeyHashSet seen = new KeyHashSet(SEEN_KEYS_MAX);
        KeyScanner source = new KeyScanner("source", opt.source(), opt.sourceTls(), limiter, opt.filter(), sampler,
                opt.batch(), recorder, pool).recordingInto(seen);
        KeyScanner target = new KeyScanner("target", opt.target(), opt.targetTls(), null, opt.filter(), sampler,
                opt.batch(), recorder, pool);
        Thread scans = producer(pool, "ferry-check-scan", () -> {
            source.scan((db, keys) -> pool.submit(new Task(Task.Mode.SOURCE_SCAN, db, keys, null)));
            if (seen.full()) {
                LOG.info("more than {} source keys: target keys are looked up on the source one by one", SEEN_KEYS_MAX);
            }
            target.scan((db, keys) -> {
                List<byte[]> unseen = new ArrayList<>();
                for (byte[] k : keys) {
                    if (!seen.contains(KeyHash.of(db, k))) {
                        unseen.add(k);
                    }
                }
                if (!unseen.isEmpty()) {
                    pool.submit(new Task(Task.Mode.TARGET_SCAN, db, unseen, null));
                }
            });
        });
        join(scans);
        pool.finish();
    }

    /**
     * A Pika source: every (name, type) pair listed per type and compared under its target name; then, once every
     * source pair is done (their target names are only known after each name's types were read), the target keys
     * no pair produced are resolved on the source and compared.
     */
    private void firstRoundPika(Sampler sampler) {
        KeyHashSet seen = new KeyHashSet(SEEN_KEYS_MAX);
        WorkerPool sources = pool(seen);
        PikaScanner scanner = new PikaScanner(opt.source().scanNodes().get(0), opt.sourceTls(), opt.pika(), limiter, opt.filter(),
                sampler, opt.batch(), recorder, sources);
        join(producer(sources, "ferry-check-pika-scan", () -> scanner.scan((db, type, names) ->
                sources.submit(new Task(Task.Mode.PIKA_SOURCE_SCAN, db, names, null, type)))));
        sources.finish();
        if (seen.full()) {
            LOG.info("more than {} source pairs: every further target key is looked up on the source", SEEN_KEYS_MAX);
        }
        WorkerPool targets = pool(seen);
        KeyScanner target = new KeyScanner("target", opt.target(), opt.targetTls(), null, opt.filter(), sampler,
                opt.batch(), recorder, targets);
        join(producer(targets, "ferry-check-scan", () -> target.scan((db, keys) -> {
            List<byte[]> unseen = new ArrayList<>();
            for (byte[] k : keys) {
                if (!seen.contains(KeyHash.of(db, k))) {
                    unseen.add(k);
                }
            }
            if (!unseen.isEmpty()) {
                targets.submit(new Task(Task.Mode.PIKA_TARGET_SCAN, db, unseen, null));
            }
        })));
        targets.finish();
    }

    private void firstRoundFile(Sampler sampler) {
        WorkerPool pool = pool();
        KeyHashSet fileKeys = new KeyHashSet();
        try (SidePipes t = new SidePipes("target", opt.target(), opt.targetTls(), null)) {
            PairComparer comparer = new PairComparer(null, t, opt, multiLookup);
            FilePass pass = new FilePass(opt, sampler, fileKeys, null, comparer, recorder, pool, Task.Mode.COMPARE);
            pass.run();
            if (pass.expired() > 0) {
                LOG.info("{} keys of the file had expired already: they count as absent from the source", pass.expired());
            }
            // The other direction: target keys that are not in the file.
            KeyScanner target = new KeyScanner("target", opt.target(), opt.targetTls(), null, opt.filter(), sampler,
                    opt.batch(), recorder, pool);
            target.scan((db, keys) -> {
                List<byte[]> lacking = new ArrayList<>();
                for (byte[] k : keys) {
                    if (!fileKeys.contains(KeyHash.of(db, k))) {
                        lacking.add(k);
                    }
                }
                if (!lacking.isEmpty()) {
                    pool.submit(new Task(Task.Mode.COMPARE, db, lacking, absent(lacking)));
                }
            });
        } catch (RuntimeException | Error e) {
            pool.fail(e);
        }
        pool.finish();
    }

    private void recheckServers(List<DbKey> keys) {
        WorkerPool pool = pool();
        try {
            submitRechecks(pool, keys, false);
        } catch (RuntimeException | Error e) {
            pool.fail(e);
        }
        pool.finish();
    }

    private void recheckFile(List<DbKey> keys) {
        WorkerPool pool = pool();
        try (SidePipes t = new SidePipes("target", opt.target(), opt.targetTls(), null)) {
            PairComparer comparer = new PairComparer(null, t, opt, multiLookup);
            FilePass pass = new FilePass(opt, Sampler.ALL, null, new HashSet<>(keys), comparer, recorder, pool,
                    Task.Mode.RECHECK);
            pass.run();
            submitRechecks(pool, pass.unseen(), true);
        } catch (RuntimeException | Error e) {
            pool.fail(e);
        }
        pool.finish();
    }

    /** Batches of keys per db; {@code sourceAbsent}: the source (a file) does not hold them. */
    private void submitRechecks(WorkerPool pool, List<DbKey> keys, boolean sourceAbsent) {
        Map<Integer, List<byte[]>> byDb = new TreeMap<>();
        for (DbKey k : keys) {
            byDb.computeIfAbsent(k.db, x -> new ArrayList<>()).add(k.key);
        }
        byDb.forEach((db, all) -> {
            for (int from = 0; from < all.size(); from += opt.batch()) {
                List<byte[]> batch = new ArrayList<>(all.subList(from, Math.min(all.size(), from + opt.batch())));
                pool.submit(opt.pika() != null ? new Task(Task.Mode.PIKA_RECHECK, db, batch, null)
                        : new Task(Task.Mode.RECHECK, db, batch, sourceAbsent ? absent(batch) : null));
            }
        });
    }

    private static KeyState[] absent(List<byte[]> keys) {
        KeyState[] out = new KeyState[keys.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = KeyState.absent(keys.get(i));
        }
        return out;
    }

    private WorkerPool pool() {
        return pool(null);
    }

    /** {@code seen}: where a Pika source scan records the target names it produced (null otherwise). */
    private WorkerPool pool(KeyHashSet seen) {
        boolean screen = opt.level() == Level.KEYS && !opt.filter().filtersTypes();
        return new WorkerPool(opt.parallel(), () -> {
            SidePipes s = opt.sourceIsFile() ? null : new SidePipes("source", opt.source(), opt.sourceTls(), limiter);
            SidePipes t = new SidePipes("target", opt.target(), opt.targetTls(), null);
            Worker w = new Worker(new PairComparer(s, t, opt, multiLookup), recorder, screen);
            if (opt.pika() != null) {
                w.withPika(new PikaReader(s, opt.pika(), opt.level(), opt.stringWindow(), opt.chunk(), recorder), hashes -> {
                    if (seen != null) {
                        synchronized (seen) {
                            for (long h : hashes) {
                                seen.add(h);
                            }
                        }
                    }
                });
            }
            return w;
        }, "ferry-check");
    }

    private static Thread producer(WorkerPool pool, String name, Runnable body) {
        Thread t = new Thread(() -> {
            try {
                body.run();
            } catch (Throwable e) {
                pool.fail(e);
            }
        }, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static void join(Thread t) {
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CheckAborted("interrupted");
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CheckAborted("interrupted");
        }
    }

    private Sampler sampler(long population) {
        if (opt.sample() > 0) {
            double rate = population <= 0 ? 1.0 : Math.min(1.0, 1.1 * opt.sample() / population);
            return new Sampler(Math.min(rate, opt.sampleRate()), opt.sample());
        }
        return opt.sampleRate() >= 1.0 ? Sampler.ALL : new Sampler(opt.sampleRate(), 0);
    }

    private long total(Map<Integer, Long> keys) {
        long n = 0;
        for (Map.Entry<Integer, Long> e : keys.entrySet()) {
            if (opt.filter().acceptsDb(e.getKey())) {
                n += e.getValue();
            }
        }
        return n;
    }

    /** Keys per db over the side's scan nodes; also proves early that every node is reachable with its password. */
    private static Map<Integer, Long> keyspace(String side, Topology topology, TlsOptions tls) {
        Map<Integer, Long> out = new TreeMap<>();
        for (RedisUri node : topology.scanNodes()) {
            try (RedisConnection c = open(side, node, tls)) {
                Keyspace.parse(c.call("INFO", "keyspace").asString()).forEach((db, n) -> out.merge(db, n, Long::sum));
            } catch (RedisException e) {
                throw new UserError("the " + side + ": " + e.getMessage(), e);
            }
        }
        return out;
    }

    /** Whether every target node has SMISMEMBER and ZMSCORE (Redis 6.2+; Valkey reports a Redis version too). */
    private static boolean supportsMultiLookup(Topology topology, TlsOptions tls) {
        for (RedisUri node : topology.lookupNodes()) {
            try (RedisConnection c = open("target", node, tls)) {
                String v = c.infoField("server", "redis_version");
                if (v == null || !atLeast(v, 6, 2)) {
                    return false;
                }
            } catch (RedisException e) {
                throw new UserError("the target: " + e.getMessage(), e);
            }
        }
        return true;
    }

    static boolean atLeast(String version, int major, int minor) {
        String[] p = version.trim().split("\\.");
        try {
            int ma = Integer.parseInt(p[0]);
            int mi = p.length > 1 ? Integer.parseInt(p[1]) : 0;
            return ma > major || ma == major && mi >= minor;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static RedisConnection open(String side, RedisUri node, TlsOptions tls) {
        try {
            RedisConnection c = RedisConnection.open(node.withDb(null), tls, SidePipes.CONNECT_TIMEOUT);
            c.readTimeout(SidePipes.READ_TIMEOUT);
            return c;
        } catch (RedisException e) {
            throw new UserError("the " + side + ": " + e.getMessage(), e);
        }
    }
}
