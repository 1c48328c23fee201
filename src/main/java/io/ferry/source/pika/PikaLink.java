package io.ferry.source.pika;

import io.ferry.source.pika.wire.BinlogOffset;
import io.ferry.source.pika.wire.Frames;
import io.ferry.source.pika.wire.InnerRequest;
import io.ferry.source.pika.wire.InnerResponse;
import io.ferry.source.pika.wire.MessageType;
import io.ferry.source.pika.wire.Node;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;

/**
 * One replication connection to a Pika master (its port + 2000): length-prefixed protobuf
 * requests and responses (PIKA.md §2–§5). The handshake is request/answer; once the stream has
 * started, one thread reads pushes ({@link #next}) while another sends acks — writes are
 * serialized here. The replica is known to the master by {@link #node()}: the local address of
 * this socket and the announced replica port.
 */
public final class PikaLink implements AutoCloseable {
    /** The master parses up to max-conn-rbuf-size (256 MiB by default); one push never exceeds it. */
    private static final int MAX_FRAME = 256 << 20;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final Node node;

    private PikaLink(Socket socket, Node node) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream(), 1 << 16);
        this.out = new BufferedOutputStream(socket.getOutputStream(), 1 << 16);
        this.node = node;
    }

    /** Connects to the master's replication port; {@code replicaPort} is the port this replica announces. */
    public static PikaLink connect(String host, int replicationPort, int replicaPort, Duration timeout) throws IOException {
        Socket s = new Socket();
        try {
            s.connect(new InetSocketAddress(host, replicationPort), (int) timeout.toMillis());
            s.setTcpNoDelay(true);
            s.setSoTimeout((int) timeout.toMillis());
            // The master keys its slaves by ip:port: announce the address the master sees us at.
            return new PikaLink(s, new Node(s.getLocalAddress().getHostAddress(), replicaPort));
        } catch (IOException e) {
            s.close();
            throw new io.ferry.resp.ConnectFailedException("cannot reach the Pika master's replication port " + host + ":" + replicationPort
                    + " (its port + 2000): " + e.getMessage(), e);
        }
    }

    public Node node() {
        return node;
    }

    /** How long a read may wait; a live master sends a keepalive every 2 s. */
    public void readTimeout(Duration d) throws IOException {
        socket.setSoTimeout((int) d.toMillis());
    }

    public InnerResponse.MetaSync metaSync(String auth) throws IOException {
        InnerResponse r = call(InnerRequest.metaSync(node, auth), MessageType.META_SYNC);
        if (r.code() != InnerResponse.Code.OK || r.metaSync() == null) {
            throw new PikaRefusedException("MetaSync", r.code(), r.reply());
        }
        return r.metaSync();
    }

    /** A refused TrySync still answers kOk: the caller looks at the reply code. */
    public InnerResponse.TrySync trySync(String db, BinlogOffset at) throws IOException {
        InnerResponse r = call(InnerRequest.trySync(node, db, 0, at), MessageType.TRY_SYNC);
        if (r.code() != InnerResponse.Code.OK || r.trySync() == null) {
            throw new PikaRefusedException("TrySync of " + db, r.code(), r.reply());
        }
        return r.trySync();
    }

    public InnerResponse.DbSync dbSync(String db, BinlogOffset at) throws IOException {
        InnerResponse r = call(InnerRequest.dbSync(node, db, 0, at), MessageType.DB_SYNC);
        if (r.code() != InnerResponse.Code.OK || r.dbSync() == null) {
            throw new PikaRefusedException("DBSync of " + db, r.code(), r.reply());
        }
        return r.dbSync();
    }

    /** Starts the stream: the first BinlogSync, whose ack range is the position the TrySync named. */
    public synchronized void startStream(String db, int sessionId, BinlogOffset at) throws IOException {
        send(InnerRequest.binlogSync(node, db, 0, at, at, sessionId, true));
    }

    /** Acks the items from the one ending at {@code first} to the one ending at {@code last} (both item end offsets the master sent). */
    public synchronized void ack(String db, int sessionId, BinlogOffset first, BinlogOffset last) throws IOException {
        send(InnerRequest.binlogSync(node, db, 0, first, last, sessionId, false));
    }

    /** A 0/0 ack: answers a keepalive, or tells the master we are alive while acks are held back. */
    public synchronized void ping(String db, int sessionId) throws IOException {
        BinlogOffset zero = BinlogOffset.of(0, 0);
        send(InnerRequest.binlogSync(node, db, 0, zero, zero, sessionId, false));
    }

    /** Tells the master to forget this replica (a clean exit); the answer is not awaited. */
    public synchronized void removeSlave(List<String> dbs) throws IOException {
        send(InnerRequest.removeSlaveNode(node, dbs));
    }

    /** The next message from the master; null at a clean end of the connection. */
    public InnerResponse next() throws IOException {
        byte[] m = Frames.read(in, MAX_FRAME);
        return m == null ? null : InnerResponse.parse(m);
    }

    private InnerResponse call(byte[] request, MessageType expect) throws IOException {
        synchronized (this) {
            send(request);
        }
        InnerResponse r = next();
        if (r == null) {
            throw new io.ferry.resp.ConnectionLostException("the Pika master closed the replication connection instead of answering " + expect, null);
        }
        if (r.type() != expect) {
            throw new io.ferry.source.pika.wire.PikaProtocolException("the Pika master answered " + expect + " with " + r.type());
        }
        return r;
    }

    private void send(byte[] message) throws IOException {
        Frames.write(out, message);
        out.flush();
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing
        }
    }
}
