package io.ferry.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.Optional;

/**
 * The real redis-server versions the version matrix runs: Debian's (7.0.15 here) and two shipped
 * as resources of test-scope jars ({@code it.ozimov:embedded-redis:0.7.3}: 2.8.19;
 * {@code com.github.codemonstur:embedded-redis:1.4.3}: its "6.2.6" entry, which reports 6.2.11),
 * extracted once into {@code target/redis-bin/}. Where a binary cannot be had (no jar, not
 * linux-x86_64) the test using it is skipped with a notice.
 */
public enum RedisVersion {
    V2_8("2.8.19", "redis-server-2.8.19"),
    V6_2("6.2.11", "redis-server-6.2.6-v5-linux-amd64"),
    /** The distribution's /usr/bin/redis-server (or -Dferry.redis-server). */
    SYSTEM("7.0.15", null);

    private static final Path BIN_DIR = Paths.get("target", "redis-bin").toAbsolutePath();

    /** The version this binary reports (for SYSTEM, what Debian 12 ships; the server says which). */
    public final String version;
    private final String resource;

    RedisVersion(String version, String resource) {
        this.version = version;
        this.resource = resource;
    }

    public int major() {
        return Integer.parseInt(version.split("\\.")[0]);
    }

    /** At least {@code major.minor}. */
    public boolean atLeast(int major, int minor) {
        String[] p = version.split("\\.");
        int ma = Integer.parseInt(p[0]);
        return ma > major || ma == major && Integer.parseInt(p[1]) >= minor;
    }

    @Override
    public String toString() {
        return "redis " + version;
    }

    /** The binary, extracted on first use; empty when it cannot run here. */
    public synchronized Optional<Path> binary() {
        if (resource == null) {
            Path p = Paths.get(System.getProperty("ferry.redis-server", "/usr/bin/redis-server"));
            return Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
        }
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch");
        if (!os.contains("linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
            return Optional.empty();
        }
        URL url = RedisVersion.class.getClassLoader().getResource(resource);
        if (url == null) {
            return Optional.empty();
        }
        Path out = BIN_DIR.resolve(resource);
        try {
            if (!Files.isExecutable(out)) {
                Files.createDirectories(BIN_DIR);
                Path tmp = Files.createTempFile(BIN_DIR, resource, ".part");
                try (InputStream in = url.openStream()) {
                    Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
                }
                tmp.toFile().setExecutable(true);
                // Atomic: a concurrent fork sees the whole binary or none.
                Files.move(tmp, out, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot extract " + resource + " into " + BIN_DIR, e);
        }
        return Optional.of(out);
    }

    /** The binary, or the calling test is skipped with a visible notice. */
    public Path require() {
        Optional<Path> b = binary();
        if (b.isEmpty()) {
            String why = resource == null ? "no redis-server at " + System.getProperty("ferry.redis-server", "/usr/bin/redis-server")
                    : "the test-scope jar with " + resource + " is not on the classpath, or this is not linux-x86_64";
            System.err.println("NOTICE: redis " + version + " is not available (" + why + "): its version-matrix tests are skipped");
            assumeTrue(false, "redis " + version + " not available: " + why);
        }
        return b.get();
    }

    /** Starts this version (skipping the calling test when it is absent); see {@link RedisServerProcess#start(String...)}. */
    public RedisServerProcess start(String... extraConfig) {
        return RedisServerProcess.start(require(), extraConfig);
    }
}
