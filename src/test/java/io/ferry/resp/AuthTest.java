package io.ferry.resp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.testing.RedisServerProcess;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class AuthTest {
    private static final String PASSWORD = "s3cr3t-Pa55";
    private static RedisServerProcess server;
    private static String where;

    @BeforeAll
    static void startServer() {
        server = RedisServerProcess.start("requirepass " + PASSWORD);
        where = "127.0.0.1:" + server.port();
        try (RedisConnection admin = server.connection()) {
            admin.call("ACL", "SETUSER", "alice", "on", ">alice-Pa55", "~*", "&*", "+@all").asString();
            admin.call("ACL", "SETUSER", "bob", "on", ">p@ss:w/rd%+ \u00e9", "~*", "+@all").asString();
        }
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @Test
    void rightPasswordAuthenticatesTheDefaultUser() {
        try (RedisConnection c = open("redis://:" + PASSWORD + "@" + where)) {
            assertThat(c.call("ACL", "WHOAMI").asString()).isEqualTo("default");
        }
    }

    @Test
    void wrongPasswordIsRejectedWithoutEchoingIt() {
        assertThatThrownBy(() -> open("redis://:Wr0ng-Guess-77@" + where))
                .isInstanceOf(AuthFailedException.class)
                .hasMessageStartingWith("authentication failed at " + where + " for the default user: WRONGPASS")
                .hasMessageNotContaining("Wr0ng-Guess-77");
    }

    @Test
    void missingPasswordIsReportedAsRequired() {
        assertThatThrownBy(() -> open("redis://" + where))
                .isInstanceOf(AuthFailedException.class)
                .hasMessageContaining("server at " + where + " requires authentication: NOAUTH")
                .hasMessageContaining("put the password in the URI");
    }

    @Test
    void aclUserAuthenticatesWithTwoArgumentAuth() {
        try (RedisConnection c = open("redis://alice:alice-Pa55@" + where + "/2")) {
            assertThat(c.call("ACL", "WHOAMI").asString()).isEqualTo("alice");
            assertThat(c.call("CLIENT", "INFO").asString()).contains(" db=2 ").contains(" user=alice ");
        }
    }

    @Test
    void wrongAclPasswordNamesTheUserButNotThePassword() {
        assertThatThrownBy(() -> open("redis://alice:Wr0ng-Guess-77@" + where))
                .isInstanceOf(AuthFailedException.class)
                .hasMessageStartingWith("authentication failed at " + where + " for user 'alice': WRONGPASS")
                .hasMessageNotContaining("Wr0ng-Guess-77");
    }

    @Test
    void percentEncodedCredentialsReachTheServerDecoded() {
        try (RedisConnection c = open("redis://bob:p%40ss%3Aw%2Frd%25%2B%20%C3%A9@" + where)) {
            assertThat(c.call("ACL", "WHOAMI").asString()).isEqualTo("bob");
        }
    }

    @Test
    void passwordForAServerWithoutOneFailsClearly() {
        try (RedisServerProcess noAuth = RedisServerProcess.start()) {
            assertThatThrownBy(() -> open("redis://:Unneeded-Pw-1@127.0.0.1:" + noAuth.port()))
                    .isInstanceOf(AuthFailedException.class)
                    .hasMessageContaining("without any password configured")
                    .hasMessageNotContaining("Unneeded-Pw-1");
        }
    }

    @Test
    void preAclServersGetTheOneArgumentAuthAsFallback() throws Exception {
        try (FakeRedisServer fake = new FakeRedisServer(AuthTest::redis5)) {
            try (RedisConnection c = open("redis://someone:pw@127.0.0.1:" + fake.port() + "/4")) {
                assertThat(c.call("PING")).isSameAs(Reply.PONG);
            }
            assertThat(fake.commands).containsExactly(
                    List.of("AUTH", "someone", "pw"), List.of("AUTH", "pw"), List.of("SELECT", "4"), List.of("PING"));
        }
    }

    @Test
    void fallbackThatFailsStillReportsAnAuthFailure() throws Exception {
        try (FakeRedisServer fake = new FakeRedisServer(AuthTest::redis5)) {
            assertThatThrownBy(() -> open("redis://someone:Wr0ng-Guess-77@127.0.0.1:" + fake.port()))
                    .isInstanceOf(AuthFailedException.class)
                    .hasMessageContaining("for user 'someone': ERR invalid password")
                    .hasMessageNotContaining("Wr0ng-Guess-77");
        }
    }

    @Test
    void otherAuthErrorsDoNotTriggerTheFallback() throws Exception {
        Function<List<String>, String> acl = cmd -> cmd.get(0).equals("AUTH")
                ? "-WRONGPASS invalid username-password pair or user is disabled." : "+OK";
        try (FakeRedisServer fake = new FakeRedisServer(acl)) {
            assertThatThrownBy(() -> open("redis://someone:pw@127.0.0.1:" + fake.port()))
                    .isInstanceOf(AuthFailedException.class);
            fake.awaitDisconnect();
            assertThat(fake.commands).containsExactly(List.of("AUTH", "someone", "pw"));
        }
    }

    @Test
    void serverEchoingThePasswordIsScrubbed() throws Exception {
        Function<List<String>, String> echo = cmd -> "-ERR bad secret " + String.join(",", cmd);
        try (FakeRedisServer fake = new FakeRedisServer(echo)) {
            assertThatThrownBy(() -> open("redis://:Echo-Me-99@127.0.0.1:" + fake.port()))
                    .isInstanceOf(AuthFailedException.class)
                    .hasMessageContaining("ERR bad secret AUTH,***")
                    .hasMessageNotContaining("Echo-Me-99");
        }
    }

    /** Redis 5: AUTH takes exactly one argument, the password "pw". */
    private static String redis5(List<String> cmd) {
        if (!cmd.get(0).equals("AUTH")) {
            return cmd.get(0).equals("PING") ? "+PONG" : "+OK";
        }
        if (cmd.size() != 2) {
            return "-ERR wrong number of arguments for 'auth' command";
        }
        return cmd.get(1).equals("pw") ? "+OK" : "-ERR invalid password";
    }

    private static RedisConnection open(String uri) {
        return RedisConnection.open(RedisUri.parse(uri), null, Duration.ofSeconds(5));
    }
}
