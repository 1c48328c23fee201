package io.ferry.resp;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;

/**
 * One blocking connection to a Redis-protocol server. {@link #open} connects, authenticates and selects the
 * database; {@link #call} is a synchronous round trip. {@link #reader()} and {@link #out()} give raw protocol
 * access (replication). Not thread-safe. An I/O failure or timeout closes the connection, because the reply
 * stream can no longer be matched to commands.
 */
public final class RedisConnection implements Closeable {
    private final RedisUri uri;
    private final Socket socket;
    private final OutputStream out;
    private final RespReader reader;
    private final RespWriter writer = new RespWriter();
    private volatile boolean closed;
    private int readTimeoutMs;

    private RedisConnection(RedisUri uri, Socket socket, int readTimeoutMs) throws IOException {
        this.uri = uri;
        this.socket = socket;
        this.readTimeoutMs = readTimeoutMs;
        this.out = socket.getOutputStream();
        this.reader = new RespReader(socket.getInputStream());
    }

    /**
     * Connects to {@code uri} (TLS for {@code rediss://}, using {@code tls} or {@link TlsOptions#DEFAULT} when null),
     * authenticates and selects the database; {@code connectTimeout} bounds the TCP connect and each setup round
     * trip. Afterwards reads have no timeout until {@link #readTimeout(Duration)} sets one.
     */
    public static RedisConnection open(RedisUri uri, TlsOptions tls, Duration connectTimeout) {
        int timeoutMs = (int) Math.min(Integer.MAX_VALUE, Math.max(1, connectTimeout.toMillis()));
        String where = uri.hostPort();
        InetSocketAddress address = new InetSocketAddress(uri.host(), uri.port());
        if (address.isUnresolved()) {
            throw new ConnectFailedException("cannot connect to " + where + ": unknown host '" + uri.host()
                    + "' — check the host name and DNS", null);
        }
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.setKeepAlive(true);
            socket.connect(address, timeoutMs);
            socket.setSoTimeout(timeoutMs); // bounds the TLS handshake and setup round trips
        } catch (IOException e) {
            closeQuietly(socket);
            throw connectFailed(where, e, timeoutMs);
        }
        if (uri.tls()) {
            try {
                socket = (tls == null ? TlsOptions.DEFAULT : tls).handshake(socket, uri.host(), uri.port());
            } catch (IOException e) {
                closeQuietly(socket);
                String reason = e instanceof SocketTimeoutException
                        ? "no answer within " + timeoutMs + " ms" : e.getMessage();
                throw new ConnectFailedException("cannot connect to " + where + ": TLS handshake failed (" + reason
                        + ") — check that the server speaks TLS on this port and the CA certificate / insecure"
                        + " settings", e);
            }
        }
        RedisConnection c;
        try {
            c = new RedisConnection(uri, socket, timeoutMs);
        } catch (IOException e) {
            closeQuietly(socket);
            throw connectFailed(where, e, timeoutMs);
        }
        try {
            c.setUp();
            c.readTimeout(Duration.ZERO);
            return c;
        } catch (ConnectionLostException e) {
            c.close();
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new ConnectFailedException("cannot connect to " + where + ": connection lost during setup ("
                    + cause.getMessage() + ") — " + (uri.tls()
                            ? "does the server require a client certificate (cert and key files)?"
                            : "does the server expect TLS (rediss://)?"), e);
        } catch (ProtocolException e) {
            c.close();
            throw new ConnectFailedException("cannot connect to " + where + ": the server does not speak RESP ("
                    + e.getCause().getMessage() + ") — is this a Redis server, and does it expect TLS?", e);
        } catch (RuntimeException e) {
            c.close();
            throw e;
        }
    }

    /** AUTH (falling back to the pre-ACL form for Redis < 6), then SELECT, or PING to prove the server speaks RESP. */
    private void setUp() {
        if (uri.user() != null || uri.password() != null) {
            String password = uri.password() == null ? "" : uri.password();
            Reply r = uri.user() != null ? call("AUTH", uri.user(), password) : call("AUTH", password);
            if (r.isError() && uri.user() != null
                    && r.toString().toLowerCase(Locale.ROOT).contains("wrong number of arguments")) {
                r = call("AUTH", password);
            }
            if (r.isError()) {
                String who = uri.user() == null ? "the default user" : "user '" + uri.user() + "'";
                throw new AuthFailedException("authentication failed at " + describe() + " for " + who + ": "
                        + scrub(((Reply.Error) r).message()));
            }
        }
        Reply r = uri.db() != null ? call("SELECT", Integer.toString(uri.db())) : call("PING");
        if (r.isError()) {
            String message = scrub(((Reply.Error) r).message());
            if (message.startsWith("NOAUTH")) {
                throw new AuthFailedException("server at " + describe() + " requires authentication: " + message
                        + " — put the password in the URI (redis://[user]:password@host:port)");
            }
            throw new RedisException(uri.db() != null
                    ? "cannot select database " + uri.db() + " at " + describe() + ": " + message
                    : "server at " + describe() + " refused PING: " + message);
        }
    }

    /** Sends one command and waits for its reply. Error replies are returned, not thrown. */
    public Reply call(String... args) {
        return call(RespWriter.utf8(args));
    }

    /** Sends one command and waits for its reply. Error replies are returned, not thrown. */
    public Reply call(byte[]... argv) {
        if (closed) {
            throw new ConnectionLostException("connection to " + describe() + " is closed", null);
        }
        try {
            writer.command(argv);
            writer.writeTo(out);
            return reader.read();
        } catch (SocketTimeoutException e) {
            close();
            throw new RedisTimeoutException("no reply from " + describe() + " to " + commandName(argv) + " within "
                    + readTimeoutMs + " ms; connection closed", e);
        } catch (IOException e) {
            close();
            throw lost(e);
        } catch (ProtocolException e) {
            close();
            throw new ProtocolException(describe() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Writes the commands buffered in {@code w} in one go (a pipeline) and empties it; read their replies, in
     * order, with {@link #read()}. Failures close the connection, as in {@link #call}.
     */
    public void write(RespWriter w) {
        if (closed) {
            throw new ConnectionLostException("connection to " + describe() + " is closed", null);
        }
        try {
            w.writeTo(out);
        } catch (IOException e) {
            close();
            throw lost(e);
        }
    }

    /** Reads the next reply of commands sent with {@link #write}. Error replies are returned, not thrown. */
    public Reply read() {
        if (closed) {
            throw new ConnectionLostException("connection to " + describe() + " is closed", null);
        }
        try {
            return reader.read();
        } catch (SocketTimeoutException e) {
            close();
            throw new RedisTimeoutException("no reply from " + describe() + " within " + readTimeoutMs
                    + " ms; connection closed", e);
        } catch (IOException e) {
            close();
            throw lost(e);
        } catch (ProtocolException e) {
            close();
            throw new ProtocolException(describe() + ": " + e.getMessage());
        }
    }

    /** The value of {@code field} in the given INFO section, or null when the server does not report it. */
    public String infoField(String section, String field) {
        String info = call("INFO", section).asString();
        String prefix = field + ":";
        int start = 0;
        while (start < info.length()) {
            int end = info.indexOf('\n', start);
            if (end < 0) {
                end = info.length();
            }
            if (info.startsWith(prefix, start)) {
                int valueEnd = end > start && info.charAt(end - 1) == '\r' ? end - 1 : end;
                return info.substring(start + prefix.length(), valueEnd);
            }
            start = end + 1;
        }
        return null;
    }

    /** Sets the socket read timeout (zero means wait forever). */
    public void readTimeout(Duration timeout) {
        int ms = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        try {
            socket.setSoTimeout(ms);
        } catch (IOException e) {
            throw lost(e);
        }
        readTimeoutMs = ms;
    }

    public Duration readTimeout() {
        return Duration.ofMillis(readTimeoutMs);
    }

    /** The parser over this connection's input, shared with {@link #call}. */
    public RespReader reader() {
        return reader;
    }

    /** The raw, unbuffered socket output; write whole commands (see {@link RespWriter}). */
    public OutputStream out() {
        return out;
    }

    public RedisUri uri() {
        return uri;
    }

    /** {@code host:port}, for messages; never includes credentials. */
    public String describe() {
        return uri.hostPort();
    }

    public boolean isOpen() {
        return !closed;
    }

    @Override
    public void close() {
        closed = true;
        closeQuietly(socket);
    }

    ConnectionLostException lost(IOException e) {
        String reason = e instanceof EOFException ? "server closed the connection" : String.valueOf(e.getMessage());
        return new ConnectionLostException("connection to " + describe() + " lost: " + reason, e);
    }

    /** Guards against a server echoing the password back in an error message. */
    private String scrub(String message) {
        String p = uri.password();
        return p == null || p.isEmpty() ? message : message.replace(p, "***");
    }

    private static String commandName(byte[][] argv) {
        return argv.length == 0 ? "empty command" : new String(argv[0], StandardCharsets.UTF_8).toUpperCase(Locale.ROOT);
    }

    private static ConnectFailedException connectFailed(String where, IOException e, int timeoutMs) {
        String reason;
        if (e instanceof ConnectException && String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT).contains("refused")) {
            reason = "connection refused — is the server running and reachable?";
        } else if (e instanceof SocketTimeoutException) {
            reason = "no answer within " + timeoutMs + " ms — check the address and firewall";
        } else if (e instanceof NoRouteToHostException) {
            reason = "no route to host — check the address and network";
        } else {
            reason = e.getMessage() + " — is the server running and reachable?";
        }
        return new ConnectFailedException("cannot connect to " + where + ": " + reason, e);
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // nothing left to release
        }
    }
}
