package io.ferry.cli;

import io.ferry.convert.ConflictPolicy;
import io.ferry.convert.ConvertOptions;
import io.ferry.convert.ConvertStats;
import io.ferry.convert.SnapshotConverter;
import io.ferry.filter.FilteringHandler;
import io.ferry.rdb.RdbReader;
import io.ferry.source.aof.AofSource;
import io.ferry.status.Progress;
import io.ferry.target.ApplyFailedException;
import io.ferry.target.ApplyStats;
import io.ferry.target.KeyApplier;
import io.ferry.target.Lane;
import io.ferry.target.Target;
import java.io.BufferedInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.IntUnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "restore",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Restores RDB files into a Redis or Valkey server, fast: values go as RESTORE",
            "payloads when the target understands them and as typed commands otherwise (a",
            "newer RDB into an older server), pipelined over several connections. Files are",
            "read in parallel. Exits non-zero if any write fails.",
            "Also replays one AOF (a file, or a Redis 7 AOF directory or its manifest): its",
            "RDB preamble or base like an RDB, then its commands like a sync's stream.",
            "",
            "--target file:PATH writes the keys into one file, by PATH's extension:",
            "  .rdb    an RDB a server loads. Values are copied as the inputs hold them,",
            "          so the file has the newest input's RDB version, and a server",
            "          refuses a version newer than its own.",
            "  .aof    typed commands (SELECT, SET, RPUSH, ..., PEXPIREAT) that a",
            "          server loads as its AOF and redis-cli --pipe accepts.",
            "  .jsonl  JSON Lines as 'ferry decode' prints them.",
            "PATH.tmp is written, then renamed when complete. An existing PATH is",
            "refused unless --on-conflict replace. A key in several inputs is a",
            "conflict: fail, replace (the last copy wins) or skip (the first wins);",
            "keys are told apart by 64-bit hashes of (db, key). Expired keys are left",
            "out."
        })
