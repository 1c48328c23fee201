package io.ferry.source.pika.transfer;

import io.ferry.source.pika.wire.Frames;
import io.ferry.source.pika.wire.PikaProtocolException;
import io.ferry.source.pika.wire.RsyncMessages;
import io.ferry.source.pika.wire.RsyncMessages.FileChunk;
import io.ferry.source.pika.wire.RsyncMessages.Response;
import io.ferry.source.pika.wire.RsyncMessages.Status;
import io.ferry.source.pika.wire.RsyncMessages.Type;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.LongConsumer;
import java.util.stream.Stream;

/**
 * Pure-Java client of a 3.5/4.0 master's RsyncService ({@code master_port + 10001}): pulls the BGSAVE dump of one db.
 * One request in flight on one connection; files in sorted order with {@code info} last and reader_index dealt
 * round-robin per file — the order the real client uses (recorded). Resumable via a marker file beside {@code dir}
 * ({@code <dir>.ferry-rsync}: the snapshot_uuid, then one line per completed file), so {@code dir} itself holds
 * exactly the master's files.
 */
public final class RsyncPuller {
    public static final int CHUNK = 4 << 20;
    static final int READERS = 4;
    private static final Duration META_RETRY = Duration.ofSeconds(1);

    private final String host;
    private final int port;
    private final Duration ioTimeout;

    public RsyncPuller(String host, int port, Duration ioTimeout) {
        this.host = host;
        this.port = port;
        this.ioTimeout = ioTimeout;
    }

    /** files in pull order; bytes = total size of those files in {@code dir} (including parts pulled by an earlier, interrupted call). */
    public record Result(String snapshotUuid, SnapshotInfo info, List<String> files, long bytes) {}

