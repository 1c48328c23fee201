package io.ferry.testing;

import io.ferry.resp.RedisConnection;
import io.ferry.resp.RedisUri;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code nutcracker} (twemproxy) with one pool on a free loopback port, started with
 * {@code -c conf -s statsport -o log -p pidfile} and polled until it answers PING through the pool.
 */
public final class NutcrackerProcess implements AutoCloseable {
    private static final String NUTCRACKER = System.getProperty("ferry.nutcracker", "/usr/sbin/nutcracker");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(20);

    private final Process process;
    private final Path dir;
    private final Path conf;
    private final int port;
    private final String password; // the pool's redis_auth: clients AUTH to nutcracker with it

    private NutcrackerProcess(Process process, Path dir, Path conf, int port, String password) {
        this.process = process;
        this.dir = dir;
        this.conf = conf;
        this.port = port;
        this.password = password;
    }

    /** Whether the binary is installed (the ITs need it; ./run-tests installs it). */
    public static boolean available() {
        return Files.isExecutable(Path.of(NUTCRACKER));
    }

    /**
     * Starts nutcracker with pool {@code pool} whose settings (besides {@code listen}) are the YAML
     * lines {@code settings}, e.g. {@code "hash: murmur"}, {@code "servers:"}, {@code "  - 127.0.0.1:7000:1"}.
     */
    public static NutcrackerProcess start(Path dir, String pool, List<String> settings) {
        return start(dir, pool, settings, null);
    }

    /** As {@link #start(Path, String, List)}, for a pool whose settings include {@code redis_auth: password}. */
    public static NutcrackerProcess start(Path dir, String pool, List<String> settings, String password) {
        String lastLog = "";
        for (int attempt = 1; attempt <= 5; attempt++) {
            int port = FreePorts.pick();
            List<String> yaml = new ArrayList<>();
            yaml.add(pool + ":");
            yaml.add("  listen: 127.0.0.1:" + port);
            settings.forEach(l -> yaml.add("  " + l));
            try {
                Files.createDirectories(dir);
                Path conf = dir.resolve("nutcracker-" + port + ".yml");
                Path log = dir.resolve("nutcracker-" + port + ".log");
                Files.write(conf, yaml);
                Process p = new ProcessBuilder(NUTCRACKER, "-c", conf.toString(), "-s", Integer.toString(FreePorts.pick()), "-o", log.toString(),
                        "-p", dir.resolve("nutcracker-" + port + ".pid").toString())
                        .redirectErrorStream(true).redirectOutput(dir.resolve("nutcracker-" + port + ".out").toFile()).start();
                NutcrackerProcess n = new NutcrackerProcess(p, dir, conf, port, password);
                if (n.awaitReady()) {
                    return n;
                }
                lastLog = Files.exists(log) ? Files.readString(log) : "";
                n.close();
                if (!lastLog.contains("Address already in use")) {
                    throw new IllegalStateException("nutcracker did not start:\n" + String.join("\n", yaml) + "\n" + lastLog);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        throw new IllegalStateException("nutcracker could not bind a free port:\n" + lastLog);
    }

    private boolean awaitReady() {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline && process.isAlive()) {
            try (RedisConnection c = RedisConnection.open(uri(), null, Duration.ofMillis(500))) {
                if (c.call("PING").asString().equals("PONG")) {
                    return process.isAlive();
                }
            } catch (RuntimeException notYet) {
                Thread.onSpinWait(); // not listening yet: poll again
            }
        }
        return false;
    }

    public int port() {
        return port;
    }

    public Path conf() {
        return conf;
    }

    /** The pool's address (clients talk to the proxy as to a server). */
    public RedisUri uri() {
        return new RedisUri("127.0.0.1", port, null, password, null, false);
    }

    public RedisConnection connection() {
        return RedisConnection.open(uri(), null, Duration.ofSeconds(5));
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(3, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
