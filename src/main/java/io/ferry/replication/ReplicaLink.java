package io.ferry.replication;

import io.ferry.resp.RedisConnection;
import io.ferry.resp.RedisUri;
import io.ferry.resp.Reply;
import io.ferry.resp.RespReader;
import io.ferry.resp.TlsOptions;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection to the source in the role of a replica: the handshake, PSYNC (or SYNC for
 * servers before 2.8), then a pump that copies the snapshot and the command stream into the
 * {@link Spool} at network speed. ACKs go back on the same socket.
 */
public final class ReplicaLink implements Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicaLink.class);
    private static final int EOF_MARK_LEN = 40;

    private final RedisConnection conn;
    private final RespReader reader;
    private final OutputStream out;
    private final Object writeLock = new Object();
    // A source that does not know REPLCONF (before 2.8) takes no ACKs: it would answer each with an error.
    private volatile boolean noReplconf;
    private boolean versionAccepted;

    /**
     * The server version this replica claims: the newest Valkey whose snapshot format (RDB 80)
     * Ferry reads, so a newer primary that maps versions to RDB formats sends one Ferry knows.
     */
    static final String ANNOUNCED_VERSION = "9.1.0";

    private ReplicaLink(RedisConnection conn) {
        this.conn = conn;
        this.reader = conn.reader();
        this.out = conn.out();
    }

    /** Connects, authenticates and announces itself as a replica. */
    public static ReplicaLink connect(RedisUri uri, TlsOptions tls, int listeningPort) {
        RedisConnection c = RedisConnection.open(uri.withDb(null), tls, Duration.ofSeconds(10));
        try {
            ReplicaLink link = new ReplicaLink(c);
            link.handshake(listeningPort);
            c.readTimeout(Duration.ofSeconds(60)); // the source pings at least every 10 s (and sends newlines while preparing)
            return link;
        } catch (RuntimeException e) {
            c.close();
            throw e;
        }
    }

    public String describe() {
        return conn.describe();
    }

    private void handshake(int listeningPort) {
        Reply r = conn.call("REPLCONF", "listening-port", Integer.toString(listeningPort));
        if (r.isError()) {
            String m = ((Reply.Error) r).message();
            if (m.contains("unknown command")) {
                noReplconf = true;
                return; // Redis < 2.8 only speaks SYNC
            }
            throw new SourceRejectedException("the source refused REPLCONF: " + m + " (does this user have the permission to replicate? ACL needs +psync +replconf +ping)");
        }
        // Not every server knows every capability; a refusal is harmless. Not announced:
        // dual-channel / rdb-channel-repl (a second connection for the snapshot) and
        // skip-rdb-checksum (a checksum of zero is accepted anyway, but a real one is worth having).
        conn.call("REPLCONF", "capa", "eof", "capa", "psync2");
        // Valkey 9.1 picks the snapshot's RDB version from the replica's version: below 9.0 it
        // sends RDB 11 and fails the sync when a hash has field TTLs. Servers before it answer
        // an error ("Unrecognized REPLCONF option") and go on: the reply is only logged.
        Reply v = conn.call("REPLCONF", "version", ANNOUNCED_VERSION);
        versionAccepted = !v.isError();
        if (!versionAccepted) {
            LOG.debug("the source does not take REPLCONF version: {}", ((Reply.Error) v).message());
        }
    }

    /** Whether the source took our {@code REPLCONF version} (Valkey 8+ do; Redis answers an error). */
    public boolean versionAccepted() {
        return versionAccepted;
    }

    /** Asks for the stream after {@code offset} of {@code replid}, or a full sync with {@code "?"} and -1. */
    public PsyncReply psync(String replid, long offset) throws IOException {
        for (int attempt = 0; ; attempt++) {
            send("PSYNC", replid, Long.toString(offset));
            String line = readNonEmptyLine();
            if (line.startsWith("+FULLRESYNC")) {
                String[] p = line.split(" ");
                return snapshotHeader(p[1], Long.parseLong(p[2]));
            }
            if (line.startsWith("+CONTINUE")) {
                String[] p = line.split(" ");
                String id = p.length > 1 ? p[1] : replid; // 2.8–3.2 keep the id implicit
                return new PsyncReply(false, id, offset - 1, 0, null);
            }
            if (line.startsWith("-NOMASTERLINK") || line.startsWith("-LOADING")) {
                if (attempt >= 60) {
                    throw new SourceRejectedException("the source kept answering " + line.substring(1) + " for a minute");
                }
                LOG.warn("source answered {}; retrying in 1 s", line.substring(1));
                sleep(1000);
                continue;
            }
            if (line.startsWith("-ERR unknown command")) {
                LOG.warn("the source does not know PSYNC (Redis < 2.8, or PSYNC renamed away): following it with SYNC, "
                        + "which has no offsets; a broken link or a restart means a new full sync");
                send("SYNC");
                return snapshotHeader(null, 0);
            }
            throw new SourceRejectedException("the source refused PSYNC: " + line);
        }
    }

    private PsyncReply snapshotHeader(String replid, long offset) throws IOException {
        String line = readNonEmptyLine();
        if (line.startsWith("-")) {
            throw new SourceRejectedException("the source could not produce a snapshot: " + line.substring(1));
        }
        if (!line.startsWith("$")) {
            throw new IOException("unexpected snapshot header from the source: '" + line + "'");
        }
        if (line.startsWith("$EOF:")) {
            byte[] mark = line.substring(5).getBytes(StandardCharsets.ISO_8859_1);
            if (mark.length != EOF_MARK_LEN) {
                throw new IOException("diskless snapshot marker of " + mark.length + " bytes, expected 40");
            }
            return new PsyncReply(true, replid, offset, -1, mark);
        }
        return new PsyncReply(true, replid, offset, Long.parseLong(line.substring(1)), null);
    }

    private String readNonEmptyLine() throws IOException {
        while (true) {
            String line = reader.readLine(); // the source sends bare newlines as keepalives
            if (!line.isEmpty()) {
                return line;
            }
        }
    }

    /**
     * Copies the snapshot (when {@code reply.full()}) into the spool and returns the spool
     * position where it ends. The diskless end marker is verified and left out.
     */
    public long pumpSnapshot(PsyncReply reply, Spool spool) throws IOException {
        copySnapshot(reply, spool::write);
        return spool.written();
    }

    /** Where snapshot bytes go. */
    @FunctionalInterface
    public interface Bytes {
        void write(byte[] b, int off, int len) throws IOException;
    }

    /**
     * Copies the snapshot (when {@code reply.full()}) to {@code out}: a plain RDB, whether the
     * source sent it disk-based ({@code $len}) or diskless (the end marker is verified and left out).
     */
    public void copySnapshot(PsyncReply reply, Bytes out) throws IOException {
        InputStream in = reader.inputStream();
        byte[] buf = new byte[1 << 16];
        if (reply.rdbLength() >= 0) {
            long left = reply.rdbLength();
            while (left > 0) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                if (n < 0) {
                    throw new IOException("the source closed the link " + left + " bytes before the end of the snapshot");
                }
                out.write(buf, 0, n);
                left -= n;
            }
            return;
        }
        // Diskless: the snapshot ends with the 40-byte marker. Hold back the last 40 bytes seen
        // until more arrive, so the marker never reaches the output.
        byte[] mark = reply.eofMark();
        byte[] tail = new byte[0];
        while (true) {
            int n = in.read(buf, 0, buf.length);
            if (n < 0) {
                throw new IOException("the source closed the link before the end of the diskless snapshot");
            }
            byte[] joined = new byte[tail.length + n];
            System.arraycopy(tail, 0, joined, 0, tail.length);
            System.arraycopy(buf, 0, joined, tail.length, n);
            if (joined.length >= EOF_MARK_LEN && Arrays.equals(joined, joined.length - EOF_MARK_LEN, joined.length, mark, 0, EOF_MARK_LEN)) {
                out.write(joined, 0, joined.length - EOF_MARK_LEN);
                return;
            }
            int keep = Math.min(EOF_MARK_LEN, joined.length);
            out.write(joined, 0, joined.length - keep);
            tail = Arrays.copyOfRange(joined, joined.length - keep, joined.length);
        }
    }

    /**
     * Copies the command stream into the spool until the link fails or is closed; after each
     * write {@code written} gets the spool's new size.
     */
    public void pumpStream(Spool spool, java.util.function.LongConsumer written) throws IOException {
        InputStream in = reader.inputStream();
        byte[] buf = new byte[1 << 16];
        while (true) {
            int n = in.read(buf, 0, buf.length);
            if (n < 0) {
                throw new IOException("the source closed the replication link");
            }
            spool.write(buf, 0, n);
            written.accept(spool.written());
        }
    }

    /** Reports our position: {@code REPLCONF ACK offset}. */
    public void ack(long offset) throws IOException {
        if (noReplconf) {
            return;
        }
        send("REPLCONF", "ACK", Long.toString(offset));
    }

    private void send(String... args) throws IOException {
        StringBuilder sb = new StringBuilder();
        sb.append('*').append(args.length).append("\r\n");
        for (String a : args) {
            byte[] b = a.getBytes(StandardCharsets.UTF_8);
            sb.append('$').append(b.length).append("\r\n").append(a).append("\r\n");
        }
        synchronized (writeLock) {
            out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SourceRejectedException("interrupted");
        }
    }

    @Override
    public void close() {
        conn.close();
    }
}
