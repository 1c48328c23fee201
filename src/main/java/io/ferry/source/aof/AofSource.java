package io.ferry.source.aof;

import io.ferry.replication.ReplCommand;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;
import java.util.function.Predicate;

/**
 * An append-only file to replay, as one or more parts read in order: a single AOF file (plain
 * RESP, or an RDB preamble followed by RESP), or a Redis 7 multi-part AOF (its directory or
 * manifest). Only the first part may start with an RDB; the caller restores that RDB itself and
 * passes where it ended. Commands get offsets that grow across the parts (each part's bytes follow
 * the previous part's).
 */
public final class AofSource {
    private static final byte[][] SELECT_0 = {"SELECT".getBytes(StandardCharsets.US_ASCII), {'0'}};

    private final String origin;
    private final List<Path> parts;
    private final boolean rdbFirst;
    private final boolean manifestBase; // parts[0] is a manifest's base: a snapshot of one moment
    private boolean tailChecked;
    private long truncatedAt = -1; // in the last part, found by checkTail

    private AofSource(String origin, List<Path> parts, boolean manifestBase) throws IOException {
        this.origin = origin;
        this.parts = parts;
        this.manifestBase = manifestBase;
        for (int i = 1; i < parts.size(); i++) {
            if (startsWithRdb(parts.get(i))) {
                throw new AofFormatException(parts.get(i) + ": an incremental AOF file starting with an RDB (only the base may)", 0);
            }
        }
        this.rdbFirst = startsWithRdb(parts.get(0));
    }

    /**
     * True for what only an AOF can be: a directory, a {@code .manifest}, a file starting like RESP
     * commands or annotations, or a {@code .aof} file without an RDB magic. Anything else stays an
     * RDB (and a file that is neither gets the RDB reader's "not an RDB file", as before AOFs).
     */
    public static boolean isAof(Path p) throws IOException {
        String name = p.getFileName().toString();
        if (Files.isDirectory(p) || name.endsWith(".manifest")) {
            return true;
        }
        if (!Files.isRegularFile(p)) {
            return false;
        }
        int first;
        try (InputStream in = Files.newInputStream(p)) {
            first = in.read();
        }
        return first == '*' || first == '#' || name.endsWith(".aof") && !startsWithRdb(p);
    }

    /** Whether the file starts like an RDB ({@code REDIS} or Valkey's {@code VALKEY}): an RDB, or an AOF with an RDB preamble. */
    public static boolean startsWithRdb(Path p) throws IOException {
        byte[] head = new byte[6];
        int n;
        try (InputStream in = Files.newInputStream(p)) {
            n = in.readNBytes(head, 0, head.length);
        }
        String s = new String(head, 0, n, StandardCharsets.ISO_8859_1);
        return s.startsWith("REDIS") || s.startsWith("VALKEY");
    }

    /** A directory (holding one manifest), a manifest file, or a single AOF file. */
    public static AofSource open(Path p) throws IOException {
        if (Files.isDirectory(p)) {
            List<Path> manifests;
            try (var s = Files.list(p)) {
                manifests = s.filter(f -> f.getFileName().toString().endsWith(".manifest")).toList();
            }
            if (manifests.size() != 1) {
                throw new AofFormatException(p + ": expected one *.manifest file in a Redis 7 AOF directory, found " + manifests.size(), 0);
            }
            return fromManifest(manifests.get(0));
        }
        if (p.getFileName().toString().endsWith(".manifest")) {
            return fromManifest(p);
        }
        return new AofSource(p.toString(), List.of(p), false);
    }

    private static AofSource fromManifest(Path manifest) throws IOException {
        Path dir = manifest.toAbsolutePath().getParent();
        List<Path> files = new ArrayList<>();
        AofManifest m = AofManifest.read(manifest);
        for (AofManifest.Part part : m.parts()) {
            // Redis writes file names as raw bytes; the parser kept each byte as one char.
            Path f = dir.resolve(new String(part.file().getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8));
            if (!Files.isRegularFile(f)) {
                throw new AofFormatException(manifest + " lists " + part.file() + ", which is missing", 0);
            }
            files.add(f);
        }
        return new AofSource(manifest.toString(), files, m.base() != null);
    }

