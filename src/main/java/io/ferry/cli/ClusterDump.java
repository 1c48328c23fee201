package io.ferry.cli;

import io.ferry.resp.RedisUri;
import io.ferry.sink.file.TempFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code ferry dump} of a Redis Cluster: one replica link and one RDB per master, in parallel,
 * into {@code DIR/host_port.rdb}. The files are given their names only when every shard's
 * snapshot is in and read back, so a failed run leaves no partial set under the names asked for.
 */
final class ClusterDump {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterDump.class);

    /** Receives one node's snapshot into a file; true when it came diskless. */
    interface Receive {
        boolean into(RedisUri node, Path file) throws IOException;
    }

    /** Reads a file through; its key and function counts. */
    interface Verify {
        long[] file(Path file) throws IOException;
    }

    private final Receive receive;
    private final Verify verify;

    ClusterDump(Receive receive, Verify verify) {
        this.receive = receive;
        this.verify = verify;
    }

    /** The file of one master's shard in {@code dir}. */
    static Path fileOf(Path dir, String master) {
        return dir.resolve(master.replace(':', '_') + ".rdb");
    }

    void run(RedisUri seed, List<String> masters, Path dir, boolean overwrite) throws Exception {
        if (Files.isRegularFile(dir) || !Files.exists(dir) && dir.getFileName() != null && dir.getFileName().toString().endsWith(".rdb")) {
            throw new UserError("the source is a Redis Cluster of " + masters.size() + " masters: -o names a directory, where one RDB per master goes ("
                    + fileOf(Path.of(""), masters.get(0)) + ", …)");
        }
        for (String m : masters) {
            TempFile.refuseExisting(fileOf(dir, m), overwrite, "--overwrite"); // before any snapshot is asked for
        }
        Files.createDirectories(dir);
        long start = System.nanoTime();
        List<TempFile> files = new ArrayList<>();
        try {
            for (String m : masters) {
                files.add(TempFile.create(fileOf(dir, m), overwrite, "--overwrite"));
            }
            long[][] counts = new long[masters.size()][];
            boolean[] diskless = new boolean[masters.size()];
            AtomicReference<Exception> first = new AtomicReference<>();
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < masters.size(); i++) {
                int at = i;
                Thread t = new Thread(() -> {
                    try {
                        diskless[at] = receive.into(seed.atNode(masters.get(at)), files.get(at).path());
                        counts[at] = verify.file(files.get(at).path());
                    } catch (Exception e) {
                        if (first.compareAndSet(null, e)) {
                            LOG.error("dump of shard {} failed: {}", masters.get(at), e.getMessage());
                        }
                    }
                }, "ferry-dump-" + masters.get(at));
                threads.add(t);
                t.start();
            }
            for (Thread t : threads) {
                t.join();
            }
            if (first.get() != null) {
                throw first.get();
            }
            long keys = 0;
            long bytes = 0;
            for (int i = 0; i < masters.size(); i++) {
                long size = Files.size(files.get(i).path());
                files.get(i).commit();
                keys += counts[i][0];
                bytes += size;
                LOG.info(String.format("dump of shard %s: %,d keys, %,d function libraries, %,d bytes (%s) -> %s", masters.get(i), counts[i][0], counts[i][1],
                        size, diskless[i] ? "diskless" : "disk-based", fileOf(dir, masters.get(i))));
            }
            LOG.info(String.format("dump summary: %,d keys, %,d bytes in %.1f s from %d masters of %s -> %s", keys, bytes, (System.nanoTime() - start) / 1e9,
                    masters.size(), seed.redacted(), dir));
        } finally {
            files.forEach(TempFile::close);
        }
    }
}
