package io.ferry.cli;

import io.ferry.rdb.KeyHeader;
import io.ferry.rdb.RdbHandler;
import io.ferry.rdb.RdbReader;
import io.ferry.rdb.ValueSink;
import io.ferry.replication.PsyncReply;
import io.ferry.replication.ReplicaLink;
import io.ferry.replication.SourceRejectedException;
import io.ferry.resp.RedisUri;
import io.ferry.sink.file.TempFile;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "dump",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Takes an RDB backup of a live server through the replica link.",
            "Ferry asks for a full sync (PSYNC ? -1) and saves the snapshot. With",
            "repl-diskless-sync yes the source streams it from memory and never writes",
            "it to its own disk. FILE.tmp is written, read back (every key, and the",
            "checksum), then renamed to FILE; the link is closed, so the source drops",
            "the replica.",
            "A Redis Cluster source is dumped one RDB per master, in parallel: -o names a",
            "directory (made when missing), the files are named host_port.rdb."
        })
public final class DumpCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(DumpCommand.class);

    @Option(names = {"-s", "--source"}, required = true, paramLabel = "URI", description = "redis://[user:pass@]host:port or rediss://…")
    String source;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE.rdb|DIR", description = "Where the RDB goes; for a Redis Cluster source a directory, one host_port.rdb per master.")
    Path output;

    @Option(names = "--overwrite", description = "Replace FILE when it exists (refused otherwise).")
    boolean overwrite;

    @ArgGroup(exclusive = false, heading = "Source TLS (rediss:// sources):%n")
    SourceTls sourceTls = new SourceTls();

    @Override
    public Integer call() throws Exception {
        RedisUri uri = RedisUri.parse(source);
        java.util.List<String> masters = clusterMasters(uri);
        if (masters != null) {
            new ClusterDump(this::receive, DumpCommand::verify).run(uri, masters, output, overwrite);
            return 0;
        }
        long start = System.nanoTime();
        try (TempFile file = TempFile.create(output, overwrite, "--overwrite")) {
            boolean diskless = receive(uri, file.path());
            long[] counts = verify(file.path());
            long bytes = Files.size(file.path());
            file.commit();
            LOG.info(String.format("dump summary: %,d keys, %,d function libraries, %,d bytes in %.1f s (%s transfer from %s) -> %s",
                    counts[0], counts[1], bytes, (System.nanoTime() - start) / 1e9, diskless ? "diskless" : "disk-based", uri.redacted(), output));
        }
        return 0;
    }

    /** The masters of a cluster source, or null for a standalone server. */
    private java.util.List<String> clusterMasters(RedisUri uri) {
        try (io.ferry.resp.RedisConnection c = io.ferry.resp.RedisConnection.open(uri, sourceTls.toOptions(), java.time.Duration.ofSeconds(10))) {
            return io.ferry.target.cluster.ClusterTarget.isCluster(c) ? io.ferry.route.SlotMap.read(c).masters() : null;
        }
    }

    /** Copies the source's snapshot into {@code file}; true when the source sent it diskless. */
    boolean receive(RedisUri uri, Path file) throws IOException {
        try (ReplicaLink link = ReplicaLink.connect(uri, sourceTls.toOptions(), 0);
                FileOutputStream fos = new FileOutputStream(file.toFile());
                OutputStream out = new BufferedOutputStream(fos, 1 << 16)) {
            LOG.info("dump of {}: waiting for the snapshot", uri.redacted());
            PsyncReply reply = link.psync("?", -1);
            if (!reply.full()) {
                throw new UserError("the source offered to continue a stream instead of sending a snapshot");
            }
            link.copySnapshot(reply, out::write);
            out.flush();
            fos.getChannel().force(true);
            return reply.rdbLength() < 0;
        } catch (SourceRejectedException e) {
            throw new UserError(e.getMessage(), e);
        }
    }

    /** Reads the file through (CRC included) and returns its key and function counts. */
    static long[] verify(Path file) throws IOException {
        long[] counts = new long[2];
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            new RdbReader(in).read(new RdbHandler() {
                @Override
                public ValueSink beginKey(KeyHeader h) {
                    counts[0]++;
                    return null;
                }

                @Override
                public void function(byte[] code) {
                    counts[1]++;
                }
            });
        } catch (io.ferry.rdb.RdbFormatException e) {
            throw new UserError("the snapshot the source sent is not a valid RDB: " + e.getMessage(), e);
        }
        return counts;
    }
}
