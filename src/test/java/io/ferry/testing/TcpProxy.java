package io.ferry.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A loopback TCP proxy for fault tests: forwards to a server, and can cut every live connection,
 * or throttle the bytes flowing either way (a slow target, a slow snapshot transfer).
 */
public final class TcpProxy implements AutoCloseable {
    private final ServerSocket listener;
    private final int targetPort;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final AtomicLong connections = new AtomicLong();
    private volatile long bytesPerSecondToServer; // 0: unlimited
    private volatile long bytesPerSecondToClient;
    private volatile boolean closed;
    private final java.io.ByteArrayOutputStream toServer = new java.io.ByteArrayOutputStream(); // the first bytes clients sent

    /** The first 64 KiB clients sent towards the server, as latin-1 text (to see what a handshake said). */
    public String sentToServer() {
        synchronized (toServer) {
            return toServer.toString(java.nio.charset.StandardCharsets.ISO_8859_1);
        }
    }

    public TcpProxy(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(this::acceptLoop, "proxy-accept-" + port());
        t.setDaemon(true);
        t.start();
    }

    public int port() {
        return listener.getLocalPort();
    }

    public long connections() {
        return connections.get();
    }

    /** Limits the client → server direction (0 lifts the limit). */
    public void throttleToServer(long bytesPerSecond) {
        this.bytesPerSecondToServer = bytesPerSecond;
    }

    /** Limits the server → client direction (0 lifts the limit). */
    public void throttleToClient(long bytesPerSecond) {
        this.bytesPerSecondToClient = bytesPerSecond;
    }

    /** Closes every live connection (new ones are still accepted). */
    public void cut() {
        for (Socket s : sockets) {
            try {
                s.close();
            } catch (IOException ignored) {
                // already closed
            }
        }
        sockets.clear();
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                client.setTcpNoDelay(true);
                server.setTcpNoDelay(true);
                sockets.add(client);
                sockets.add(server);
                connections.incrementAndGet();
                pipe(client, server, true);
                pipe(server, client, false);
            } catch (IOException e) {
                if (closed) {
                    return;
                }
            }
        }
    }

    private void pipe(Socket from, Socket to, boolean towardsServer) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[16384];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buf)) > 0) {
                    long limit = towardsServer ? bytesPerSecondToServer : bytesPerSecondToClient;
                    if (limit > 0) {
                        Thread.sleep(Math.max(1, n * 1000L / limit));
                    }
                    if (towardsServer) {
                        synchronized (toServer) {
                            toServer.write(buf, 0, (int) Math.min(n, Math.max(0, (64 << 10) - toServer.size())));
                        }
                    }
                    out.write(buf, 0, n);
                }
            } catch (IOException | InterruptedException ignored) {
                // connection ended or cut
            } finally {
                try {
                    from.close();
                    to.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
            }
        }, "proxy-pipe");
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void close() {
        closed = true;
        try {
            listener.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        cut();
    }
}
