package io.ferry.status;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The status port: one TCP port that answers HTTP ({@code GET /status} as JSON, {@code GET /metrics} for
 * Prometheus) and the Redis protocol ({@code INFO}, {@code PING}, {@code QUIT}), told apart by each connection's
 * first line. Every request reads a fresh snapshot from the supplier.
 */
public final class StatusServer implements AutoCloseable {
    public static final String DEFAULT_HOST = "127.0.0.1";
    /** Connections served at once; more are closed at once, so a stuck scraper cannot pile up threads. */
    static final int MAX_CONNECTIONS = 16;
    private static final Logger LOG = LoggerFactory.getLogger(StatusServer.class);
    // A request must arrive promptly; an open redis-cli may idle longer between commands.
    private static final int REQUEST_TIMEOUT_MILLIS = 10_000;
    private static final int RESP_IDLE_TIMEOUT_MILLIS = 300_000;

    private final ServerSocket server;
    private final Supplier<StatusSnapshot> status;
    private final ThreadPoolExecutor workers;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final Thread acceptor;

    private StatusServer(ServerSocket server, Supplier<StatusSnapshot> status) {
        this.server = server;
        this.status = status;
        AtomicInteger n = new AtomicInteger();
        this.workers = new ThreadPoolExecutor(0, MAX_CONNECTIONS, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
            Thread t = new Thread(r, "ferry-status-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.acceptor = new Thread(this::acceptLoop, "ferry-status-accept");
        acceptor.setDaemon(true);
    }

    /**
     * Listens on {@code host:port} (port 0 picks a free one, see {@link #port()}) until {@link #close()}.
     *
     * @throws IOException when the port cannot be bound, e.g. because it is in use
     */
    public static StatusServer start(String host, int port, Supplier<StatusSnapshot> status) throws IOException {
        Objects.requireNonNull(status, "status");
        ServerSocket ss = new ServerSocket();
        try {
            ss.setReuseAddress(true); // a restarted Ferry must get its port back while old connections sit in TIME_WAIT
            ss.bind(new InetSocketAddress(host, port));
        } catch (IOException e) {
            ss.close();
            throw new IOException("cannot listen on " + host + ":" + port + " for the status port: " + e.getMessage(), e);
        }
        StatusServer s = new StatusServer(ss, status);
        s.acceptor.start();
        LOG.debug("status port listening on {}:{}", host, s.port()); // the command announces it to the operator
        return s;
    }

    public int port() {
        return server.getLocalPort();
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) server.getLocalSocketAddress();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                if (!server.isClosed()) {
                    LOG.warn("status port: accept failed: {}", e.toString());
                    pause(); // e.g. out of file descriptors: do not spin
                }
                continue;
            }
            open.add(client);
            try {
                workers.execute(() -> serve(client));
            } catch (RejectedExecutionException e) {
                LOG.debug("status port: {} connections already open, closing a new one", MAX_CONNECTIONS);
                closeQuietly(client);
            }
        }
    }

    private void serve(Socket client) {
        try (client) {
            client.setSoTimeout(REQUEST_TIMEOUT_MILLIS);
            InputStream in = new BufferedInputStream(client.getInputStream());
            OutputStream out = new BufferedOutputStream(client.getOutputStream());
            String first;
            try {
                first = Lines.read(in);
            } catch (BadRequestException e) {
                out.write(("-ERR Protocol error: " + e.getMessage() + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                return;
            }
            if (first == null || HttpResponder.serve(first, in, out, status)) {
                return;
            }
            client.setSoTimeout(RESP_IDLE_TIMEOUT_MILLIS);
            RespSession.serve(first, in, out, status);
        } catch (SocketException e) {
            LOG.debug("status port: connection ended: {}", e.toString()); // also how close() ends open connections
        } catch (IOException e) {
            LOG.debug("status port: connection failed: {}", e.toString());
        } finally {
            open.remove(client);
        }
    }

    /** Stops listening, ends open connections and frees the port. */
    @Override
    public void close() {
        closeQuietly(server);
        try {
            acceptor.join(5_000); // after this no new connection can join the set closed below
            open.forEach(StatusServer::closeQuietly);
            workers.shutdownNow();
            workers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // closing is best effort: the peer may already be gone
        }
    }
}