    /** The part starting with an RDB (the base, or a single preamble AOF), or null. */
    public Path rdbPart() {
        return rdbFirst ? parts.get(0) : null;
    }

    public List<Path> parts() {
        return parts;
    }

    public String origin() {
        return origin;
    }

    /**
     * Reads the last part through (values skipped) before anything is applied, so that a
     * truncated or corrupt end is reported while the target is still untouched. Skipped while the
     * last part is an RDB-prefixed one whose RDB has not been read yet ({@code rdbEnd} < 0).
     * Throws the truncation unless {@code allowTruncated}.
     */
    public void checkTail(long rdbEnd, boolean allowTruncated) throws IOException {
        boolean lastHasRdb = rdbFirst && parts.size() == 1;
        if (tailChecked || lastHasRdb && rdbEnd < 0) {
            return;
        }
        tailChecked = true;
        Path last = parts.get(parts.size() - 1);
        try (InputStream in = open(last, lastHasRdb ? rdbEnd : 0)) {
            AofCommandReader r = new AofCommandReader(in, last.toString(), lastHasRdb ? rdbEnd : 0, Files.size(last), false);
            long multiAt = -1;
            for (AofCommandReader.Entry e = r.next(); e != null; e = r.next()) {
                multiAt = multiState(e, multiAt);
            }
            if (multiAt >= 0) {
                throw unfinishedMulti(last, multiAt);
            }
        } catch (AofTruncatedException e) {
            if (!allowTruncated) {
                throw e;
            }
            truncatedAt = e.offset();
        }
    }

    /** How a replay ended. {@code file}/{@code offset}: where it stopped (the end of the last part when it ran through). */
    public record End(Stop stop, Path file, long offset, long commands, long stoppedAtSeconds, boolean sawTimestamps) {}

    public enum Stop {
        /** Every command was read (or the sink stopped the replay: its failure says why). */
        END,
        /** Before the first {@code #TS:} annotation later than {@code --until}. */
        UNTIL,
        /** At an incomplete last command, allowed by the caller. */
        TRUNCATED
    }

    /**
     * Feeds every command to {@code sink} (false from it stops the replay), from {@code rdbEnd} in
     * the first part when that part starts with an RDB. Stops before the first {@code #TS:}
     * annotation later than {@code untilMs} (null: no limit). Each part starts in db 0 (as Redis
     * loads it: a fresh client per file), told to the sink as a SELECT 0 of zero length.
     */
    public End replay(long rdbEnd, Long untilMs, boolean allowTruncated, Predicate<ReplCommand> sink, LongConsumer progress)
            throws IOException {
        checkTail(rdbEnd, allowTruncated);
        long base = 0; // offset of the current part's first byte across all parts
        long commands = 0;
        boolean sawTs = false;
        for (int i = 0; i < parts.size(); i++) {
            Path part = parts.get(i);
            long from = i == 0 && rdbFirst ? rdbEnd : 0;
            long size = Files.size(part);
            boolean last = i == parts.size() - 1;
            try (InputStream in = open(part, from)) {
                AofCommandReader r = new AofCommandReader(in, part.toString(), from, size, true);
                if (!sink.test(new ReplCommand(SELECT_0, base + from, base + from))) {
                    return new End(Stop.END, part, from, commands, -1, sawTs);
                }
                long multiAt = -1;
                while (true) {
                    if (last && r.position() == truncatedAt) {
                        return new End(Stop.TRUNCATED, part, truncatedAt, commands, -1, sawTs);
                    }
                    AofCommandReader.Entry e = r.next();
                    if (e == null) {
                        break;
                    }
                    multiAt = multiState(e, multiAt);
                    if (e instanceof AofCommandReader.Annotation a) {
                        long ts = timestamp(a);
                        sawTs |= ts >= 0;
                        if (untilMs != null && ts >= 0 && ts * 1000 > untilMs) {
                            if (i == 0 && manifestBase) {
                                // A rewrite writes the base as of one moment (its first annotation): no earlier state is in it.
                                throw new IllegalArgumentException("--until " + untilMs + " is before the AOF's base " + part.getFileName()
                                        + " (written at #TS:" + ts + "): the AOF holds no state that early");
                            }
                            return new End(Stop.UNTIL, part, a.start(), commands, ts, true);
                        }
                        continue;
                    }
                    AofCommandReader.Command c = (AofCommandReader.Command) e;
                    commands++;
                    progress.accept(base + c.end());
                    if (!sink.test(new ReplCommand(c.argv(), base + c.start(), base + c.end()))) {
                        return new End(Stop.END, part, c.end(), commands, -1, sawTs);
                    }
                }
                if (multiAt >= 0) {
                    // Only reachable for a part other than the last one (checkTail saw the last one).
                    throw unfinishedMulti(part, multiAt);
                }
            } catch (AofTruncatedException e) {
                if (!last) {
                    throw new AofFormatException(e.getMessage() + "; it is not the last part of " + origin + ", so the AOF is corrupt", e.offset());
                }
                throw e;
            }
            base += size;
        }
        Path last = parts.get(parts.size() - 1);
        return new End(Stop.END, last, Files.size(last), commands, -1, sawTs);
    }

