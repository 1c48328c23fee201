package io.ferry.route.twemproxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading nutcracker pools: its defaults, server syntax, server order and the refusals. */
class PoolReaderTest {
    @TempDir
    Path dir;

    private Path conf(String... lines) throws Exception {
        Path p = dir.resolve("nutcracker.yml");
        Files.write(p, List.of(lines));
        return p;
    }

    @Test
    void defaultsAreNutcrackers() throws Exception {
        Pool p = PoolReader.read(conf("alpha:", "  listen: 127.0.0.1:22121", "  redis: true", "  servers:", "   - 10.0.0.1:6379:1"), "alpha");
        assertThat(p.hash()).isEqualTo(KeyHash.FNV1A_64);
        assertThat(p.distributionName()).isEqualTo("ketama");
        assertThat(p.hashTag()).isNull();
        assertThat(p.redisDb()).isZero();
        assertThat(p.redisAuth()).isNull();
        assertThat(p.servers()).containsExactly(new Server("10.0.0.1", 6379, 1, "10.0.0.1:6379"));
    }

    @Test
    void serversAreSortedByNameLengthFirstAndPort11211IsLeftOutOfTheName() throws Exception {
        Pool p = PoolReader.read(conf("a:", "  redis: true", "  hash: murmur", "  distribution: modula", "  hash_tag: \"{}\"", "  redis_db: 0",
                "  redis_auth: pw", "  servers:", "   - 10.0.0.1:6379:2 zeta", "   - 10.0.0.2:6380:1 alpha", "   - 10.0.0.3:6381:1 mid",
                "   - 10.0.0.4:11211:1"), "a");
        assertThat(p.servers()).extracting(Server::name).containsExactly("mid", "zeta", "alpha", "10.0.0.4");
        assertThat(p.servers().get(1)).isEqualTo(new Server("10.0.0.1", 6379, 2, "zeta"));
        assertThat(new String(p.hashTag(), StandardCharsets.UTF_8)).isEqualTo("{}");
        assertThat(p.redisDb()).isZero();
        assertThat(p.redisAuth()).isEqualTo("pw");
        assertThat(p.identity()).doesNotContain("pw");
    }

    @Test
    void theHashTagPicksWhatTheKeyHashesOn() throws Exception {
        Pool p = PoolReader.read(conf("a:", "  redis: true", "  distribution: modula", "  hash_tag: \"{}\"", "  servers:",
                "   - h:1:1", "   - h:2:1", "   - h:3:1", "   - h:4:1", "   - h:5:1", "   - h:6:1", "   - h:7:1"), "a");
        assertThat(p.serverOf(b("x{user}y"))).isEqualTo(p.serverOf(b("user")));
        assertThat(p.serverOf(b("{user}"))).isEqualTo(p.serverOf(b("user")));
        assertThat(p.serverOf(b("x{}"))).isEqualTo(Integer.remainderUnsigned(KeyHash.FNV1A_64.hash(b("x{}")), 7));
        assertThat(p.serverOf(b("{abc"))).isEqualTo(Integer.remainderUnsigned(KeyHash.FNV1A_64.hash(b("{abc")), 7));
    }

    @Test
    void poolsFerryCannotWriteAreRefused() throws Exception {
        Path c = conf("mc:", "  servers:", "   - h:1:1", "rnd:", "  redis: true", "  distribution: random", "  servers:", "   - h:1:1",
                "sha:", "  redis: true", "  hash: sha1", "  servers:", "   - h:1:1", "tag:", "  redis: true", "  hash_tag: \"{\"", "  servers:",
                "   - h:1:1", "sock:", "  redis: true", "  servers:", "   - /tmp/redis.sock:1", "zero:", "  redis: true", "  servers:", "   - h:1:0",
                "dup:", "  redis: true", "  servers:", "   - h:1:1 same", "   - h:2:1 same",
                "authdb:", "  redis: true", "  redis_auth: pw", "  redis_db: 3", "  servers:", "   - h:1:1");
        assertThatThrownBy(() -> PoolReader.read(c, "mc")).isInstanceOf(TwemproxyConfigException.class).hasMessageContaining("memcached pool");
        assertThatThrownBy(() -> PoolReader.read(c, "rnd")).hasMessageContaining("distribution 'random'");
        assertThatThrownBy(() -> PoolReader.read(c, "sha")).hasMessageContaining("unknown hash 'sha1'").hasMessageContaining("fnv1a_64");
        assertThatThrownBy(() -> PoolReader.read(c, "tag")).hasMessageContaining("two characters");
        assertThatThrownBy(() -> PoolReader.read(c, "sock")).hasMessageContaining("unix socket");
        assertThatThrownBy(() -> PoolReader.read(c, "zero")).hasMessageContaining("weight");
        assertThatThrownBy(() -> PoolReader.read(c, "dup")).hasMessageContaining("two servers named 'same'");
        assertThatThrownBy(() -> PoolReader.read(c, "authdb")).hasMessageContaining("redis_db 3 together with redis_auth").hasMessageNotContaining("pw");
        assertThatThrownBy(() -> PoolReader.read(c, "none")).hasMessageContaining("no pool 'none'").hasMessageContaining("mc, rnd");
        assertThatThrownBy(() -> PoolReader.parseSpec("twemproxy:" + c)).hasMessageContaining("twemproxy:PATH/TO/nutcracker.yml:POOL");
    }

    /** Published check values where the hash is a standard one; nutcracker's quirks are proven against nutcracker itself (NutcrackerRoutingIT). */
    @Test
    void standardHashesMatchTheirCheckValues() {
        assertThat(KeyHash.CRC32A.hash(b("123456789"))).isEqualTo(0xcbf43926);
        assertThat(KeyHash.FNV1A_32.hash(b("a"))).isEqualTo(0xe40c292c);
        assertThat(KeyHash.FNV1_32.hash(b("a"))).isEqualTo(0x050c5d7e);
        assertThat(KeyHash.CRC16.hash(b("123456789")) & 0xffff).as("CRC-16/XMODEM").isEqualTo(0x31c3);
        assertThat(KeyHash.MD5.hash(b(""))).isEqualTo(0xd98c1dd4); // d41d8cd9... read little-endian
        assertThat(KeyHash.FNV1A_64.hash(new byte[] {(byte) 0x80}))
                .as("a signed char: 0xffffff80 enters the hash").isEqualTo((0x84222325 ^ 0xffffff80) * 0x1b3);
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
