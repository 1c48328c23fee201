package io.ferry.source.pika.snapshot;

import io.ferry.rdb.RdbHandler;
import io.ferry.rdb.RdbType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A pulled (3.5/4.0 RsyncService) or pushed (3.x rsync) dump directory of one Pika db, read into
 * Ferry's snapshot events. Every RocksDB is opened read-only, only for the duration of
 * {@link #read}.
 */
public final class PikaSnapshot {
    private static final Logger log = LoggerFactory.getLogger(PikaSnapshot.class);

    public enum Layout { BLACKWIDOW, FLOYD }

    /**
     * What one {@link #read} emitted and skipped. {@code conflicts} counts names holding several live
     * types, {@code conflictNames} lists the first {@value ReadStats#MAX_LISTED_NAMES} of them;
     * {@code conflictDropped} counts the (name, type) values the policy did not write (FIRST: all
     * but one per name, SKIP: all); {@code malformedSkipped} counts meta rows whose key has no
     * readable name (4.0's NUL-byte corruption), logged with their bytes.
     */
    public record Result(long keys, long expiredOrDeleted, long internalSkipped, long conflicts, List<String> conflictNames,
            Map<PikaType, Long> keysByType, long conflictDropped, long malformedSkipped) {
        public Result(long keys, long expiredOrDeleted, long internalSkipped, long conflicts, List<String> conflictNames,
                Map<PikaType, Long> keysByType) {
            this(keys, expiredOrDeleted, internalSkipped, conflicts, conflictNames, keysByType, 0, 0);
        }

        public long keys(PikaType t) {
            return keysByType.getOrDefault(t, 0L);
        }
    }

    private final Path dir;
    private final Layout layout;
    private final List<Path> instances; // floyd: 0/, 1/, … in numeric order

    private PikaSnapshot(Path dir, Layout layout, List<Path> instances) {
        this.dir = dir;
        this.layout = layout;
        this.instances = instances;
    }

    /** Detects the layout of a pulled/pushed dump directory of ONE Pika db: blackwidow (strings/ hashes/ lists/ sets/ zsets/ [+ info]) or floyd (0/ 1/ 2/ … + info). */
    public static PikaSnapshot open(Path dbDir) throws IOException {
        if (!Files.isDirectory(dbDir)) {
            throw new NoSuchFileException(dbDir.toString(), null, "not a directory");
        }
        boolean blackwidow = BlackwidowReader.DIRECTORIES.values().stream().anyMatch(d -> isRocksDb(dbDir.resolve(d)));
        List<Path> numbered = new ArrayList<>();
        try (Stream<Path> s = Files.list(dbDir)) {
            s.filter(p -> p.getFileName().toString().matches("\\d{1,6}") && isRocksDb(p))
                    .sorted(Comparator.comparingInt(p -> Integer.parseInt(p.getFileName().toString())))
                    .forEach(numbered::add);
        }
        if (blackwidow && !numbered.isEmpty()) {
            throw new PikaFormatException(dbDir + ": holds both blackwidow type directories and floyd instances");
        }
        if (blackwidow) {
            if (isRocksDb(dbDir.resolve("streams"))) {
                // 3.5 writes streams/ to its dump but never transfers it; a local dump may have it
                log.warn("Pika snapshot {}: streams/ (Pika 3.5 streams) is not read; copy streams over RESP", dbDir);
            }
            return new PikaSnapshot(dbDir, Layout.BLACKWIDOW, List.of());
        }
        if (!numbered.isEmpty()) {
            return new PikaSnapshot(dbDir, Layout.FLOYD, List.copyOf(numbered));
        }
        if (Files.isDirectory(dbDir.resolve("db0"))) {
            throw new PikaFormatException(dbDir + ": a dump root, not one db: pass " + dbDir.resolve("db0"));
        }
        throw new PikaFormatException(dbDir + ": neither a blackwidow (strings/ hashes/ lists/ sets/ zsets/) nor a floyd (0/ 1/ …) Pika dump");
    }

    static boolean isRocksDb(Path dir) {
        return Files.isRegularFile(dir.resolve("CURRENT"));
    }

    public Layout layout() {
        return layout;
    }

    public Path dir() {
        return dir;
    }

    /** Emits every live key of the dump as db `db` to handler (after {@code selectDb(db)}; no {@code end()}: a caller may read several dbs into one handler); returns the counts. Same-name keys of several types (blackwidow only):
     *  FIRST = keep the type TYPE reports first, drop the others (counted); SUFFIX = the first type keeps the name, the others are written as `name:<typeName>`;
     *  SKIP = leave the name out entirely (all its types). Every conflict is counted and its name listed (cap the list at e.g. 1000 names, count all). */
    public Result read(int db, RdbHandler handler, TypeConflictPolicy policy, LongSupplier nowMs) throws IOException {
        return read(db, handler, policy, nowMs, (name, types) -> {});
    }

    /**
     * As above; {@code multiType} hears of every name that holds several live types, with them, so
     * that the stream that follows the dump applies the same policy to that name.
     */
    public Result read(int db, RdbHandler handler, TypeConflictPolicy policy, LongSupplier nowMs,
            java.util.function.BiConsumer<byte[], java.util.Set<PikaType>> multiType) throws IOException {
        long now = nowMs.getAsLong(); // once per snapshot (PIKA.md §8.3 rule 8)
        ReadStats stats = new ReadStats();
        handler.selectDb(db);
        if (layout == Layout.BLACKWIDOW) {
            try (BlackwidowReader r = new BlackwidowReader(dir)) {
                r.read(db, handler, policy, now, stats, multiType);
            }
        } else {
            for (Path instance : instances) {
                try (FloydReader r = new FloydReader(instance)) {
                    r.read(db, handler, now, stats);
                }
            }
        }
        return stats.result();
    }

    static int rdbType(PikaType t) {
        switch (t) {
            case STRING: return RdbType.STRING;
            case HASH: return RdbType.HASH;
            case LIST: return RdbType.LIST_QUICKLIST_2;
            case SET: return RdbType.SET;
            case ZSET: return RdbType.ZSET_2;
            default: return RdbType.STREAM_LISTPACKS_3;
        }
    }
}
