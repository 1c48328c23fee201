package io.ferry.rdb;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Collects the raw bytes of one value: in memory up to a limit, then spilled to a temp file. A
 * value that lies within one read buffer (most do) is copied once, straight into its final array.
 */
final class Capture {
    private final long memoryLimit;
    private final Path spillDir;
    private final byte typeByte;
    private ByteSink mem; // created when the value spans a buffer refill
    private Path file;
    private OutputStream fileOut;
    private long size = 1;

    /** Starts a capture whose first byte (the value's type, already consumed) is {@code typeByte}. */
    Capture(long memoryLimit, Path spillDir, byte typeByte) {
        this.memoryLimit = memoryLimit;
        this.spillDir = spillDir;
        this.typeByte = typeByte;
    }

    void write(byte[] b, int off, int len) {
        size += len;
        try {
            if (fileOut != null) {
                fileOut.write(b, off, len);
                return;
            }
            if ((mem == null ? 1 : mem.size()) + (long) len <= memoryLimit) {
                if (mem == null) {
                    mem = new ByteSink((int) Math.max(256, 1L + len));
                    mem.write(typeByte);
                }
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
            if (mem == null) {
                fileOut.write(typeByte);
            } else {
                fileOut.write(mem.array(), 0, mem.size());
            }
            mem = null;
            fileOut.write(b, off, len);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot spill a large value to " + spillDir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Adds the value's last bytes and returns it, or null when it outgrew memory with no spill
     * directory.
     */
    RawValue finish(byte[] b, int off, int len) {
        if (mem == null && fileOut == null && 1L + len <= memoryLimit) {
            byte[] v = new byte[1 + len];
            v[0] = typeByte;
            System.arraycopy(b, off, v, 1, len);
            return new RawValue(v);
        }
        if (len > 0) {
            write(b, off, len);
        }
        try {
            if (fileOut != null) {
                fileOut.close();
                return file == null ? null : new RawValue(file, size);
            }
            if (mem == null) {
                return new RawValue(new byte[] {typeByte});
            }
            return new RawValue(mem.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
