package io.ferry.cli;

import io.ferry.convert.ConflictPolicy;
import io.ferry.resp.RedisUri;
import io.ferry.sync.SyncOptions;
import io.ferry.sync.SyncSession;
import io.ferry.sync.SyncStats;
import io.ferry.target.OnError;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "sync",
        mixinStandardHelpOptions = true,
        defaultValueProvider = io.ferry.config.TomlDefaults.class,
        sortOptions = false,
        description = {
            "Online migration: poses as a replica of the source (Redis/Valkey; PSYNC, or",
            "SYNC before 2.8), copies its snapshot to the target, then applies every later",
            "write until stopped (Ctrl-C / SIGTERM: drains, checkpoints, exits 0).",
            "Restart with the same --state-dir to continue where it stopped, without a new",
            "full sync (what was received but not applied is replayed from the local spool).",
            "One run per --state-dir."
        })
public final class SyncCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(SyncCommand.class);

    @Option(names = {"-s", "--source"}, required = true, paramLabel = "URI", split = io.ferry.config.TomlDefaults.LIST_SPLIT,
            description = "The source: redis://[user:pass@]host:port or rediss://… (a Redis Cluster node: every master of the cluster), "
                    + "or twemproxy:nutcracker.yml:POOL (every backend of the pool), or pika://[:pass@]host[:port] (a Pika 3.1–4.0 master, every db). "
                    + "Repeat it (or give a list in the config file) to sync several sources into one target, each its own partition.")
    java.util.List<String> source;

    @Option(names = {"-t", "--target"}, required = true, paramLabel = "URI", description = "The target: redis://[user:pass@]host:port[/db], rediss://…, twemproxy:nutcracker.yml:POOL (the pool's backends), "
            + "or file:PATH.aof (an AOF a server loads; resumed like a server)")
    String target;

    @Option(names = "--state-dir", defaultValue = "ferry-state", paramLabel = "DIR",
            description = "Checkpoint, spool and spill files (default ./${DEFAULT-VALUE}). One directory per migration.")
    Path stateDir;

    @Option(names = "--on-unsupported", paramLabel = "POLICY", defaultValue = "fail",
            description = "A module value the target cannot take: fail (default: stop, naming the key and its module) or skip (leave it out, counted).")
    io.ferry.convert.OnUnsupported onUnsupported;

    @Option(names = "--on-conflict", defaultValue = "fail", paramLabel = "POLICY",
            description = "A snapshot key that already exists on the target: fail, replace or skip (default ${DEFAULT-VALUE}).")
    ConflictPolicy onConflict;

    @Option(names = "--on-error", defaultValue = "fail", paramLabel = "POLICY",
            description = "A forwarded command the target rejects: fail (stop, exactly-once resume) or skip (count and go on; a crash may re-apply the last batch). Default ${DEFAULT-VALUE}.")
    OnError onError;

    @Option(names = "--lanes", defaultValue = "8", paramLabel = "N", description = "Parallel connections to the target (default ${DEFAULT-VALUE}).")
    int lanes;

    @Option(names = "--db-map", paramLabel = "S=T,…", description = "Write source db S into target db T (unlisted dbs keep their number).")
    String dbMap;

    @Option(names = "--db-prefix", paramLabel = "S=PREFIX,…",
            description = "Write source db S into target db 0 with PREFIX before each of its keys, in the snapshot and the stream (e.g. 0=,1=db1:); unlisted dbs keep their db.")
    String dbPrefix;

    @Option(names = "--target-db", paramLabel = "N", description = "Write every key into this target db.")
    Integer targetDb;

    @Option(names = "--target-at-least-once", description = "Accept at-least-once delivery into a target without transactions (Pika 3.3): "
            + "each batch and its checkpoint are written one after the other, so a crash may apply the last batches again on resume. "
            + "Without it such a target is refused at start.")
    boolean targetAtLeastOnce;

    @Option(names = "--no-second-full-sync", description = "Stop instead of starting a new full sync when the source cannot continue the stream.")
    boolean noSecondFullSync;

    @Option(names = "--spool-max-bytes", defaultValue = "4gb", paramLabel = "SIZE",
            description = "Most unapplied stream bytes kept on local disk while the target catches up (default ${DEFAULT-VALUE}).")
    String spoolMaxBytes;

    @Option(names = "--big-key-bytes", defaultValue = "64mb", paramLabel = "SIZE", description = "Larger values are written as typed batches (default ${DEFAULT-VALUE}).")
    String bigKeyBytes;

    @Option(names = "--ack-interval", defaultValue = "1000", paramLabel = "MS", description = "How often the applied offset is acked and checkpointed (default ${DEFAULT-VALUE} ms).")
    long ackIntervalMs;

    @Option(names = "--target-reconnect-for", defaultValue = "5m", paramLabel = "DURATION",
            description = "How long a lost target link is retried (with backoff) before the run stops; the stream then continues exactly where the target stands (default ${DEFAULT-VALUE}).")
    String targetReconnectFor;

    @Option(names = "--pika-type-conflict", defaultValue = "first", paramLabel = "POLICY",
            description = "A Pika (<= 3.5) name that holds several types: first (keep the type Pika's TYPE reports, drop the others), suffix "
                    + "(the others go to name:<type>) or skip (leave the name out); every conflict is counted and listed. Default ${DEFAULT-VALUE}.")
    String pikaTypeConflict;

    @Option(names = "--pika-replica-port", paramLabel = "PORT",
            description = "The port Ferry announces to a Pika master as its replica node (a 3.x master pushes its dump to PORT + 1000; db i uses PORT + i). Default: a free one.")
    Integer pikaReplicaPort;

    @Option(names = "--source-prefer", defaultValue = "master", paramLabel = "ROLE",
            description = "For a Redis Cluster source: follow each shard's master (default) or a replica of it (same replication id and offsets; a shard without a replica falls back to its master).")
    String sourcePrefer;

    @Option(names = "--source-safe", description = "Partitions on one host take their snapshots one at a time, so a host never forks several BGSAVEs at once.")
    boolean sourceSafe;

    @Option(names = "--status-port", paramLabel = "PORT", description = "Serve /status (JSON), /metrics (Prometheus) and INFO (RESP) on this port.")
    Integer statusPort;

    @Option(names = "--status-host", defaultValue = "127.0.0.1", paramLabel = "HOST", description = "Address of the status port (default ${DEFAULT-VALUE}).")
    String statusHost;

    @Mixin
    TlsMixin tls;

    @Mixin
    io.ferry.config.ConfigOption config;

    @ArgGroup(exclusive = false, heading = "Source TLS (rediss:// sources):%n")
    SourceTls sourceTls = new SourceTls();

    @Mixin
    FilterOptions filter;


    @Override
    public Integer call() throws Exception {
        if (lanes < 1) {
            throw new IllegalArgumentException("--lanes must be at least 1");
        }
        var pikaOptions = new io.ferry.sync.SourceSpec.PikaOptions(io.ferry.source.pika.snapshot.TypeConflictPolicy.parse(pikaTypeConflict),
                pikaReplicaPort == null ? 0 : pikaReplicaPort);
        java.util.List<io.ferry.sync.SourceSpec> sources = source.stream().map(io.ferry.sync.SourceSpec::parse)
                .map(s -> s instanceof io.ferry.sync.SourceSpec.Pika p ? (io.ferry.sync.SourceSpec) p.with(pikaOptions) : s).toList();
        RedisUri first = sources.get(0) instanceof io.ferry.sync.SourceSpec.Server s ? s.uri()
                : sources.get(0) instanceof io.ferry.sync.SourceSpec.Pika p ? p.uri()
                : RedisUri.parse("redis://" + ((io.ferry.sync.SourceSpec.Twemproxy) sources.get(0)).pool().servers().get(0).hostPort());
        SyncOptions opt = new SyncOptions(first, sourceTls.toOptions(),
                io.ferry.sync.TargetSpec.parse(target, tls.toOptions()), stateDir, onConflict, onError, lanes, filter.toFilter(), DbMapping.of(dbMap, targetDb, dbPrefix),
                noSecondFullSync, Sizes.parse(spoolMaxBytes), Sizes.parse(bigKeyBytes), Duration.ofMillis(ackIntervalMs),
                statusPort == null ? 0 : statusPort, Durations.parse("--target-reconnect-for", targetReconnectFor), onUnsupported,
                targetAtLeastOnce);
        io.ferry.sync.SyncCoordinator session = io.ferry.sync.SyncCoordinator.planSources(opt, sources,
                new io.ferry.sync.SourceTopologyOptions(io.ferry.sync.SourceTopologyOptions.parsePrefer(sourcePrefer), sourceSafe));
        CountDownLatch done = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            if (!session.stopping()) {
                LOG.info("stopping: draining in-flight writes and saving the checkpoint…");
            }
            session.stop();
            try {
                done.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException ignored) {
                // exiting anyway
            }
        }, "ferry-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        StopSignals.install(session::stop);
        ScheduledExecutorService statusLine = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ferry-status-line");
            t.setDaemon(true);
            return t;
        });
        statusLine.scheduleAtFixedRate(() -> {
            var names = session.partitions();
            var all = session.sessions();
            for (int i = 0; i < all.size(); i++) {
                statusLine(names.get(i), all.get(i).stats());
            }
        }, 5, 5, TimeUnit.SECONDS);
        AutoCloseable status = StatusEndpoint.start(statusHost, statusPort, session);
        LOG.info("sync {} → {} (state in {})", sources.stream().map(io.ferry.sync.SourceSpec::redacted).collect(java.util.stream.Collectors.joining(" + ")),
                opt.target().redacted(), stateDir.toAbsolutePath());
        try {
            session.run();
        } catch (SyncSession.StopRequested e) {
            LOG.warn(e.getMessage());
        } finally {
            statusLine.shutdownNow();
            status.close();
            done.countDown();
            if (!session.stopping()) {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook); // the run is over: nothing left to drain at exit
                } catch (IllegalStateException shuttingDown) {
                    // the JVM is already exiting; the hook finds the run finished
                }
            }
        }
        return 0;
    }

    private static void statusLine(String shard, SyncStats s) {
        if (s.state.equals("incremental")) {
            String lag = s.unappliedItems != null ? String.format("%,d items", s.unappliedItems.getAsLong()) : String.format("%,d bytes", s.lagBytes());
            LOG.info(String.format((shard.isEmpty() ? "" : "shard " + shard + ": ") + "incremental: %,.0f ops/s, lag %s / %.2f s, applied %s", s.opsPerSecond, lag,
                    s.lagSeconds, s.positionText.apply(s.appliedOffset.get())));
        }
    }

}
