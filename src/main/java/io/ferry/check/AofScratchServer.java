package io.ferry.check;

import io.ferry.cli.UserError;
import io.ferry.resp.RedisConnection;
import io.ferry.resp.RedisUri;
import io.ferry.resp.Reply;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * An AOF as the source of a check: a throwaway {@code redis-server} replays it (plain, with an RDB
 * preamble, or a Redis 7 multi-part directory) from copies in a temp dir, on a loopback port, so
 * the check reads the state the file leads to exactly as Redis would rebuild it. Copies, not
 * links: the server appends to its AOF (a key that expires is a DEL), and the operator's files
 * are never written. The server and its dir are gone when the check ends.
 */
public final class AofScratchServer implements AutoCloseable {
    private static final Duration LOAD_TIMEOUT = Duration.ofMinutes(30);
    private final Process process;
    private final Path dir;
    private final int port;

    private AofScratchServer(Process process, Path dir, int port) {
        this.process = process;
        this.dir = dir;
        this.port = port;
    }

    /** Starts {@code redisServer} on the AOF at {@code aof} (a file, a manifest or an append-only directory) and waits until it is loaded. */
    public static AofScratchServer start(Path aof, String redisServer) throws IOException {
        Path dir = Files.createTempDirectory("ferry-check-aof-");
        try {
            String name = layOut(aof, dir);
            int port;
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                port = s.getLocalPort();
            }
            List<String> cmd = List.of(redisServer, "--port", Integer.toString(port), "--bind", "127.0.0.1", "--dir", dir.toString(),
                    "--appendonly", "yes", "--appendfilename", name, "--appenddirname", "appendonlydir", "--save", "", "--aof-load-truncated", "no",
                    "--daemonize", "no", "--logfile", dir.resolve("redis.log").toString());
            Process p;
            try {
                p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile()).start();
            } catch (IOException e) {
                throw new UserError("check --source " + aof + " replays the AOF with a scratch redis-server, but '" + redisServer
                        + "' cannot be run (" + e.getMessage() + "); install redis-server 7.0+ or name one with --redis-server PATH");
            }
            AofScratchServer s = new AofScratchServer(p, dir, port);
            s.awaitLoaded(aof);
            return s;
        } catch (IOException | RuntimeException e) {
            deleteTree(dir);
            throw e;
        }
    }

    /** Copies the AOF into {@code dir} the way redis-server looks for it; returns its appendfilename. */
    private static String layOut(Path aof, Path dir) throws IOException {
        Path source = Files.isRegularFile(aof) && aof.getFileName().toString().endsWith(".manifest") ? aof.getParent() : aof;
        if (!Files.isDirectory(source)) {
            String name = aof.getFileName().toString();
            Files.copy(aof, dir.resolve(name)); // an old-style single file: Redis 7 takes it over as the base of a new manifest
            return name;
        }
        Path into = Files.createDirectories(dir.resolve("appendonlydir"));
        String manifest = null;
        try (Stream<Path> files = Files.list(source)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                if (Files.isRegularFile(f)) {
                    Files.copy(f, into.resolve(f.getFileName().toString()));
                    if (f.getFileName().toString().endsWith(".manifest")) {
                        manifest = f.getFileName().toString();
                    }
                }
            }
        }
        if (manifest == null) {
            throw new UserError(aof + " is a directory without an AOF manifest (*.manifest)");
        }
        return manifest.substring(0, manifest.length() - ".manifest".length());
    }

    private void awaitLoaded(Path aof) throws IOException {
        long deadline = System.nanoTime() + LOAD_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new UserError("redis-server could not load " + aof + ": " + lastLogLine());
            }
            try (RedisConnection c = RedisConnection.open(uri(), null, Duration.ofSeconds(2))) {
                Reply r = c.call("INFO", "persistence");
                if (!r.isError() && r.asString().contains("loading:0")) {
                    return;
                }
            } catch (RuntimeException notYet) {
                // still starting or loading
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while redis-server loaded " + aof, e);
            }
        }
        throw new IOException("redis-server did not finish loading " + aof + " within " + LOAD_TIMEOUT.toMinutes() + " minutes");
    }

    private String lastLogLine() {
        try {
            List<String> lines = Files.readAllLines(dir.resolve("redis.log"));
            for (int i = lines.size() - 1; i >= 0; i--) {
                if (lines.get(i).contains("#")) {
                    return lines.get(i).substring(lines.get(i).indexOf('#') + 1).trim(); // the last warning
                }
            }
            return lines.isEmpty() ? "(no log)" : lines.get(lines.size() - 1);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    public RedisUri uri() {
        return new RedisUri("127.0.0.1", port, null, null, null, false);
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        deleteTree(dir);
    }

    private static void deleteTree(Path dir) {
        io.ferry.checkpoint.StateFiles.deleteTree(dir);
    }
}
