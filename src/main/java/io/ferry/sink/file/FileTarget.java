package io.ferry.sink.file;

import io.ferry.convert.ConflictPolicy;
import io.ferry.convert.ConvertStats;
import io.ferry.filter.FilteringHandler;
import io.ferry.filter.KeyFilter;
import io.ferry.rdb.RdbHandler;
import io.ferry.rdb.RdbReader;
import io.ferry.rdb.ValueSink;
import io.ferry.status.Progress;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.IntUnaryOperator;

/**
 * {@code ferry restore … --target file:PATH}: the keys of the input RDBs written into one file,
 * an RDB, an AOF or JSON Lines by PATH's extension. The file is written as {@code PATH.tmp} and
 * renamed when complete, so a failed run never leaves a half file under the name asked for.
 */
public final class FileTarget {
    private FileTarget() {}

    public enum Format {
        RDB, AOF, JSONL;

        /** The format PATH's extension names. */
        public static Format of(Path path) {
            String name = path.getFileName() == null ? "" : path.getFileName().toString().toLowerCase(Locale.ROOT);
            if (name.endsWith(".rdb")) {
                return RDB;
            }
            if (name.endsWith(".aof")) {
                return AOF;
            }
            if (name.endsWith(".jsonl")) {
                return JSONL;
            }
            throw new IllegalArgumentException("file:" + path + ": the file name must end in .rdb, .aof or .jsonl (it decides the format)");
        }
    }

    /**
     * @param mergesDbs   whether {@code dbMap} may send two source dbs into one (--db-map, --target-db)
     * @param bigKeyBytes values larger than this are buffered in {@code spillDir}, not in memory
     */
    public record Options(ConflictPolicy onConflict, KeyFilter filter, IntUnaryOperator dbMap, boolean mergesDbs, long bigKeyBytes,
            int batchElements, Path spillDir, String ferryVersion) {}

    /** What the run wrote; {@code converted} holds what the AOF or RDB did not carry (null for JSON Lines). */
    public record Result(Format format, String version, long keys, long functions, long expired, long filtered, long skipped,
            long superseded, long empty, long bytes, ConvertStats converted) {}

    public static Result restore(List<Path> inputs, Path output, Options opt) throws IOException {
        Format format = Format.of(output);
        boolean overwrite = opt.onConflict() == ConflictPolicy.REPLACE;
        TempFile.refuseExisting(output, overwrite, "--on-conflict replace");
        RdbReader.Header newest = newestHeader(inputs);
        long now = System.currentTimeMillis(); // one clock for the run: both passes must agree on what expired
        Occurrences occurrences = new Occurrences(opt.onConflict(), inputs.size() > 1 || opt.mergesDbs());
        if (occurrences.needsCount()) {
            countCopies(inputs, opt, occurrences, now);
        }
        long total = 0;
        for (Path in : inputs) {
            total += Files.size(in);
        }
        try (TempFile tmp = TempFile.create(output, overwrite, "--on-conflict replace");
                FileOutputStream fos = new FileOutputStream(tmp.path().toFile());
                OutputStream os = new BufferedOutputStream(fos, 1 << 16)) {
            OutputFormat out = open(format, os, newest, opt, now);
            KeyChooser chooser = new KeyChooser(out, opt.dbMap(), occurrences, now);
            long filtered = readAll(inputs, out, chooser, opt, total);
            out.finish();
            os.flush();
            fos.getChannel().force(true); // on disk before it takes the name
            Result r = new Result(format, (newest.valkey() ? "VALKEY" : "RDB ") + newest.version(), out.keysWritten(), chooser.functions,
                    chooser.expired, filtered, chooser.skipped, chooser.superseded, out.keysEmpty(), fos.getChannel().size(),
                    out instanceof AofOutput a ? a.stats() : out instanceof RdbOutput o ? o.stats() : null);
            fos.close(); // before the rename; closing again at the end is harmless
            tmp.commit();
            return r;
        }
    }

    /** Reads every input into the output, with a progress display; returns the keys filtered out. */
    private static long readAll(List<Path> inputs, OutputFormat out, KeyChooser chooser, Options opt, long total) throws IOException {
        long filtered = 0;
        long[] doneBytes = new long[1]; // of the inputs already read
        RdbReader[] reader = new RdbReader[1]; // the one being read (its offset adds to the progress)
        try (Progress p = Progress.start("restore", total, () -> doneBytes[0] + (reader[0] == null ? 0 : reader[0].offset()), out::keysWritten)) {
            for (Path file : inputs) {
                try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
                    reader[0] = new RdbReader(in, out.rawValues() ? RdbReader.CaptureMode.raw(opt.bigKeyBytes(), opt.spillDir()) : RdbReader.CaptureMode.NONE);
                    FilteringHandler fh = new FilteringHandler(opt.filter(), chooser);
                    reader[0].read(fh);
                    filtered += fh.skipped();
                    doneBytes[0] += Files.size(file);
                    reader[0] = null;
                }
            }
        }
        return filtered;
    }

    private static OutputFormat open(Format format, OutputStream os, RdbReader.Header newest, Options opt, long now) throws IOException {
        switch (format) {
            case RDB:
                return new RdbOutput(os, newest.version(), newest.valkey(), opt.ferryVersion());
            case AOF:
                return new AofOutput(os, newest.version(), newest.valkey(), opt.bigKeyBytes(), opt.batchElements(), now);
            default:
                return new JsonLinesOutput(os);
        }
    }

    /**
     * The newest RDB version among the inputs: values are copied as they are, so the output must
     * be at least as new as any input (a server refuses a version newer than its own).
     */
    static RdbReader.Header newestHeader(List<Path> inputs) throws IOException {
        int redis = 0;
        boolean valkey = false;
        for (Path file : inputs) {
            try (InputStream in = Files.newInputStream(file)) {
                RdbReader.Header h = RdbReader.readHeader(in);
                if (h.valkey()) {
                    valkey = true;
                } else {
                    redis = Math.max(redis, h.version());
                }
            }
        }
        if (!valkey) {
            return new RdbReader.Header(redis, false);
        }
        if (redis > 11) {
            throw new IllegalArgumentException("cannot merge a Valkey RDB (VALKEY" + RdbReader.VALKEY_VERSION + ") with a Redis RDB " + redis
                    + " into one file: no server reads both");
        }
        return new RdbReader.Header(RdbReader.VALKEY_VERSION, true);
    }

    /** First pass under replace: which keys come more than once (values are skipped, not decoded). */
    private static void countCopies(List<Path> inputs, Options opt, Occurrences occurrences, long now) throws IOException {
        RdbHandler counter = new RdbHandler() {
            @Override
            public ValueSink beginKey(io.ferry.rdb.KeyHeader h) {
                if (!KeyChooser.expired(h, now)) {
                    occurrences.count(opt.dbMap().applyAsInt(h.db), h.key);
                }
                return null;
            }

            @Override
            public void function(byte[] code) {
                occurrences.count(Occurrences.FUNCTIONS, Occurrences.libraryName(code));
            }
        };
        for (Path file : inputs) {
            try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
                new RdbReader(in).read(new FilteringHandler(opt.filter(), counter));
            }
        }
    }
}
