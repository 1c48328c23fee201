package io.ferry.cli;

import io.ferry.convert.ConvertStats;
import io.ferry.sink.file.FileTarget;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code ferry restore … --target file:PATH}: the restore into a file instead of a server. */
final class FileRestore {
    private static final Logger LOG = LoggerFactory.getLogger(FileRestore.class);
    static final String SCHEME = "file:";

    private FileRestore() {}

    static boolean handles(String target) {
        return target.startsWith(SCHEME);
    }

    static int run(RestoreCommand c) throws Exception {
        Path output = Paths.get(c.target.substring(SCHEME.length()));
        if (output.toString().isEmpty()) {
            throw new IllegalArgumentException("--target file:PATH needs a path, e.g. file:out.rdb");
        }
        if (c.dbPrefix != null) {
            throw new UserError("--db-prefix writes into a server or a cluster; a file target keeps the source's dbs (restore the file with --db-prefix later)");
        }
        if (c.batchElements < 1) {
            throw new IllegalArgumentException("--batch-elements must be at least 1");
        }
        for (Path f : c.files) {
            if (!Files.isRegularFile(f)) {
                throw new UserError("cannot read " + f + ": no such file");
            }
        }
        Path spill = c.spillDir != null ? c.spillDir : Files.createTempDirectory("ferry-spill-");
        long start = System.nanoTime();
        try {
            String version = Main.class.getPackage().getImplementationVersion();
            FileTarget.Options opt = new FileTarget.Options(c.onConflict, c.filter.toFilter(), DbMapping.of(c.dbMap, c.targetDb),
                    c.dbMap != null || c.targetDb != null, Sizes.parse(c.bigKeyBytes), c.batchElements, spill, version == null ? "dev" : version);
            LOG.info("restoring {} file(s) into {}", c.files.size(), output);
            FileTarget.Result r = FileTarget.restore(c.files, output, opt);
            summary(r, output, (System.nanoTime() - start) / 1e9);
        } finally {
            if (c.spillDir == null) {
                io.ferry.checkpoint.StateFiles.deleteTree(spill);
            }
        }
        return 0;
    }

    private static void summary(FileTarget.Result r, Path output, double secs) {
        LOG.info(String.format("restore summary: %,d keys written to %s (%s, %s), %,d function libraries, %,d skipped as existing, "
                + "%,d replaced by a later copy, %,d expired, %,d filtered out, %,d empty; %,d bytes, %.1f s",
                r.keys(), output, r.format().name().toLowerCase(java.util.Locale.ROOT), r.version(), r.functions(), r.skipped(),
                r.superseded(), r.expired(), r.filtered(), r.empty(), r.bytes(), secs));
        ConvertStats c = r.converted();
        if (c == null) {
            return;
        }
        c.losses().forEach(LOG::warn);
    }
}