    /**
     * When the RDB at the start of {@code file} was written (its {@code ctime} aux field, Unix
     * seconds), or -1 when it does not say. Reads only the header.
     */
    public static long rdbCreatedAt(Path file) throws IOException {
        long[] ctime = {-1};
        class HeaderRead extends RuntimeException {
            HeaderRead() {
                super(null, null, false, false);
            }
        }
        try (InputStream in = Files.newInputStream(file)) {
            new io.ferry.rdb.RdbReader(in).read(new io.ferry.rdb.RdbHandler() {
                @Override
                public void aux(byte[] name, byte[] value) {
                    if (new String(name, StandardCharsets.US_ASCII).equals("ctime")) {
                        ctime[0] = Long.parseLong(new String(value, StandardCharsets.US_ASCII));
                        throw new HeaderRead();
                    }
                }

                @Override
                public void selectDb(int db) {
                    throw new HeaderRead(); // the aux fields come before the first db
                }

                @Override
                public io.ferry.rdb.ValueSink beginKey(io.ferry.rdb.KeyHeader header) {
                    throw new HeaderRead();
                }
            });
        } catch (HeaderRead | NumberFormatException stop) {
            // read what there was to read
        }
        return ctime[0];
    }

    /** Where an open MULTI block started (-1: none), after entry {@code e}. */
    private static long multiState(AofCommandReader.Entry e, long multiAt) {
        if (e instanceof AofCommandReader.Command c) {
            String name = new String(c.argv()[0], StandardCharsets.US_ASCII);
            if (name.equalsIgnoreCase("MULTI")) {
                return c.start();
            }
            if (name.equalsIgnoreCase("EXEC")) {
                return -1;
            }
        }
        return multiAt;
    }

    /** A file ending inside MULTI/EXEC is truncated at the MULTI: Redis drops such a block too. */
    private static AofTruncatedException unfinishedMulti(Path file, long at) {
        return new AofTruncatedException(file + ": the file ends inside the MULTI block at byte offset " + at
                + " (truncated, as after a crash while it was written)", at);
    }

    /** The seconds of a {@code TS:<seconds>} annotation, -1 for any other annotation. */
    private static long timestamp(AofCommandReader.Annotation a) {
        if (!a.text().startsWith("TS:")) {
            return -1;
        }
        try {
            return Long.parseLong(a.text().substring(3));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static InputStream open(Path p, long from) throws IOException {
        FileChannel ch = FileChannel.open(p);
        ch.position(from);
        return Channels.newInputStream(ch);
    }
}
