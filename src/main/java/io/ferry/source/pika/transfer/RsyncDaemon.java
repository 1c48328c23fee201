package io.ferry.source.pika.transfer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * The rsync daemon a Pika 3.1–3.4 master pushes its full-sync dump into: module {@code document}
 * on the replica's port + 1000, user {@code rsync_user} with the master's {@code requirepass} (or
 * the literal {@code default}) as password. The master's rsync does not create the db directory,
 * so every type directory is made before the DBSync; the dump is complete when {@code <db>/info}
 * exists (rsync renames a file into place only once it is whole, and the master sends info last).
 */
public final class RsyncDaemon implements AutoCloseable {
    private static final List<String> TYPE_DIRS = List.of("strings", "hashes", "lists", "sets", "zsets");

    private final Process process;
    private final Path module;
    private final Path log;

    private RsyncDaemon(Process process, Path module, Path log) {
        this.process = process;
        this.module = module;
        this.log = log;
    }

    /**
     * Starts {@code rsync --daemon} serving {@code module} on {@code address:port}; {@code confDir}
     * holds its config, secrets and log. Fails with one line when rsync is missing or cannot listen.
     */
    public static RsyncDaemon start(Path module, Path confDir, String address, int port, String password, List<String> dbs) throws IOException {
        // A port someone else listens on would answer our readiness probe: refuse it up front.
        try (var probe = new java.net.ServerSocket()) {
            probe.bind(new java.net.InetSocketAddress(address, port));
        } catch (IOException e) {
            throw new IOException("the rsync daemon for the Pika full sync cannot listen on " + address + ":" + port + " (" + e.getMessage()
                    + "); choose another replica port", e);
        }
        Files.createDirectories(confDir);
        for (String db : dbs) {
            for (String t : TYPE_DIRS) {
                Files.createDirectories(module.resolve(db).resolve(t));
            }
        }
        Path secrets = confDir.resolve("rsyncd.secrets");
        Files.deleteIfExists(secrets);
        Files.createFile(secrets, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(secrets, "rsync_user:" + password + "\n");
        Path log = confDir.resolve("rsyncd.log");
        boolean root = "root".equals(System.getProperty("user.name"));
        String conf = "pid file = " + confDir.resolve("rsyncd.pid") + "\n"
                + "log file = " + log + "\n"
                + "use chroot = no\nlist = no\nstrict modes = no\n"
                // As root the daemon otherwise drops to nobody and cannot write the module (mkstemp fails).
                + (root ? "uid = root\ngid = root\n" : "")
                + "[document]\n"
                + "path = " + module + "\n"
                + "read only = no\n"
                + "auth users = rsync_user\n"
                + "secrets file = " + secrets + "\n";
        Path confFile = confDir.resolve("rsyncd.conf");
        Files.writeString(confFile, conf);
        Files.deleteIfExists(confDir.resolve("rsyncd.pid"));
        Process p;
        try {
            p = new ProcessBuilder("rsync", "--daemon", "--no-detach", "--config=" + confFile, "--address=" + address, "--port=" + port)
                    .redirectErrorStream(true).redirectOutput(confDir.resolve("rsyncd.out").toFile()).start();
        } catch (IOException e) {
            throw new IOException("cannot run rsync, which a Pika 3.x full sync needs on the replica side (apt-get install rsync): " + e.getMessage(), e);
        }
        RsyncDaemon d = new RsyncDaemon(p, module, log);
        d.awaitListening(address, port);
        return d;
    }

    private void awaitListening(String address, int port) throws IOException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("the rsync daemon for the Pika full sync exited at start (port " + port + "): " + tail());
            }
            try (var s = new java.net.Socket()) {
                s.connect(new java.net.InetSocketAddress(address, port), 200);
                return;
            } catch (IOException e) {
                sleep(50);
            }
        }
        close();
        throw new IOException("the rsync daemon for the Pika full sync did not listen on " + address + ":" + port + " within 10 s: " + tail());
    }

    /** The directory the master's dump of {@code db} arrives in. */
    public Path dbDir(String db) {
        return module.resolve(db);
    }

    /**
     * Waits until the master has pushed {@code db}'s dump (its {@code info} file is there) and
     * returns the info file's content; null when {@code stopping} said so first.
     */
    public byte[] awaitInfo(String db, Duration timeout, BooleanSupplier stopping) throws IOException {
        Path info = dbDir(db).resolve("info");
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!Files.exists(info)) {
            if (stopping.getAsBoolean()) {
                return null;
            }
            if (!process.isAlive()) {
                throw new IOException("the rsync daemon receiving the Pika dump exited: " + tail());
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("the Pika master pushed no complete dump of " + db + " within " + timeout.toSeconds()
                        + " s (no " + info + "); its rsync to this host may be blocked: " + tail());
            }
            sleep(100);
        }
        return Files.readAllBytes(info);
    }

    /** The last lines of the daemon's log, for an error message. */
    private String tail() {
        try {
            List<String> lines = Files.exists(log) ? Files.readAllLines(log) : List.of();
            return lines.isEmpty() ? "(no log)" : String.join(" | ", lines.subList(Math.max(0, lines.size() - 3), lines.size()));
        } catch (IOException e) {
            return "(log unreadable)";
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
