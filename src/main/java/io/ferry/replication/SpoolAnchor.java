package io.ferry.replication;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Ties the spool to the source's replication offsets, so that a restarted Ferry can replay what
 * it had already received instead of asking the source for it again: the command stream is
 * contiguous in the spool, and the byte at spool position {@code position} is the one after
 * source offset {@code offset}. {@code syncId} is the sync it belongs to (see Checkpoint).
 */
public record SpoolAnchor(String syncId, long position, long offset) {
    private static final String FILE = "anchor";

    /** Spool position of the byte after source offset {@code sourceOffset}. */
    public long positionAfter(long sourceOffset) {
        return position + (sourceOffset - offset);
    }

    /** Source offset of the byte before spool position {@code spoolPosition}. */
    public long offsetBefore(long spoolPosition) {
        return offset + (spoolPosition - position);
    }

    public void save(Path spoolDir) {
        try {
            Files.createDirectories(spoolDir);
            Path tmp = spoolDir.resolve(FILE + ".tmp");
            Files.writeString(tmp, syncId + " " + position + " " + offset + "\n", StandardCharsets.US_ASCII);
            Files.move(tmp, spoolDir.resolve(FILE), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the spool anchor in " + spoolDir + ": " + e.getMessage(), e);
        }
    }

    /** The anchor left in {@code spoolDir}, or null (none, or unreadable: the spool is then not used). */
    public static SpoolAnchor load(Path spoolDir) {
        try {
            String[] v = Files.readString(spoolDir.resolve(FILE), StandardCharsets.US_ASCII).trim().split(" ");
            return v.length == 3 ? new SpoolAnchor(v[0], Long.parseLong(v[1]), Long.parseLong(v[2])) : null;
        } catch (IOException | NumberFormatException e) {
            return null;
        }
    }

    public static void delete(Path spoolDir) {
        try {
            Files.deleteIfExists(spoolDir.resolve(FILE));
        } catch (IOException ignored) {
            // a stale anchor never matches a new sync id
        }
    }
}
