package io.ferry.source.pika.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.testing.Fixtures;
import io.ferry.testing.FreePorts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The receiving side of a Pika 3.x full sync, pushed the way a real 3.3.6 master does it
 * ({@code dbsync.files.json}): one {@code rsync -avP} per type directory of the dump, then
 * {@code info}, as user {@code rsync_user} with the password {@code default}.
 */
class RsyncDaemonIT {
    @TempDir
    Path tmp;

    @Test
    void receivesTheDumpAsTheMasterPushesItAndReportsItsInfo() throws Exception {
        Path dump = Fixtures.requirePikaDir("3.3.6").resolve("snapshot/db0");
        int port = FreePorts.pick();
        try (RsyncDaemon d = RsyncDaemon.start(tmp.resolve("document"), tmp.resolve("conf"), "127.0.0.1", port, "default", List.of("db0"))) {
            for (String type : List.of("strings", "zsets", "hashes", "lists", "sets")) {
                assertThat(push(dump.resolve(type) + "/", port, "db0/" + type + "/", "default")).isZero();
            }
            assertThat(Files.exists(d.dbDir("db0").resolve("info"))).isFalse();
            assertThat(push(dump.resolve("info").toString(), port, "db0/", "default")).isZero();
            byte[] info = d.awaitInfo("db0", Duration.ofSeconds(10), () -> false);
            assertThat(new String(info)).isEqualTo("0s\n127.0.0.1\n19403\n0\n205902\n");
            assertThat(files(d.dbDir("db0"))).isEqualTo(files(dump));
            for (String f : files(dump)) {
                assertThat(Files.readAllBytes(d.dbDir("db0").resolve(f))).as(f).isEqualTo(Files.readAllBytes(dump.resolve(f)));
            }
        }
    }

    @Test
    void aMasterWithTheWrongPasswordWritesNothingAndTheWaitSaysSo() throws Exception {
        Path dump = Fixtures.requirePikaDir("3.3.6").resolve("snapshot/db0");
        int port = FreePorts.pick();
        try (RsyncDaemon d = RsyncDaemon.start(tmp.resolve("document"), tmp.resolve("conf"), "127.0.0.1", port, "s3cret", List.of("db0"))) {
            assertThat(push(dump.resolve("info").toString(), port, "db0/", "default")).isNotZero();
            assertThatThrownBy(() -> d.awaitInfo("db0", Duration.ofMillis(500), () -> false))
                    .isInstanceOf(IOException.class).hasMessageContaining("pushed no complete dump of db0");
            assertThat(d.awaitInfo("db0", Duration.ofSeconds(5), () -> true)).isNull();
        }
    }

    @Test
    void aPortInUseFailsAtStartWithOneLine() throws Exception {
        try (var busy = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            assertThatThrownBy(() -> RsyncDaemon.start(tmp.resolve("document"), tmp.resolve("conf"), "127.0.0.1", busy.getLocalPort(), "default", List.of("db0")))
                    .isInstanceOf(IOException.class).hasMessageContaining("rsync daemon");
        }
    }

    private static int push(String from, int port, String to, String password) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("rsync", "-avP", from, "rsync://rsync_user@127.0.0.1:" + port + "/document/" + to).redirectErrorStream(true);
        pb.environment().put("RSYNC_PASSWORD", password);
        Process p = pb.redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        return p.waitFor();
    }

    private static List<String> files(Path root) throws IOException {
        List<String> out = new ArrayList<>();
        try (Stream<Path> s = Files.walk(root)) {
            s.filter(Files::isRegularFile).forEach(p -> out.add(root.relativize(p).toString()));
        }
        out.sort(null);
        return out;
    }
}
