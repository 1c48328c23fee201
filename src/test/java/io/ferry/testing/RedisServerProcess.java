package io.ferry.testing;

import io.ferry.resp.RedisConnection;
import io.ferry.resp.RedisUri;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real {@code redis-server} on a free loopback port, in a fresh temporary directory, without persistence.
 * Servers are stopped by {@link #close()}, by a JVM shutdown hook, and, should the JVM be killed outright, by a
 * small watchdog shell that notices the JVM is gone.
 */
public final class RedisServerProcess implements AutoCloseable {
    private static final String REDIS_SERVER = System.getProperty("ferry.redis-server", "/usr/bin/redis-server");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(20);
    private static final int BIND_ATTEMPTS = 5;
    private static final Set<RedisServerProcess> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(RedisServerProcess::close),
                "redis-server-cleanup"));
    }

    private final Process process;
    private final Process watchdog;
    private final Path dir;
    private final int port;
    private final String password;
    private String version;
    private boolean closed;

    private RedisServerProcess(Process process, Process watchdog, Path dir, int port, String password) {
        this.process = process;
        this.watchdog = watchdog;
        this.dir = dir;
        this.port = port;
        this.password = password;
    }

    /**
     * Starts a server and waits until it answers PING. {@code extraConfig} lines are appended to the generated
     * redis.conf, e.g. {@code "requirepass s3cret"} or {@code "enable-debug-command yes"}.
     */
    public static RedisServerProcess start(String... extraConfig) {
        return start(Path.of(REDIS_SERVER), extraConfig);
    }

    /**
     * Starts the server binary {@code binary} (another version: {@link RedisVersion#start}). The
     * generated config uses only directives every version from 2.8 on knows.
     */
    public static RedisServerProcess start(Path binary, String... extraConfig) {
        String lastLog = "";
        for (int attempt = 1; attempt <= BIND_ATTEMPTS; attempt++) {
            int port = FreePorts.pick();
            RedisServerProcess server = launch(binary, port, extraConfig);
            Startup result = server.awaitReady();
            if (result == Startup.READY) {
                return server;
            }
            lastLog = server.log();
            server.close();
            if (result == Startup.TIMED_OUT) {
                throw new IllegalStateException("redis-server on port " + port + " did not answer PING within "
                        + START_TIMEOUT.toSeconds() + " s:\n" + lastLog);
            }
            if (!lastLog.contains("Address already in use")) {
                throw new IllegalStateException("redis-server failed to start on port " + port + ":\n" + lastLog);
            }
        }
        throw new IllegalStateException("redis-server could not bind a free port in " + BIND_ATTEMPTS
                + " attempts:\n" + lastLog);
    }

    public int port() {
        return port;
    }

    /** URI of this server; includes the {@code requirepass} password when one was configured. */
    public RedisUri uri() {
        return new RedisUri("127.0.0.1", port, null, password, null, false);
    }

    /**
     * This server's URI as a command line takes it, password included ({@link RedisUri#toString()}
     * masks the password, so it cannot be passed to {@code --target}).
     */
    public String uriWithPassword() {
        String auth = password == null ? "" : ":" + java.net.URLEncoder.encode(password, StandardCharsets.UTF_8) + "@";
        return "redis://" + auth + "127.0.0.1:" + port;
    }

    /** A new connection to this server (the caller closes it). */
    public RedisConnection connection() {
        return RedisConnection.open(uri(), null, Duration.ofSeconds(5));
    }

    /** The server's {@code redis_version}, e.g. "7.0.15". */
    public synchronized String version() {
        if (version == null) {
            try (RedisConnection c = connection()) {
                version = c.infoField("server", "redis_version");
            }
        }
        return version;
    }

    /** The server's working directory. */
    public Path dir() {
        return dir;
    }

    public long pid() {
        return process.pid();
    }

    /** Kills the server with SIGKILL, as a crash would; {@link #close()} still cleans up afterwards. */
    public void kill() {
        process.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        waitFor(process, Duration.ofSeconds(10));
    }

    /** The server's log output so far. */
    public String log() {
        try {
            return Files.readString(dir.resolve("redis.log"));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        process.destroy();
        if (!waitFor(process, Duration.ofSeconds(3))) {
            kill();
        }
        watchdog.destroyForcibly();
        deleteRecursively(dir);
        LIVE.remove(this);
    }

    private static RedisServerProcess launch(Path binary, int port, String[] extraConfig) {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("ferry-redis-");
            List<String> conf = new ArrayList<>(List.of(
                    "port " + port,
                    "bind 127.0.0.1",
                    "dir " + dir,
                    "save \"\"",
                    "appendonly no",
                    "daemonize no",
                    "logfile \"\""));
            conf.addAll(List.of(extraConfig));
            Path confFile = dir.resolve("redis.conf");
            Files.write(confFile, conf);
            Process process = new ProcessBuilder(binary.toString(), confFile.toString())
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("redis.log").toFile())
                    .start();
            RedisServerProcess server = new RedisServerProcess(process, startWatchdog(process, dir), dir, port,
                    requirePass(extraConfig));
            LIVE.add(server);
            return server;
        } catch (IOException e) {
            if (dir != null) {
                deleteRecursively(dir);
            }
            throw new UncheckedIOException("cannot start " + binary, e);
        }
    }

    /** Kills the server (and removes its directory) once this JVM has disappeared without running its hooks. */
    private static Process startWatchdog(Process server, Path dir) throws IOException {
        String script = "while kill -0 \"$2\" 2>/dev/null; do"
                + " if ! kill -0 \"$1\" 2>/dev/null; then kill -9 \"$2\"; rm -rf \"$3\"; exit 0; fi;"
                + " sleep 1; done";
        return new ProcessBuilder("sh", "-c", script, "redis-watchdog",
                Long.toString(ProcessHandle.current().pid()), Long.toString(server.pid()), dir.toString())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
    }

    private enum Startup { READY, FAILED, TIMED_OUT }

    /** Polls with PING until the server answers (NOAUTH counts as up) or the process exits. */
    private Startup awaitReady() {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                return Startup.FAILED;
            }
            String answer = ping();
            if (answer.startsWith("+PONG") || answer.startsWith("-NOAUTH")) {
                // Someone else may own the port if our process lost the bind race.
                return process.isAlive() ? Startup.READY : Startup.FAILED;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Startup.TIMED_OUT;
            }
        }
        return Startup.TIMED_OUT;
    }

    /** First reply line to an inline PING, or "" when nothing answers yet. */
    private String ping() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
            s.setSoTimeout(1000);
            OutputStream out = s.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            StringBuilder line = new StringBuilder();
            for (int b = in.read(); b >= 0 && b != '\r'; b = in.read()) {
                line.append((char) b);
            }
            return line.toString();
        } catch (IOException e) {
            return "";
        }
    }

    private static String requirePass(String[] extraConfig) {
        String password = null;
        for (String line : extraConfig) {
            String l = line.strip();
            if (l.startsWith("requirepass ")) {
                password = l.substring("requirepass ".length()).strip();
                if (password.length() >= 2 && password.startsWith("\"") && password.endsWith("\"")) {
                    password = password.substring(1, password.length() - 1);
                }
            }
        }
        return password;
    }

    private static boolean waitFor(Process p, Duration timeout) {
        try {
            return p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !p.isAlive();
        }
    }

    private static void deleteRecursively(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // best effort: a leftover temp directory must not fail the test
        }
    }
}
