package io.ferry.replication;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A disk-backed byte queue between the source socket and the applier: the link writes at network
 * speed, the applier reads at the target's speed, so the source never has to buffer for us (and
 * never drops us for an output-buffer overflow). Data lives in rotating segment files; segments
 * the reader has passed are deleted. Beyond {@code maxBytes} unread bytes, writing fails loudly
 * rather than filling the disk. Segments outlive the process ({@link #reopen}), so a restart can
 * replay what was received but not yet applied (see {@link SpoolAnchor}).
 */
public final class Spool implements Closeable {
    private final Path dir;
    private final long segmentBytes;
    private final long maxBytes;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition grew = lock.newCondition();
    private final ConcurrentSkipListMap<Long, Path> segments = new ConcurrentSkipListMap<>();

    private OutputStream current;
    private long currentStart = -1;
    private volatile long written; // committed bytes, visible to the reader
    private volatile long released;
    private long nextRelease; // release() below this position has nothing to delete (releasing thread only)
    private volatile boolean finished; // no more bytes will come (link ended)
    private volatile Throwable failure;

    /** An empty spool: what an earlier run left in {@code dir} is deleted. */
    public Spool(Path dir, long segmentBytes, long maxBytes) {
        this(dir, segmentBytes, maxBytes, false);
    }

    private Spool(Path dir, long segmentBytes, long maxBytes, boolean keep) {
        this.dir = dir;
        this.segmentBytes = segmentBytes;
        this.maxBytes = maxBytes;
        try {
            Files.createDirectories(dir);
            try (var old = Files.list(dir)) {
                for (Path p : (Iterable<Path>) old::iterator) {
                    String name = p.getFileName().toString();
                    if (name.startsWith("seg-") && name.endsWith(".bin")) {
                        if (keep) {
                            segments.put(Long.parseLong(name.substring(4, name.length() - 4)), p);
                        } else {
                            Files.delete(p);
                        }
                    }
                }
            }
            if (keep && !segments.isEmpty()) {
                var last = segments.lastEntry();
                written = last.getKey() + Files.size(last.getValue()); // new bytes go to a new segment from here
                released = segments.firstKey();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the spool directory " + dir + ": " + e.getMessage(), e);
        } catch (NumberFormatException e) {
            throw new IllegalStateException("a file in the spool directory " + dir + " is not a spool segment: " + e.getMessage(), e);
        }
    }

    /** The spool an earlier run left in {@code dir}, with its bytes readable and new ones appended. */
    public static Spool reopen(Path dir, long segmentBytes, long maxBytes) {
        return new Spool(dir, segmentBytes, maxBytes, true);
    }

    /** Spool positions [first, end) that an earlier run left in {@code dir}, or null when there are none. */
    public static long[] extent(Path dir) {
        try (Spool s = new Spool(dir, 1, Long.MAX_VALUE, true)) {
            return s.segments.isEmpty() ? null : new long[] {s.segments.firstKey(), s.written};
        }
    }

    public long written() {
        return written;
    }

    /** Appends bytes (link thread only) and makes them visible to the reader. */
    public void write(byte[] b, int off, int len) throws IOException {
        if (written - released + len > maxBytes) {
            throw new IOException("the local spool holds " + (written - released) + " unapplied bytes, over its limit of " + maxBytes
                    + " (--spool-max-bytes): the target cannot keep up with the source");
        }
        while (len > 0) {
            if (current == null || written - currentStart >= segmentBytes) {
                if (current != null) {
                    current.close();
                }
                currentStart = written;
                Path p = dir.resolve(String.format("seg-%020d.bin", currentStart));
                current = Files.newOutputStream(p);
                segments.put(currentStart, p);
            }
            int n = (int) Math.min(len, segmentBytes - (written - currentStart));
            current.write(b, off, n);
            current.flush();
            off += n;
            len -= n;
            lock.lock();
            try {
                written += n;
                grew.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    /** No more data: readers get end-of-stream (or {@code cause}) once they have read everything. */
    public void finish(Throwable cause) {
        lock.lock();
        try {
            failure = cause;
            finished = true;
            grew.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** A blocking reader starting at {@code position}; reading past the end waits for the link. */
    public InputStream reader(long position) {
        return new Reader(position);
    }

    /** Deletes segments wholly before {@code position} (bytes no longer needed). Called by the reading thread. */
    public void release(long position) {
        released = Math.max(released, position);
        if (position < nextRelease) {
            return; // the oldest segment ends beyond position: nothing to delete yet
        }
        for (var e : segments.entrySet()) {
            Long next = segments.higherKey(e.getKey());
            if (next != null && next <= position) {
                segments.remove(e.getKey());
                try {
                    Files.deleteIfExists(e.getValue());
                } catch (IOException ignored) {
                    // removed at the next start
                }
            } else {
                break;
            }
        }
        // Segments are exactly segmentBytes long, so the oldest one ends where the next begins.
        var first = segments.firstEntry();
        if (first != null) {
            Long next = segments.higherKey(first.getKey());
            nextRelease = next != null ? next : first.getKey() + segmentBytes;
        }
    }

    /** Stops writing; the segments stay on disk for a restart to replay (a new spool deletes them). */
    @Override
    public void close() {
        finish(null);
        try {
            if (current != null) {
                current.close();
            }
        } catch (IOException ignored) {
            // best effort
        }
    }

    private final class Reader extends InputStream {
        private long pos;
        private RandomAccessFile file;
        private long fileStart = -1;

        Reader(long pos) {
            this.pos = pos;
        }

        /** Waits until data beyond pos exists; false at the end of the stream. */
        private boolean await() throws IOException {
            if (pos < written) {
                return true;
            }
            lock.lock();
            try {
                while (pos >= written) {
                    if (finished) {
                        if (failure != null) {
                            throw new IOException(failure.getMessage(), failure);
                        }
                        return false;
                    }
                    grew.awaitUninterruptibly();
                }
                return true;
            } finally {
                lock.unlock();
            }
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (!await()) {
                return -1;
            }
            Long start = segments.floorKey(pos);
            if (start == null) {
                throw new IOException("spool position " + pos + " was already released");
            }
            if (start != fileStart) {
                if (file != null) {
                    file.close();
                }
                file = new RandomAccessFile(segments.get(start).toFile(), "r");
                fileStart = start;
            }
            long avail = written - pos;
            Long next = segments.higherKey(start);
            if (next != null) {
                avail = Math.min(avail, next - pos);
            }
            file.seek(pos - fileStart);
            int n = file.read(b, off, (int) Math.min(len, avail));
            if (n > 0) {
                pos += n;
            }
            return n;
        }

        @Override
        public int available() {
            return (int) Math.min(Integer.MAX_VALUE, written - pos);
        }

        @Override
        public void close() throws IOException {
            if (file != null) {
                file.close();
            }
        }
    }
}