public final class RestoreCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(RestoreCommand.class);

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "RDB files to restore, or one AOF: a file, a Redis 7 AOF directory or its manifest.")
    List<Path> files;

    @Option(names = "--until", paramLabel = "UNIX_MS",
            description = "AOF only: stop before the first #TS: annotation later than this time (point-in-time restore; needs aof-timestamp-enabled).")
    Long until;

    @Option(names = "--allow-truncated", description = "AOF only: apply everything before a truncated last command instead of failing.")
    boolean allowTruncated;

    @Option(names = "--on-error", defaultValue = "fail", paramLabel = "POLICY",
            description = "AOF only: a command the target rejects: fail (stop) or skip (count and go on). Default ${DEFAULT-VALUE}.")
    io.ferry.target.OnError onError;

    @Option(names = {"-t", "--target"}, required = true, paramLabel = "URI",
            description = "redis://[user:pass@]host:port[/db], rediss://…, twemproxy:nutcracker.yml:POOL, or file:PATH.rdb|.aof|.jsonl")
    String target;

    @Mixin
    TlsMixin tls;

    @Option(names = "--on-unsupported", paramLabel = "POLICY", defaultValue = "fail",
            description = "A module value the target cannot take: fail (default: stop, naming the key and its module) or skip (leave it out, counted).")
    io.ferry.convert.OnUnsupported onUnsupported;

    @Option(names = "--on-conflict", paramLabel = "POLICY", defaultValue = "fail",
            description = "When a key already exists on the target: fail (stop, naming the key), replace, or skip. Default: ${DEFAULT-VALUE}.")
    ConflictPolicy onConflict;

    @Option(names = "--db-map", paramLabel = "S=T,…", description = "Write source db S into target db T (unlisted dbs keep their number).")
    String dbMap;

    @Option(names = "--db-prefix", paramLabel = "S=PREFIX,…",
            description = "Write source db S into target db 0 with PREFIX before each of its keys, in the snapshot and the stream (e.g. 0=,1=db1:); unlisted dbs keep their db.")
    String dbPrefix;

    @Option(names = "--target-db", paramLabel = "N", description = "Write every key into this target db.")
    Integer targetDb;

    @Option(names = "--lanes", defaultValue = "8", paramLabel = "N", description = "Parallel connections to the target (default ${DEFAULT-VALUE}).")
    int lanes;

    @Option(names = "--parallel", defaultValue = "4", paramLabel = "N", description = "Files read at the same time (default ${DEFAULT-VALUE}).")
    int parallel;

    @Option(names = "--big-key-bytes", defaultValue = "64mb", paramLabel = "SIZE",
            description = "Values larger than this are written as batches of typed commands, not one RESTORE (default ${DEFAULT-VALUE}).")
    String bigKeyBytes;

    @Option(names = "--batch-elements", defaultValue = "1000", paramLabel = "N", description = "Most elements per typed command (default ${DEFAULT-VALUE}).")
    int batchElements;

    @Option(names = "--typed", description = "Always write typed commands instead of RESTORE payloads.")
    boolean typed;

    @Option(names = "--spill-dir", paramLabel = "DIR", description = "Where values larger than --big-key-bytes are buffered on disk (default: the system temp dir).")
    Path spillDir;

    @Mixin
    FilterOptions filter;

    @Override
    public Integer call() throws Exception {
        if (FileRestore.handles(target)) {
            return FileRestore.run(this);
        }
        var keyFilter = filter.toFilter();
        IntUnaryOperator dbs = DbMapping.of(dbMap, targetDb, dbPrefix);
        long big = Sizes.parse(bigKeyBytes);
        if (lanes < 1 || parallel < 1 || batchElements < 1) {
            throw new IllegalArgumentException("--lanes, --parallel and --batch-elements must be at least 1");
        }
        for (Path f : files) {
            if (!Files.exists(f)) {
                throw new UserError("cannot read " + f + ": no such file");
            }
        }
        if ((until != null || allowTruncated) && files.size() > 1) {
            throw new UserError("--until and --allow-truncated apply to one AOF, not to several files");
        }
        AofSource aof = AofRestore.detect(files, allowTruncated, until);
        // The RDB files to restore first: the inputs, or the RDB part an AOF starts with.
        List<Path> rdbs = aof == null ? files : aof.rdbPart() == null ? List.of() : List.of(aof.rdbPart());
        long totalBytes = 0;
        for (Path f : aof == null ? files : aof.parts()) {
            totalBytes += Files.size(f);
        }
        io.ferry.sync.TargetSpec spec = io.ferry.sync.TargetSpec.parse(target, tls.toOptions()); // a server or a twemproxy pool
        ApplyStats applied = new ApplyStats();
        ConvertStats converted = new ConvertStats();
        Path spill = spillDir != null ? spillDir : Files.createTempDirectory("ferry-spill-");
        long start = System.nanoTime();
        AtomicLongArray offsets = new AtomicLongArray(Math.max(1, rdbs.size()));
        long[] rdbEnds = new long[rdbs.size()];
        long[] filtered = new long[1];
        try (Target t = spec.open(lanes)) {
            requireDbs(t, rdbs, keyFilter, dbs);
            KeyApplier applier = new KeyApplier(t, onConflict, applied);
            LOG.info("restoring {}, {} MiB, into {} ({}, RESTORE payloads up to RDB {})",
                    aof != null ? "the AOF " + aof.origin() + " (" + aof.parts().size() + " part(s))" : files.size() + " file(s)", totalBytes >> 20,
                    spec.redacted(), t.features().describe(), t.features().rdbVersion());
            ConvertOptions opt = new ConvertOptions(onConflict, big, batchElements, 1 << 20, typed,
                    // Several files may hold the same key: then only REPLACE makes a blind MSET safe.
                    !typed && (t.emptyAtOpen() && rdbs.size() == 1 || onConflict == ConflictPolicy.REPLACE), onUnsupported);
            ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(parallel, rdbs.size())));
            List<Future<Long>> jobs = new ArrayList<>();
            try (Progress p = Progress.start("restore", totalBytes, () -> sum(offsets), () -> applied.keysWritten.sum())) {
                for (int i = 0; i < rdbs.size(); i++) {
                    int idx = i;
                    jobs.add(pool.submit(() -> restoreFile(rdbs.get(idx), idx, offsets, rdbEnds, t, applier, converted, opt, dbs, keyFilter, big, spill)));
                }
                for (Future<Long> j : jobs) {
                    try {
                        filtered[0] += j.get();
                    } catch (ExecutionException e) {
                        applier.fail(fileError(e.getCause()));
                    }
                }
                finish(t, applier); // the RDB part is on the target before the commands that follow it
                AofSource commands = applier.failure() == null ? AofRestore.afterRdb(aof, rdbs, rdbEnds) : null;
                if (commands != null) {
                    AofRestore.replay(t, commands, rdbs.isEmpty() ? 0 : rdbEnds[0], until, allowTruncated, onError, keyFilter, dbs, applier, offsets);
                }
                if (t.laneFailure() != null) {
                    applier.fail(t.laneFailure());
                }
            } finally {
                pool.shutdownNow();
            }
            double secs = (System.nanoTime() - start) / 1e9;
            summary(applied, converted, filtered[0], secs);
            String failure = applier.failure();
            if (failure != null) {
                throw new UserError(failure);
            }
        } finally {
            if (spillDir == null) {
                io.ferry.checkpoint.StateFiles.deleteTree(spill);
            }
        }
        return 0;
    }

    /** Refuses, before the first write, a file whose keys would land in a db the target does not have. */
    private void requireDbs(Target t, List<Path> rdbs, io.ferry.filter.KeyFilter keyFilter, IntUnaryOperator dbs) throws java.io.IOException {
        if (targetDb != null) {
            t.requireDb(targetDb, "--target-db " + targetDb);
            return;
        }
        for (Path f : rdbs) {
            java.util.BitSet in = io.ferry.rdb.RdbDbs.of(f);
            for (int db = in.nextSetBit(0); db >= 0; db = in.nextSetBit(db + 1)) {
                if (keyFilter.acceptsDb(db)) {
                    t.requireDb(dbs.applyAsInt(db), "db " + db + " of " + f);
                }
            }
        }
    }

    /**
     * Sends what is buffered and waits for every reply, lane by lane, so the summary counts all
     * of them. A lane that fails (the target died) is recorded as the run's failure instead of
     * escaping, so the summary is still printed and the first failure (naming a key) is reported.
     */
    private void finish(Target t, KeyApplier applier) {
        for (Lane l : t.lanes()) {
            try {
                l.flush();
            } catch (RuntimeException e) {
                applier.fail(fileError(e));
            }
        }
        for (Lane l : t.lanes()) {
            try {
                l.drain();
            } catch (RuntimeException e) {
                applier.fail(fileError(e));
            }
        }
    }

    private static long sum(AtomicLongArray a) {
        long s = 0;
        for (int i = 0; i < a.length(); i++) {
            s += a.get(i);
        }
        return s;
    }

    private long restoreFile(Path file, int idx, AtomicLongArray offsets, long[] rdbEnds, Target t, KeyApplier applier, ConvertStats converted,
            ConvertOptions opt, IntUnaryOperator dbs, io.ferry.filter.KeyFilter keyFilter, long big, Path spill) throws Exception {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            RdbReader reader = new RdbReader(in, RdbReader.CaptureMode.raw(big, spill));
            SnapshotConverter conv = new SnapshotConverter(t.features(), opt, applier, converted, dbs, System::currentTimeMillis);
            if (t.modules() != null && t.modules().isEmpty()) {
                conv.targetWithoutModules();
            }
            FilteringHandler fh = new FilteringHandler(keyFilter, conv.aroundEachKey(() -> {},
                    () -> offsets.lazySet(idx, reader.offset()))); // progress only: no fence per key
            reader.read(fh);
            offsets.set(idx, reader.offset());
            rdbEnds[idx] = reader.offset(); // an AOF's commands may follow
            return fh.skipped();
        }
    }

    private String fileError(Throwable e) {
        if (e instanceof ApplyFailedException) {
            return e.getMessage();
        }
        if (Failures.isExpected(e)) {
            return Failures.message(e);
        }
        LOG.error("unexpected failure", e);
        return e.toString();
    }

    private static void summary(ApplyStats a, ConvertStats c, long filtered, double secs) {
        long written = a.keysWritten.sum();
        LOG.info(String.format("restore summary: %,d keys written (%,d strings as SET, %,d as RESTORE, %,d as typed commands, %,d big), "
                + "%,d skipped as existing, %,d expired, %,d filtered out, %,d empty, %,d failed; %.1f s, %,.0f keys/s",
                written, c.setKeys.sum(), c.restoreKeys.sum(), c.typedKeys.sum(), c.bigKeys.sum(), a.conflictsSkipped.sum(),
                c.expiredKeys.sum() + a.expiredInFlight.sum(), filtered, c.emptyKeys.sum(), a.keysFailed.sum(), secs, written / Math.max(secs, 1e-3)));
        if (a.functionsLoaded.sum() > 0) {
            LOG.info("{} function libraries loaded", a.functionsLoaded.sum());
        }
        if (c.expiredFields.sum() > 0) {
            LOG.info("{} hash fields had already expired and were not written", c.expiredFields.sum());
        }
        c.losses().forEach(LOG::warn);
    }
}
