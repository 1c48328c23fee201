package io.ferry.resp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.testing.FreePorts;
import io.ferry.testing.RedisServerProcess;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class RedisConnectionTest {
    private static RedisServerProcess server;

    @BeforeAll
    static void startServer() {
        server = RedisServerProcess.start();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @Test
    void callRoundTripsTextAndBinaryValues() {
        byte[] binary = new byte[256];
        for (int i = 0; i < binary.length; i++) {
            binary[i] = (byte) i;
        }
        try (RedisConnection c = server.connection()) {
            assertThat(c.call("SET", "conn:text", "h\u00e9llo")).isSameAs(Reply.OK);
            assertThat(c.call("GET", "conn:text").asString()).isEqualTo("h\u00e9llo");
            c.call("SET".getBytes(), "conn:bin".getBytes(), binary);
            assertThat(c.call("GET", "conn:bin").asBytes()).isEqualTo(binary);
            assertThat(c.call("GET", "conn:missing").isNull()).isTrue();
            assertThat(c.call("RPUSH", "conn:list", "a", "b").asLong()).isEqualTo(2);
            assertThat(c.call("LRANGE", "conn:list", "0", "-1").asList())
                    .containsExactly(Reply.bulk("a"), Reply.bulk("b"));
        }
    }

    @Test
    void errorRepliesAreReturnedAndTheConnectionStaysUsable() {
        try (RedisConnection c = server.connection()) {
            c.call("SET", "conn:str", "x");
            Reply r = c.call("LPUSH", "conn:str", "y");
            assertThat(r.isError()).isTrue();
            assertThatThrownBy(r::asLong).isInstanceOfSatisfying(ServerErrorException.class,
                    e -> assertThat(e.code()).isEqualTo("WRONGTYPE"));
            assertThat(c.call("PING")).isSameAs(Reply.PONG);
        }
    }

    @Test
    void infoFieldReadsOneValue() {
        try (RedisConnection c = server.connection()) {
            assertThat(c.infoField("server", "tcp_port")).isEqualTo(Integer.toString(server.port()));
            assertThat(c.infoField("server", "redis_version")).matches("\\d+\\.\\d+\\.\\d+").isEqualTo(server.version());
            assertThat(c.infoField("server", "no_such_field")).isNull();
        }
    }

    @Test
    void databaseFromTheUriIsSelected() {
        try (RedisConnection db3 = RedisConnection.open(server.uri().withDb(3), null, Duration.ofSeconds(5));
             RedisConnection db0 = server.connection()) {
            db3.call("SET", "conn:in-db3", "1");
            assertThat(db3.call("EXISTS", "conn:in-db3").asLong()).isEqualTo(1);
            assertThat(db0.call("EXISTS", "conn:in-db3").asLong()).isZero();
            assertThat(db0.call("SELECT", "3")).isSameAs(Reply.OK);
            assertThat(db0.call("EXISTS", "conn:in-db3").asLong()).isEqualTo(1);
        }
    }

    @Test
    void selectingAMissingDatabaseFailsClearly() {
        assertThatThrownBy(() -> RedisConnection.open(server.uri().withDb(99), null, Duration.ofSeconds(5)))
                .isInstanceOf(RedisException.class)
                .hasMessage("cannot select database 99 at 127.0.0.1:" + server.port() + ": ERR DB index is out of range");
    }

    @Test
    void connectionRefusedNamesTheAddressAndTheLikelyCause() {
        int closedPort = FreePorts.pick();
        RedisUri uri = RedisUri.parse("redis://127.0.0.1:" + closedPort);
        assertThatThrownBy(() -> RedisConnection.open(uri, null, Duration.ofSeconds(5)))
                .isInstanceOf(ConnectFailedException.class)
                .hasMessage("cannot connect to 127.0.0.1:" + closedPort
                        + ": connection refused — is the server running and reachable?");
    }

    @Test
    void somethingOtherThanRedisIsReportedAsSuch() throws IOException {
        try (FakeRedisServer http = new FakeRedisServer(cmd -> "HTTP/1.1 400 Bad Request")) {
            RedisUri uri = RedisUri.parse("127.0.0.1:" + http.port());
            assertThatThrownBy(() -> RedisConnection.open(uri, null, Duration.ofSeconds(5)))
                    .isInstanceOf(ConnectFailedException.class)
                    .hasMessage("cannot connect to 127.0.0.1:" + http.port() + ": the server does not speak RESP"
                            + " (unexpected reply type byte 0x48 in line 'HTTP/1.1 400 Bad Request')"
                            + " — is this a Redis server, and does it expect TLS?");
        }
    }

    @Test
    void readTimeoutFailsTheCallAndClosesTheConnection() {
        try (RedisConnection c = server.connection()) {
            c.readTimeout(Duration.ofMillis(200));
            long start = System.nanoTime();
            assertThatThrownBy(() -> c.call("BLPOP", "conn:never", "5"))
                    .isInstanceOf(RedisTimeoutException.class)
                    .hasMessage("no reply from 127.0.0.1:" + server.port() + " to BLPOP within 200 ms; connection closed");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
            assertThat(c.isOpen()).isFalse();
            assertThatThrownBy(() -> c.call("PING")).isInstanceOf(ConnectionLostException.class);
        }
    }

    @Test
    void serverSideDisconnectIsReportedAsLostConnection() {
        try (RedisConnection victim = server.connection(); RedisConnection admin = server.connection()) {
            long id = victim.call("CLIENT", "ID").asLong();
            assertThat(admin.call("CLIENT", "KILL", "ID", Long.toString(id)).asLong()).isEqualTo(1);
            assertThatThrownBy(() -> victim.call("PING"))
                    .isInstanceOf(ConnectionLostException.class)
                    .hasMessageStartingWith("connection to 127.0.0.1:" + server.port() + " lost: ");
            assertThat(victim.isOpen()).isFalse();
        }
    }

    @Test
    void rawReaderAndOutputStreamSpeakTheProtocol() throws IOException {
        try (RedisConnection c = server.connection()) {
            long before = c.reader().bytesConsumed();
            RespWriter w = new RespWriter();
            w.command("ECHO", "abc");
            w.command("PING");
            w.writeTo(c.out());
            assertThat(c.reader().read()).isEqualTo(Reply.bulk("abc"));
            assertThat(c.reader().readLine()).isEqualTo("+PONG");
            assertThat(c.reader().bytesConsumed() - before).isEqualTo("$3\r\nabc\r\n+PONG\r\n".length());
        }
    }

    @Test
    void describeShowsOnlyHostAndPort() {
        RedisUri uri = new RedisUri("127.0.0.1", server.port(), null, null, 1, false);
        try (RedisConnection c = RedisConnection.open(uri, null, Duration.ofSeconds(5))) {
            assertThat(c.describe()).isEqualTo("127.0.0.1:" + server.port());
            assertThat(c.uri()).isEqualTo(uri);
            assertThat(c.call("CLIENT", "INFO").asString()).contains(" db=1 ");
        }
    }
}
