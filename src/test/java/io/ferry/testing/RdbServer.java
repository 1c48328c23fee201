package io.ferry.testing;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throw-away local {@code redis-server} for RDB tests: started on a free loopback port in its
 * own temp directory, with no automatic saves and no AOF (the test decides when to SAVE), and
 * a minimal pipelining RESP client. {@link #close()} stops it and deletes the directory.
 */
public final class RdbServer implements AutoCloseable {
    private final Process process;
    private final Path dir;
    private final int port;
    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;

    /** A reply the server sent as an error ({@code -ERR ...}). */
    public record Error(String message) {}

    private RdbServer(Process process, Path dir, int port, Socket socket) throws IOException {
        this.process = process;
        this.dir = dir;
        this.port = port;
        this.socket = socket;
        this.out = new BufferedOutputStream(socket.getOutputStream(), 1 << 16);
        this.in = new BufferedInputStream(socket.getInputStream(), 1 << 16);
    }

    /** Whether a {@code redis-server} binary is on the PATH. */
    public static boolean available() {
        try {
            Process p = new ProcessBuilder("redis-server", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /** Starts a server; {@code config} are extra "name value" pairs, e.g. "maxmemory-policy", "allkeys-lfu". */
    public static RdbServer start(String... config) throws IOException {
        Path dir = Files.createTempDirectory("ferry-rdbserver-");
        IOException last = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            int port;
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                port = s.getLocalPort();
            }
            List<String> cmd = new ArrayList<>(List.of("redis-server",
                    "--bind", "127.0.0.1", "--port", Integer.toString(port), "--dir", dir.toString(),
                    "--dbfilename", "dump.rdb", "--save", "", "--appendonly", "no", "--daemonize", "no",
                    "--logfile", dir.resolve("redis.log").toString()));
            for (int i = 0; i + 1 < config.length; i += 2) {
                cmd.add("--" + config[i]);
                cmd.add(config[i + 1]);
            }
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile()).start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (System.nanoTime() < deadline && p.isAlive()) {
                try {
                    Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
                    s.setSoTimeout(120_000);
                    RdbServer server = new RdbServer(p, dir, port, s);
                    if ("PONG".equals(server.call("PING"))) {
                        return server;
                    }
                    s.close();
                } catch (IOException e) {
                    last = e;
                }
                sleep(50);
            }
            p.destroyForcibly();
            last = new IOException("redis-server did not start on port " + port + ": " + log(dir), last);
        }
        deleteTree(dir);
        throw last;
    }

    private static String log(Path dir) {
        try {
            return Files.readString(dir.resolve("redis.log")) + Files.readString(dir.resolve("stdout.log"));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    public int port() {
        return port;
    }

    public Path dir() {
        return dir;
    }

    /** Where SAVE writes the snapshot. */
    public Path dumpFile() {
        return dir.resolve("dump.rdb");
    }

    /** Sends one command and returns its reply: String, Long, byte[] (bulk), List, {@link Error} or null. */
    public Object call(Object... args) throws IOException {
        write(args);
        out.flush();
        return read();
    }

    /** Sends one command and fails on an error reply. */
    public Object ok(Object... args) throws IOException {
        Object r = call(args);
        if (r instanceof Error e) {
            throw new IOException("redis-server refused " + describe(args) + ": " + e.message());
        }
        return r;
    }

    /** Sends all commands before reading any reply; fails on the first error reply. */
    public void pipeline(List<Object[]> commands) throws IOException {
        int sent = 0;
        int read = 0;
        while (read < commands.size()) {
            while (sent < commands.size() && sent - read < 10_000) {
                write(commands.get(sent++));
            }
            out.flush();
            while (read < sent) {
                Object r = read();
                if (r instanceof Error e) {
                    throw new IOException("redis-server refused " + describe(commands.get(read)) + ": " + e.message());
                }
                read++;
            }
        }
    }

    private static String describe(Object[] args) {
        StringBuilder sb = new StringBuilder();
        for (Object a : args) {
            String s = a instanceof byte[] b ? new String(b, StandardCharsets.ISO_8859_1) : String.valueOf(a);
            sb.append(sb.length() == 0 ? "" : " ").append(s.length() > 40 ? s.substring(0, 40) + "…" : s);
        }
        return sb.toString();
    }

    private void write(Object[] args) throws IOException {
        out.write(('*' + Integer.toString(args.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        for (Object a : args) {
            byte[] b = a instanceof byte[] x ? x : String.valueOf(a).getBytes(StandardCharsets.UTF_8);
            out.write(('$' + Integer.toString(b.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(b);
            out.write('\r');
            out.write('\n');
        }
    }

    private Object read() throws IOException {
        int type = in.read();
        String line = line();
        switch (type) {
            case '+': return line;
            case '-': return new Error(line);
            case ':': return Long.parseLong(line);
            case '$': {
                int n = Integer.parseInt(line);
                if (n < 0) {
                    return null;
                }
                byte[] b = in.readNBytes(n);
                in.readNBytes(2);
                return b;
            }
            case '*': {
                int n = Integer.parseInt(line);
                if (n < 0) {
                    return null;
                }
                List<Object> l = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    l.add(read());
                }
                return l;
            }
            default:
                throw new IOException("unexpected RESP type byte " + type + " from redis-server");
        }
    }

    private String line() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != '\r') {
            if (c < 0) {
                throw new IOException("redis-server closed the connection");
            }
            b.write(c);
        }
        in.read(); // '\n'
        return b.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        try {
            socket.close();
        } finally {
            process.destroy(); // SIGTERM: with save "" the server exits without writing
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            deleteTree(dir);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
