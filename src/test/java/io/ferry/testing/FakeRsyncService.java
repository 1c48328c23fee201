package io.ferry.testing;

import io.ferry.source.pika.wire.Frames;
import io.ferry.source.pika.wire.RsyncMessages;
import io.ferry.source.pika.wire.RsyncMessages.FileChunk;
import io.ferry.source.pika.wire.RsyncMessages.Request;
import io.ferry.source.pika.wire.RsyncMessages.Response;
import io.ferry.source.pika.wire.RsyncMessages.Status;
import io.ferry.source.pika.wire.RsyncMessages.Type;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Test RsyncService on a loopback port. Replay mode answers the recorded responses in order (and keeps every request
 * it got, to compare with the recorded ones); otherwise it serves {@code snapshot/} with the knobs below.
 */
public final class FakeRsyncService implements AutoCloseable {
    final ServerSocket server;
    public final List<byte[]> received = Collections.synchronizedList(new ArrayList<>());
    public final List<Request> requests = Collections.synchronizedList(new ArrayList<>());
    public final List<Throwable> errors = Collections.synchronizedList(new ArrayList<>());
    private final Thread thread;

    // replay mode
    public volatile List<byte[]> replay;
    // synthesized mode
    final Path snapshot;
    final List<String> listing;
    /** The dbs it serves {@code snapshot/} for (any other: kErr, as for a db the master lacks). */
    public volatile java.util.Set<String> dbs = java.util.Set.of("db0");
    public volatile String uuid;
    public volatile int metaErrs, maxChunk = Integer.MAX_VALUE, cutAfterChunks = -1, changeUuidAfterChunks = -1;
    public volatile long bytesServed;
    /** A pause before each file chunk is answered: a pull that takes its time. */
    public volatile long chunkPauseMs;
    private int chunks;

    public FakeRsyncService(Path snapshot, List<String> listing, String uuid) throws IOException {
        this(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), snapshot, listing, uuid);
    }

    /** Serves on {@code server} (a Pika master's port + 10001). */
    public FakeRsyncService(ServerSocket server, Path snapshot, List<String> listing, String uuid) {
        this.server = server;
        this.snapshot = snapshot;
        this.listing = listing;
        this.uuid = uuid;
        thread = new Thread(this::serve, "fake-rsync");
        thread.setDaemon(true);
        thread.start();
    }

    /** Serves {@code versionDir/snapshot/} on {@code server} with the file list and uuid the master recorded in {@code dbsync.transcript.jsonl}. */
    public static FakeRsyncService ofRecording(ServerSocket server, Path versionDir) throws IOException {
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        for (String line : Files.readAllLines(versionDir.resolve("dbsync.transcript.jsonl"))) {
            var row = json.readTree(line);
            if ("rsync".equals(row.path("conn").asText()) && "from_master".equals(row.path("dir").asText()) && row.has("hex")) {
                byte[] frame = java.util.HexFormat.of().parseHex(row.get("hex").asText());
                Response meta = RsyncMessages.parseResponse(Arrays.copyOfRange(frame, 4, frame.length));
                return new FakeRsyncService(server, versionDir.resolve("snapshot"), meta.filenames(), meta.snapshotUuid());
            }
        }
        throw new IllegalStateException("no RsyncService meta response in " + versionDir);
    }

    public int port() {
        return server.getLocalPort();
    }

    private void serve() {
        while (!server.isClosed()) {
            try (Socket s = server.accept()) {
                serveConnection(s);
            } catch (IOException e) {
                if (!server.isClosed()) errors.add(e);
            }
        }
    }

    private void serveConnection(Socket s) {
        try {
                InputStream in = s.getInputStream();
                OutputStream out = new BufferedOutputStream(s.getOutputStream());
                byte[] req;
                while ((req = Frames.read(in, 1 << 20)) != null) {
                    received.add(req);
                    byte[] resp = answer(RsyncMessages.parseRequest(req));
                    if (resp == null) break; // cut the connection
                    Frames.write(out, resp);
                    out.flush();
                }
            } catch (IOException e) {
                if (!server.isClosed()) errors.add(e);
            } catch (RuntimeException | AssertionError e) {
                errors.add(e);
            }
    }

    private synchronized byte[] answer(Request r) throws IOException {
        requests.add(r);
        if (replay != null) return replay.get(received.size() - 1);
        if (r.type() == Type.META) {
            if (!dbs.contains(r.db())) return RsyncMessages.encode(new Response(Type.META, r.readerIndex(), "", r.db(), 0, Status.ERR, null, null));
            if (metaErrs > 0) {
                metaErrs--;
                return RsyncMessages.encode(new Response(Type.META, r.readerIndex(), "", r.db(), 0, Status.ERR, null, null));
            }
            return RsyncMessages.encode(new Response(Type.META, r.readerIndex(), uuid, r.db(), 0, Status.OK, listing, null));
        }
        if (chunks == cutAfterChunks) {
            cutAfterChunks = -1;
            return null;
        }
        if (chunks == changeUuidAfterChunks) uuid = "0123456789abcdef0123456789abcdef";
        chunks++;
        if (chunkPauseMs > 0) {
            try {
                Thread.sleep(chunkPauseMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
        // Only the requested range is read: a benchmark's SSTs are big and are fetched in 4 MiB chunks.
        byte[] data;
        long size;
        try (java.nio.channels.FileChannel f = java.nio.channels.FileChannel.open(snapshot.resolve(r.filename()))) {
            size = f.size();
            long from = Math.min(r.offset(), size);
            int n = (int) Math.min(size - from, Math.min(r.count(), maxChunk));
            java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(n);
            while (buf.hasRemaining() && f.read(buf, from + buf.position()) > 0) {
                // a positional read may return less than asked
            }
            data = Arrays.copyOf(buf.array(), buf.position());
        }
        long to = Math.min(r.offset(), size) + data.length;
        bytesServed += data.length;
        return RsyncMessages.encode(new Response(Type.FILE, r.readerIndex(), uuid, r.db(), 0, Status.OK, null,
                new FileChunk(to >= size, data.length, r.offset(), data, "", r.filename())));
    }

    @Override
    public void close() throws Exception {
        server.close();
        thread.join(5000);
    }
}
