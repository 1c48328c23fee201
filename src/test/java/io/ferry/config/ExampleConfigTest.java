package io.ferry.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ferry.example.toml at the repository root must load, and uncommenting its examples must too. */
class ExampleConfigTest {
    private static final Path EXAMPLE = Path.of("ferry.example.toml");

    @TempDir
    Path dir;

    @Test
    void loadsAsShipped() {
        assertThat(ConfigFile.load(EXAMPLE).options()).containsOnlyKeys("source", "target");
    }

    @Test
    void documentsEverySyncOptionWithAValidExample() throws IOException {
        String all = Files.readString(EXAMPLE).replaceAll("(?m)^# ([a-z][a-z-]*) = ", "$1 = ");
        ConfigFile uncommented = ConfigFile.load(Files.writeString(dir.resolve("all.toml"), all));
        assertThat(uncommented.options()).containsOnlyKeys("source", "target", "state-dir", "status-port", "status-host",
                "on-conflict", "on-error", "on-unsupported", "lanes", "db-map", "target-db", "db-prefix", "key", "exclude-key", "type", "db",
                "no-second-full-sync", "tls-ca", "tls-cert", "tls-key", "tls-insecure", "source-tls-ca", "source-tls-cert",
                "source-tls-key", "source-tls-insecure", "spool-max-bytes", "big-key-bytes", "ack-interval", "target-reconnect-for",
                "source-prefer", "source-safe");
    }
}
