package io.ferry.replication;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.rdb.KeyHeader;
import io.ferry.rdb.RdbHandler;
import io.ferry.rdb.RdbReader;
import io.ferry.rdb.ValueSink;
import io.ferry.resp.RedisConnection;
import io.ferry.resp.RedisUri;
import io.ferry.testing.RedisServerProcess;
import io.ferry.testing.TcpProxy;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The replica handshake announces {@code REPLCONF version} (so Valkey 9.1 sends its own RDB 80),
 * and a source that does not know that option (any Redis, here the local redis-server) refuses
 * only the option: the link goes on to a full sync.
 */
@Timeout(60)
class ReplicaHandshakeIT {
    @ParameterizedTest(name = "repl-diskless-sync {0}")
    @ValueSource(strings = {"no", "yes"})
    void aSourceThatRefusesTheVersionOptionStillServesAFullSync(String diskless) throws Exception {
        try (RedisServerProcess src = RedisServerProcess.start("repl-diskless-sync " + diskless, "repl-diskless-sync-delay 0");
                RedisConnection c = src.connection()) {
            c.call("SET", "k", "v");
            c.call("HSET", "h", "f", "1");
            try (ReplicaLink link = ReplicaLink.connect(src.uri(), null, 0)) {
                assertThat(link.versionAccepted()).as("Redis %s takes REPLCONF version", src.version()).isFalse();
                PsyncReply reply = link.psync("?", -1);
                assertThat(reply.full()).isTrue();
                ByteArrayOutputStream rdb = new ByteArrayOutputStream();
                link.copySnapshot(reply, rdb::write);
                assertThat(keysOf(rdb.toByteArray())).containsExactlyInAnyOrder("k", "h");
                assertThat(c.infoField("replication", "connected_slaves")).isEqualTo("1");
            }
        }
    }

    @Test
    void theHandshakeAnnouncesAVersionAndNoDualChannelOrChecksumlessSnapshot() throws Exception {
        try (RedisServerProcess src = RedisServerProcess.start("repl-diskless-sync-delay 0"); TcpProxy proxy = new TcpProxy(src.port())) {
            try (ReplicaLink link = ReplicaLink.connect(RedisUri.parse("redis://127.0.0.1:" + proxy.port()), null, 0)) {
                PsyncReply reply = link.psync("?", -1);
                link.copySnapshot(reply, (b, off, len) -> {});
            }
            String sent = proxy.sentToServer();
            assertThat(sent).contains("$8\r\nREPLCONF\r\n$7\r\nversion\r\n$5\r\n9.1.0\r\n")
                    .contains("$4\r\ncapa\r\n$3\r\neof\r\n$4\r\ncapa\r\n$6\r\npsync2\r\n")
                    .doesNotContain("dual-channel").doesNotContain("rdb-channel").doesNotContain("skip-rdb-checksum");
            assertThat(sent.indexOf("version")).as("the version goes before PSYNC").isLessThan(sent.indexOf("PSYNC"));
        }
    }

    private static List<String> keysOf(byte[] rdb) {
        List<String> keys = new ArrayList<>();
        new RdbReader(new ByteArrayInputStream(rdb)).read(new RdbHandler() {
            @Override
            public ValueSink beginKey(KeyHeader h) {
                keys.add(new String(h.key, StandardCharsets.ISO_8859_1));
                return null;
            }
        });
        return keys;
    }
}
