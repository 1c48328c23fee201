package io.ferry.sync;

import io.ferry.resp.RedisConnection;
import io.ferry.resp.Reply;
import io.ferry.source.pika.PikaLink;
import io.ferry.source.pika.PikaSource;
import io.ferry.source.pika.binlog.PikaGeneration;
import io.ferry.source.pika.wire.InnerResponse;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plans the partitions of a Pika source: asks its client port for the version (INFO server,
 * {@code pika_version}), and a MetaSync for its dbs; each db the filters accept becomes a
 * {@link PikaSession} with its own replica node, state dir and checkpoint keys.
 */
final class PikaPlan {
    private static final Logger LOG = LoggerFactory.getLogger(PikaPlan.class);

    private PikaPlan() {}

    static Map<String, Partition> plan(SyncOptions opt, SourceSpec.Pika spec) {
        var uri = spec.uri();
        String version;
        try (RedisConnection c = RedisConnection.open(spec.uri(), opt.sourceTls(), Duration.ofSeconds(10))) {
            version = versionOf(c, spec);
            warnAboutBinlogRetention(c);
        }
        PikaGeneration gen = PikaGeneration.of(version);
        List<String> dbs = dbsOf(spec, version);
        List<String> synced = dbs.stream().filter(d -> opt.filter().acceptsDb(indexOf(d))).toList();
        if (synced.isEmpty()) {
            throw new io.ferry.cli.UserError("the filters leave none of the Pika master's dbs (" + String.join(", ", dbs) + ") to sync");
        }
        if (opt.target() instanceof TargetSpec.AofFile && synced.size() > 1) {
            throw new io.ferry.cli.UserError("the Pika master has " + synced.size() + " dbs, and one AOF file cannot hold several streams; "
                    + "sync into a server, or pick one db with --db");
        }
        requireTargetDbs(opt, synced);
        long targets = synced.stream().mapToInt(d -> opt.dbMap().applyAsInt(indexOf(d))).distinct().count();
        boolean disjoint = targets == synced.size(); // dbs merged into one target db may hold the same key
        Map<String, Partition> out = new LinkedHashMap<>();
        int port = spec.options().replicaPort();
        for (int i = 0; i < synced.size(); i++) {
            String db = synced.get(i);
            int replicaPort = port > 0 ? port + i : freeReplicaPort(gen);
            PikaSource src = new PikaSource(uri.host(), uri.port(), uri.password(), version, gen, db, indexOf(db), spec.options().typeConflict(), replicaPort);
            boolean one = synced.size() == 1;
            Path dir = one ? opt.stateDir() : opt.stateDir().resolve("shards").resolve(db);
            out.put(one ? "" : db, new PikaSession(opt.forPartition(uri, dir, opt.filter()), src, one ? "" : db, disjoint));
        }
        LOG.info("source pika {} {}: {} (version {}), one partition per db", uri.hostPort(), gen, String.join(", ", synced), version);
        return out;
    }

    /** Fewer binlog files than this is the stock setting (10), which a long full sync easily outruns. */
    private static final long FEW_BINLOG_FILES = 100;

    /**
     * A full sync continues from the dump's binlog position only if the master still has that
     * binlog file when the dump is written: says so, in one line, when the master keeps few files.
     */
    private static void warnAboutBinlogRetention(RedisConnection c) {
        try {
            Reply r = c.call("CONFIG", "GET", "expire-logs-nums");
            if (r.isError() || r.asList().size() < 2) {
                return; // CONFIG refused: nothing to say
            }
            long files = Long.parseLong(r.asList().get(1).asString().strip());
            if (files < FEW_BINLOG_FILES) {
                LOG.warn("the Pika master keeps only {} binlog files (expire-logs-nums): if the dump takes longer than writing them, the binlog continues "
                        + "from a purged position and a new full sync follows; raise it first: config set expire-logs-nums 10000", files);
            }
        } catch (RuntimeException e) {
            LOG.debug("could not read expire-logs-nums: {}", e.getMessage());
        }
    }

    /** Refuses, before any partition writes, a db that would land in a db the target lacks. */
    private static void requireTargetDbs(SyncOptions opt, List<String> dbs) {
        try (io.ferry.target.Target t = opt.target().open(1)) {
            for (String db : dbs) {
                t.requireDb(opt.dbMap().applyAsInt(indexOf(db)), "Pika " + db);
            }
        }
    }

    private static String versionOf(RedisConnection c, SourceSpec.Pika spec) {
        Reply r = c.call("INFO", "server");
        if (r.isError()) {
            throw new io.ferry.cli.UserError("the source " + spec.redacted() + " refused INFO server: " + r.asString());
        }
        for (String line : r.asString().split("\r?\n")) {
            if (line.startsWith("pika_version:")) {
                String v = line.substring("pika_version:".length()).strip();
                PikaGeneration.of(v); // refuses a version it cannot speak to, in one line
                return v;
            }
        }
        throw new io.ferry.cli.UserError("the source " + spec.redacted() + " is not a Pika server (its INFO has no pika_version); "
                + "give a Redis or Valkey source as redis://");
    }

    /** The master's dbs, from a MetaSync on a throw-away replica node (closing it removes the node). */
    private static List<String> dbsOf(SourceSpec.Pika spec, String version) {
        int port = freePort();
        try (PikaLink l = PikaLink.connect(spec.uri().host(), spec.uri().port() + 2000, port, Duration.ofSeconds(10))) {
            InnerResponse.MetaSync m = l.metaSync(spec.uri().password());
            return m.dbs().stream().map(InnerResponse.DbInfo::name).toList();
        } catch (IOException e) {
            throw new io.ferry.cli.UserError("the Pika " + version + " master " + spec.uri().hostPort() + " refused to list its dbs: " + e.getMessage());
        }
    }

    static int indexOf(String db) {
        if (!db.matches("db[0-9]+")) {
            throw new io.ferry.cli.UserError("the Pika master has a db named '" + db + "'; Ferry maps dbN to db N and knows no other names");
        }
        return Integer.parseInt(db.substring(2));
    }

    /** A port free here whose port + 1000 (where a 3.x master pushes its dump) is free too. */
    private static int freeReplicaPort(PikaGeneration gen) {
        for (int attempt = 0; attempt < 50; attempt++) {
            int p = freePort();
            if (p + 1000 > 65535 || gen == PikaGeneration.V3_LEGACY && !free(p + 1000)) {
                continue;
            }
            return p;
        }
        throw new io.ferry.cli.UserError("found no free replica port (with port + 1000 free) to announce to the Pika master; give --pika-replica-port");
    }

    private static int freePort() {
        for (int attempt = 0; attempt < 50; attempt++) {
            try (ServerSocket s = new ServerSocket(0)) {
                if (s.getLocalPort() + 1000 <= 65535) {
                    return s.getLocalPort();
                }
            } catch (IOException e) {
                // try again
            }
        }
        throw new io.ferry.cli.UserError("found no free local port to announce to the Pika master");
    }

    private static boolean free(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
