package io.ferry.cli;

import io.ferry.check.CheckOptions;
import io.ferry.check.CheckResult;
import io.ferry.check.CheckSession;
import io.ferry.check.Kind;
import io.ferry.check.Level;
import io.ferry.check.Report;
import io.ferry.check.Topology;
import io.ferry.resp.RedisUri;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(
        name = "check",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Verifies that the target holds what the source holds, in both directions:",
            "keys missing on the target, keys on the target that the source lacks, and",
            "keys whose type, size, value or TTL differ. Later rounds compare again only",
            "the keys that differed, so writes still in flight (a live sync) settle.",
            "The source may be an RDB file.",
            "Exit status: 0 when nothing differs, 1 when differences remain (or the check",
            "failed), 2 for usage errors."
        })
public final class CheckCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = {"-s", "--source"}, required = true, paramLabel = "URI|FILE.rdb|AOF",
            description = "The source: redis://[user:pass@]host:port (a Redis Cluster node: the whole cluster), rediss://…, twemproxy:FILE:POOL, pika://[:pass@]host[:port] (a Pika 3.x/4.0 server, port 9221 by default), an RDB file, or an AOF (file, manifest or append-only directory: replayed by a scratch redis-server).")
    String source;

    @Option(names = {"-t", "--target"}, required = true, paramLabel = "URI", description = "The target: redis://[user:pass@]host:port, rediss://…, or twemproxy:nutcracker.yml:POOL (its backends)")
    String target;

    @Option(names = "--db-prefix", paramLabel = "S=PREFIX,…",
            description = "The target was written with --db-prefix: source db S's key k is target db 0's PREFIXk.")
    String dbPrefix;

    @Option(names = "--level", defaultValue = "full", paramLabel = "LEVEL",
            description = "keys (existence), type (+ type, size, TTL) or full (+ every value). Default ${DEFAULT-VALUE}.")
    Level level;

    @Option(names = "--rounds", defaultValue = "3", paramLabel = "N",
            description = "Rounds; later ones compare again only the keys that differed (default ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--interval", defaultValue = "5s", paramLabel = "DURATION", description = "Pause between rounds (default ${DEFAULT-VALUE}).")
    String interval;

    @Option(names = "--ttl-tolerance", defaultValue = "2s", paramLabel = "DURATION",
            description = "TTLs further apart than this differ (default ${DEFAULT-VALUE}; e.g. 500ms, 2s).")
    String ttlTolerance;

    @Option(names = "--sample", paramLabel = "N", description = "Check about N keys per side, picked evenly over the keyspace.")
    Long sample;

    @Option(names = "--sample-rate", paramLabel = "RATE", description = "Check this share of the keys, e.g. 0.01.")
    Double sampleRate;

    @Option(names = "--qps", paramLabel = "N", description = "At most N commands per second to the source (default: unlimited).")
    Double qps;

    @Option(names = "--report", paramLabel = "FILE.json", description = "Write every difference to this JSON file.")
    Path report;

    @Option(names = "--parallel", defaultValue = "4", paramLabel = "N",
            description = "Workers, each with its own connections to both sides (default ${DEFAULT-VALUE}).")
    int parallel;

    @Option(names = "--batch", defaultValue = "100", paramLabel = "N", description = "Keys per pipelined round trip (default ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--chunk", defaultValue = "500", paramLabel = "N",
            description = "Elements per round trip when comparing big collections (default ${DEFAULT-VALUE}).")
    int chunk;

    @Option(names = "--max-diffs", defaultValue = "1000000", paramLabel = "N",
            description = "Differences kept for rechecks and the report; more are only counted (default ${DEFAULT-VALUE}).")
    long maxDiffs;

    @Mixin
    TlsMixin tls;

    @ArgGroup(exclusive = false, heading = "Source TLS (rediss:// sources):%n")
    SourceTls sourceTls = new SourceTls();

    @Option(names = "--redis-server", defaultValue = "redis-server", paramLabel = "PATH",
            description = "The redis-server (7.0+) that replays an AOF source in a temp dir (default: ${DEFAULT-VALUE} on the PATH).")
    String redisServer;

    @Mixin
    FilterOptions filter;

    @Option(names = "--pika-type-conflict", defaultValue = "first", paramLabel = "POLICY",
            description = "A pika:// source: where a name of several types went, as for sync: first (the type Pika's TYPE reports keeps the name, the others were left out), suffix (the others are name:<type>) or skip (the name was left out). Default ${DEFAULT-VALUE}.")
    String pikaTypeConflict;

    @Override
    public Integer call() throws Exception {
        Duration every = duration("--interval", interval);
        Duration tolerance = duration("--ttl-tolerance", ttlTolerance);
        if (rounds < 1) {
            throw usage("--rounds must be at least 1");
        }
        if (sample != null && sampleRate != null) {
            throw usage("--sample and --sample-rate cannot be combined");
        }
        if (sample != null && sample < 1) {
            throw usage("--sample must be at least 1");
        }
        if (sampleRate != null && !(sampleRate > 0 && sampleRate <= 1)) {
            throw usage("--sample-rate must be within (0, 1], e.g. 0.01");
        }
        if (qps != null && !(qps > 0)) {
            throw usage("--qps must be positive");
        }
        if (parallel < 1 || batch < 1 || chunk < 1 || maxDiffs < 1) {
            throw usage("--parallel, --batch, --chunk and --max-diffs must be at least 1");
        }
        var keyFilter = filter.toFilter();

        Path sourceFile = !isPool(source) && isFile(source) ? Path.of(source) : null;
        io.ferry.check.AofScratchServer scratch = null;
        if (sourceFile != null && io.ferry.source.aof.AofSource.isAof(sourceFile)) {
            scratch = io.ferry.check.AofScratchServer.start(sourceFile, redisServer); // replays it; read like a live source
        }
        try {
            return check(sourceFile, scratch, keyFilter, every, tolerance);
        } finally {
            if (scratch != null) {
                scratch.close();
            }
        }
    }

    private int check(Path file, io.ferry.check.AofScratchServer scratch, io.ferry.filter.KeyFilter keyFilter, Duration every, Duration tolerance)
            throws Exception {
        Path sourceFile = scratch != null ? null : file;
        io.ferry.check.PikaOrigin pika = source.startsWith("pika://") ? pika() : null;
        Topology sourceSide = pika != null ? Topology.standalone(pikaUri())
                : scratch != null ? Topology.standalone(scratch.uri()) : sourceFile == null ? topology("--source", source) : null;
        Topology targetSide = Topology.named(topology("--target", target), DbMapping.of(null, null, dbPrefix));
        CheckOptions opt = new CheckOptions(sourceSide,
                sourceTls.toOptions(), sourceFile,
                targetSide, tls.toOptions(), level, tolerance, rounds, every,
                sample == null ? 0 : sample, sampleRate == null ? 1.0 : sampleRate, keyFilter, qps == null ? 0 : qps,
                batch, chunk, 256 * 1024, parallel, maxDiffs, pika);
        CheckResult r = new CheckSession(opt).run();

        String from = file != null ? file.toString() : pika != null ? "pika://" + sourceSide.describe().replaceFirst("^redis://", "") : sourceSide.describe();
        PrintWriter out = spec.commandLine().getOut();
        out.printf("ferry check: %s → %s, level %s, %d round(s)%n", from, targetSide.describe(), level.label(), r.rounds());
        out.print(Report.table(r));
        out.printf(Locale.ROOT, "round 1: %,d keys checked in %.1f s (%,.0f keys/s)%n", r.checkedTotal(), r.firstRoundSeconds(),
                r.keysPerSecond());
        if (r.identical()) {
            out.println("result: no differences");
        } else {
            StringBuilder b = new StringBuilder();
            for (Kind k : Kind.values()) {
                long n = r.count(k);
                if (n > 0) {
                    b.append(b.length() == 0 ? "" : ", ").append(String.format("%,d %s", n, k.label()));
                }
            }
            out.printf("result: %,d keys differ (%s)%n", r.differences().size() + r.overflowed(), b);
        }
        r.notes().forEach((what, n) -> out.printf(Locale.ROOT, "source note: %,d %s%n", n, noteText(what)));
        if (report != null) {
            Report.writeJson(report, from, targetSide.describe(), opt, r);
            out.println("report: " + report);
        }
        out.flush();
        return r.identical() ? 0 : 1;
    }

    /** The Pika source's address (port 9221 when none is given, as for sync). */
    private RedisUri pikaUri() {
        io.ferry.sync.SourceSpec.Pika p;
        try {
            p = (io.ferry.sync.SourceSpec.Pika) io.ferry.sync.SourceSpec.parse(source);
        } catch (IllegalArgumentException e) {
            throw usage("--source: " + e.getMessage());
        }
        if (p.uri().db() != null) {
            throw usage("--source " + p.redacted() + ": the check compares databases by number; leave the /db out and select databases with --db");
        }
        return p.uri();
    }

    private io.ferry.check.PikaOrigin pika() {
        io.ferry.source.pika.snapshot.TypeConflictPolicy policy;
        try {
            policy = io.ferry.source.pika.snapshot.TypeConflictPolicy.parse(pikaTypeConflict);
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        try {
            return io.ferry.check.PikaOrigin.probe(pikaUri(), sourceTls.toOptions(), policy);
        } catch (io.ferry.resp.RedisException e) {
            throw new UserError("the source " + pikaUri().redacted() + ": " + e.getMessage());
        }
    }

    private static String noteText(String what) {
        return switch (what) {
            case "pika_hll_strings" -> "Pika HyperLogLog strings (131,072 bytes; compared as bytes, Redis PFCOUNT cannot read them)";
            case "ttl_not_readable" -> "values whose TTL Pika does not show (not the first type of their name; TTL not compared)";
            case "multi_type_pairs" -> "(name, type) pairs of names holding several types";
            case "left_out_by_policy" -> "(name, type) pairs left out by --pika-type-conflict (not expected on the target)";
            case "streams_not_listed" -> "dbs whose streams the source cannot list by type (compared only where the target holds them)";
            default -> what;
        };
    }

    private static boolean isPool(String s) {
        return s.startsWith("twemproxy:");
    }

    /** A server, or a twemproxy pool's backends ({@code twemproxy:FILE:POOL}). */
    private Topology topology(String option, String s) {
        if (isPool(s)) {
            return io.ferry.check.TwemproxyTopology.of(io.ferry.route.twemproxy.PoolReader.parseSpec(s));
        }
        RedisUri u = uri(option, s);
        try {
            return Topology.of(u, option.equals("--source") ? sourceTls.toOptions() : tls.toOptions());
        } catch (io.ferry.resp.RedisException e) {
            throw new UserError("the " + option.substring(2) + " " + u.redacted() + ": " + e.getMessage());
        }
    }

    /** A source is a file when it names an existing file or directory (an AOF) or ends with .rdb; otherwise a server URI. */
    private static boolean isFile(String s) {
        if (s.contains("://")) {
            return false;
        }
        return s.toLowerCase(Locale.ROOT).endsWith(".rdb") || Files.isRegularFile(Path.of(s)) || Files.isDirectory(Path.of(s)); // a multi-part AOF
    }

    private RedisUri uri(String option, String s) {
        RedisUri u;
        try {
            u = RedisUri.parse(s);
        } catch (IllegalArgumentException e) {
            throw usage(option + ": " + e.getMessage());
        }
        if (u.db() != null) {
            throw usage(option + " " + u.redacted() + ": the check compares databases by number; leave the /db out and select databases with --db");
        }
        return u;
    }

    private Duration duration(String option, String s) {
        try {
            return Durations.parse(option, s);
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
