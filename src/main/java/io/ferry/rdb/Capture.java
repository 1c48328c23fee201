package io.ferry.rdb;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Collects the raw bytes of one value: in memory up to a limit, then spilled to a temp file. */
final class Capture {
    private final long memoryLimit;
    private final Path spillDir;
    private ByteSink mem = new ByteSink(256);
    private Path file;
    private OutputStream fileOut;
    private long size;

    Capture(long memoryLimit, Path spillDir) {
        this.memoryLimit = memoryLimit;
        this.spillDir = spillDir;
    }

    void write(byte[] b, int off, int len) {
        size += len;
        try {
            if (fileOut != null) {
                fileOut.write(b, off, len);
                return;
            }
            if (mem.size() + len <= memoryLimit) {
                mem.write(b, off, len);
                return;
            }
            if (spillDir == null) {
                mem = null; // over the limit and nowhere to spill: give up (caller decodes instead)
                fileOut = OutputStream.nullOutputStream();
                file = null;
                return;
            }
            Files.createDirectories(spillDir);
            file = Files.createTempFile(spillDir, "value-", ".bin");
            fileOut = new java.io.BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
            fileOut.write(mem.array(), 0, mem.size());
            mem = null;
            fileOut.write(b, off, len);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot spill a large value to " + spillDir + ": " + e.getMessage(), e);
        }
    }

    /** The captured value, or null when it outgrew memory with no spill directory. */
    RawValue finish() {
        try {
            if (fileOut != null) {
                fileOut.close();
                return file == null ? null : new RawValue(file, size);
            }
            return new RawValue(mem.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