    /**
     * Pulls every listed file of {@code db} into {@code dir}; done = every listed file complete (the arrival of
     * {@code info} is not completion). {@code bytes} receives each chunk's size as it is written.
     * Returns null as soon as {@code stopping} says so (checked before each request): what was
     * pulled stays, and a later call continues from it.
     *
     * @throws SnapshotRefusedException kRsyncMeta still kErr after {@code waitForDump} (unknown db / no dump)
     * @throws SnapshotChangedException the snapshot_uuid changed mid-pull: start over (a new call clears {@code dir})
     */
    public Result pull(String db, Path dir, Duration waitForDump, LongConsumer bytes, java.util.function.BooleanSupplier stopping) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), (int) ioTimeout.toMillis());
            socket.setSoTimeout((int) ioTimeout.toMillis());
            socket.setTcpNoDelay(true);
            InputStream in = new BufferedInputStream(socket.getInputStream(), 1 << 16);
            OutputStream out = new BufferedOutputStream(socket.getOutputStream());
            Response meta = awaitMeta(in, out, db, waitForDump, stopping);
            if (meta == null) return null;
            String uuid = meta.snapshotUuid();
            List<String> files = pullOrder(meta.filenames());
            for (String f : files) target(dir, f); // refuse bad names before touching the disk
            Marker marker = Marker.open(dir, uuid);
            long total = 0;
            for (int i = 0; i < files.size(); i++) {
                String name = files.get(i);
                Path file = target(dir, name);
                if (!marker.done.contains(name)) {
                    if (!pullFile(in, out, db, i % READERS, uuid, name, file, bytes, stopping)) return null;
                    marker.markDone(name);
                }
                total += Files.size(file);
            }
            if (!files.contains("info")) throw new PikaProtocolException("kRsyncMeta for db " + db + " did not list the info file");
            return new Result(uuid, SnapshotInfo.parse(Files.readAllBytes(dir.resolve("info"))), List.copyOf(files), total);
        }
    }

    /** The master's listing once its dump is ready; null when stopped first. */
    private Response awaitMeta(InputStream in, OutputStream out, String db, Duration waitForDump, java.util.function.BooleanSupplier stopping) throws IOException {
        long deadline = System.nanoTime() + waitForDump.toNanos();
        while (true) {
            if (stopping.getAsBoolean()) return null;
            Response r = exchange(in, out, RsyncMessages.metaRequest(db, 0));
            if (r.type() != Type.META) throw new PikaProtocolException("kRsyncMeta answered with type " + r.type());
            // kErr while the master's BGSAVE is running; kErr with an empty uuid for a db it does not have
            if (r.code() == Status.OK && r.snapshotUuid() != null && !r.snapshotUuid().isEmpty() && r.filenames() != null) return r;
            long left = deadline - System.nanoTime();
            if (left <= 0) throw new SnapshotRefusedException(db, waitForDump);
            sleep(Math.min(left, META_RETRY.toNanos()));
        }
    }

    /** True when the file is complete, false when stopped first (its part stays, to continue from). */
    private boolean pullFile(InputStream in, OutputStream out, String db, int reader, String uuid, String name, Path file, LongConsumer bytes,
            java.util.function.BooleanSupplier stopping) throws IOException {
        Files.createDirectories(file.getParent());
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            long off = ch.size(); // resume: a partial file of the same snapshot continues from its size
            while (true) {
                if (stopping.getAsBoolean()) return false;
                Response r = exchange(in, out, RsyncMessages.fileRequest(db, reader, name, CHUNK, off));
                if (r.snapshotUuid() != null && !r.snapshotUuid().isEmpty() && !r.snapshotUuid().equals(uuid)) throw new SnapshotChangedException(uuid, r.snapshotUuid());
                FileChunk c = r.file();
                if (r.code() != Status.OK || c == null) throw new PikaProtocolException("kRsyncFile " + name + " at " + off + " answered " + r.code() + (c == null ? " without file_resp" : ""));
                if (!uuid.equals(r.snapshotUuid())) throw new SnapshotChangedException(uuid, r.snapshotUuid());
                if (!name.equals(c.filename()) || c.offset() != off || c.count() != c.data().length || c.count() > CHUNK) {
                    throw new PikaProtocolException("kRsyncFile answer for " + c.filename() + " at " + c.offset() + " (" + c.count() + "/" + c.data().length
                            + " bytes) does not match the request for " + name + " at " + off);
                }
                ByteBuffer data = ByteBuffer.wrap(c.data());
                while (data.hasRemaining()) ch.write(data, off + data.position());
                off += c.count();
                if (c.count() > 0) bytes.accept(c.count());
                if (c.eof()) return true;
                if (c.count() == 0) throw new PikaProtocolException("kRsyncFile " + name + " at " + off + ": no data and no eof");
            }
        }
    }

    private static Response exchange(InputStream in, OutputStream out, byte[] request) throws IOException {
        Frames.write(out, request);
        out.flush();
        byte[] frame = Frames.read(in, CHUNK + (1 << 16));
        if (frame == null) throw new java.io.EOFException("RsyncService closed the connection");
        return RsyncMessages.parseResponse(frame);
    }

    /** Sorted, with info last: info holds the binlog position and is what a real replica treats as the end marker. */
    static List<String> pullOrder(List<String> listed) {
        List<String> files = new ArrayList<>(new java.util.TreeSet<>(listed));
        if (files.remove("info")) files.add("info");
        return files;
    }

    /** A listed name resolved under dir; absolute names, "..", empty segments and backslashes are refused. */
    static Path target(Path dir, String name) throws PikaProtocolException {
        if (name.isEmpty() || name.startsWith("/") || name.contains("\\") || name.indexOf('\0') >= 0 || name.contains("\n")) {
            throw new PikaProtocolException("refusing snapshot file name '" + name + "'");
        }
        for (String seg : name.split("/", -1)) {
            if (seg.isEmpty() || seg.equals(".") || seg.equals("..")) throw new PikaProtocolException("refusing snapshot file name '" + name + "'");
        }
        Path p = dir.resolve(name).normalize();
        if (p.isAbsolute() != dir.resolve(name).isAbsolute() || !p.startsWith(dir.normalize())) throw new PikaProtocolException("refusing snapshot file name '" + name + "'");
        return p;
    }

    private static void sleep(long nanos) throws IOException {
        try {
            java.util.concurrent.TimeUnit.NANOSECONDS.sleep(nanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while waiting for the master's dump");
        }
    }

    /** {@code <dir>.ferry-rsync}: uuid line, then "done <name>" lines appended as files complete. */
    static final class Marker {
        final Path path;
        final Set<String> done = new HashSet<>();

        private Marker(Path path) {
            this.path = path;
        }

        static Path pathFor(Path dir) {
            Path abs = dir.toAbsolutePath().normalize();
            return abs.resolveSibling(abs.getFileName() + ".ferry-rsync");
        }

        static Marker open(Path dir, String uuid) throws IOException {
            Marker m = new Marker(pathFor(dir));
            if (Files.exists(m.path)) {
                List<String> lines = Files.readAllLines(m.path, StandardCharsets.UTF_8);
                if (!lines.isEmpty() && lines.get(0).equals("uuid " + uuid)) {
                    for (String l : lines.subList(1, lines.size())) if (l.startsWith("done ")) m.done.add(l.substring(5));
                    return m;
                }
                clear(dir); // files of an older snapshot: they cannot be continued
            } else if (Files.isDirectory(dir)) {
                try (Stream<Path> s = Files.list(dir)) {
                    if (s.findAny().isPresent()) throw new IOException("refusing to pull a Pika snapshot into " + dir + ": not empty and not a Ferry pull directory (no " + m.path.getFileName() + ")");
                }
            }
            Files.createDirectories(dir);
            Files.writeString(m.path, "uuid " + uuid + "\n", StandardCharsets.UTF_8);
            return m;
        }

        void markDone(String name) throws IOException {
            Files.writeString(path, "done " + name + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
            done.add(name);
        }

        private static void clear(Path dir) throws IOException {
            if (!Files.isDirectory(dir)) return;
            try (Stream<Path> s = Files.walk(dir)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) if (!p.equals(dir)) Files.delete(p);
            }
        }
    }
}
