package io.ferry.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.resp.ConnectFailedException;
import io.ferry.resp.RedisConnection;
import io.ferry.resp.RedisUri;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class RedisServerProcessTest {

    @Test
    void startsWithTheRequestedConfigAndCleansUpOnClose() {
        Path dir;
        long pid;
        int port;
        try (RedisServerProcess server = RedisServerProcess.start("maxmemory 12345678", "requirepass \"s3cret pw\"")) {
            dir = server.dir();
            pid = server.pid();
            port = server.port();
            assertThat(server.uri().password()).isEqualTo("s3cret pw");
            try (RedisConnection c = server.connection()) {
                assertThat(c.call("CONFIG", "GET", "maxmemory").asList().get(1).asString()).isEqualTo("12345678");
                assertThat(c.call("CONFIG", "GET", "save").asList().get(1).asString()).isEmpty();
                assertThat(c.call("CONFIG", "GET", "appendonly").asList().get(1).asString()).isEqualTo("no");
                assertThat(c.call("CONFIG", "GET", "bind").asList().get(1).asString()).isEqualTo("127.0.0.1");
            }
            assertThat(ProcessHandle.of(pid)).hasValueSatisfying(p -> assertThat(p.isAlive()).isTrue());
            assertThat(dir.resolve("redis.conf")).exists();
        }
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertThat(dir).doesNotExist();
        assertThatThrownBy(() -> RedisConnection.open(RedisUri.parse("127.0.0.1:" + port), null, Duration.ofSeconds(2)))
                .isInstanceOf(ConnectFailedException.class);
    }

    @Test
    void versionMatchesTheInstalledBinary() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("/usr/bin/redis-server", "--version").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        Matcher m = Pattern.compile("v=(\\S+)").matcher(out);
        assertThat(m.find()).as(out).isTrue();
        try (RedisServerProcess server = RedisServerProcess.start()) {
            assertThat(server.version()).isEqualTo(m.group(1));
        }
    }

    @Test
    void killStopsTheServerAbruptly() {
        try (RedisServerProcess server = RedisServerProcess.start()) {
            server.kill();
            assertThat(ProcessHandle.of(server.pid()).map(ProcessHandle::isAlive).orElse(false)).isFalse();
            assertThatThrownBy(server::connection).isInstanceOf(ConnectFailedException.class);
        }
    }

    @Test
    void parallelServersGetDistinctPorts() {
        try (RedisServerProcess a = RedisServerProcess.start(); RedisServerProcess b = RedisServerProcess.start()) {
            assertThat(a.port()).isNotEqualTo(b.port());
            assertThat(a.dir()).isNotEqualTo(b.dir());
            assertThat(Files.exists(a.dir()) && Files.exists(b.dir())).isTrue();
        }
    }

    @Test
    void badConfigFailsWithTheServerLog() {
        assertThatThrownBy(() -> RedisServerProcess.start("no-such-directive yes"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("redis-server failed to start")
                .hasMessageContaining("no-such-directive");
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.EnumSource(RedisVersion.class)
    void eachVersionOfTheMatrixStartsWithTheGeneratedConfig(RedisVersion v) {
        try (RedisServerProcess server = v.start("repl-diskless-sync-delay 0", "repl-backlog-size 16mb")) {
            assertThat(server.version()).isEqualTo(v.version);
            try (RedisConnection c = server.connection()) {
                assertThat(c.call("SET", "k", "v").asString()).isEqualTo("OK");
                assertThat(c.call("CONFIG", "GET", "save").asList().get(1).asString()).isEmpty();
            }
        }
    }
}
