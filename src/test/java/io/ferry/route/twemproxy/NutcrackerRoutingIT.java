package io.ferry.route.twemproxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ferry.resp.PipelinedConnection;
import io.ferry.resp.RedisConnection;
import io.ferry.resp.Reply;
import io.ferry.testing.NutcrackerProcess;
import io.ferry.testing.RedisServerProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The proof that Ferry routes keys as nutcracker does: for every hash x {ketama, modula}, with and
 * without a hash tag, servers with and without names and with weights, keys are written THROUGH a
 * real nutcracker and each one must sit on exactly the backend Ferry computes for it.
 */
class NutcrackerRoutingIT {
    private static final List<RedisServerProcess> BACKENDS = new ArrayList<>();
    private static final List<byte[]> KEYS = keys();

    @TempDir
    static Path dir;

    @BeforeAll
    static void backends() {
        assumeTrue(NutcrackerProcess.available(), "nutcracker is not installed (apt-get install nutcracker)");
        for (int i = 0; i < 3; i++) {
            BACKENDS.add(RedisServerProcess.start());
        }
    }

    @AfterAll
    static void stop() {
        BACKENDS.forEach(RedisServerProcess::close);
    }

    @BeforeEach
    void flush() {
        for (RedisServerProcess b : BACKENDS) {
            try (RedisConnection c = b.connection()) {
                c.call("FLUSHALL");
            }
        }
    }

    /** Servers with weights 1, 2, 3, unnamed (ketama hashes host:port) or named in an order their sort changes. */
    static Stream<Arguments> pools() {
        List<Arguments> out = new ArrayList<>();
        for (KeyHash h : KeyHash.values()) {
            for (String dist : List.of("ketama", "modula")) {
                out.add(Arguments.of(h.configName(), dist, false, false));
                out.add(Arguments.of(h.configName(), dist, true, true));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1} tag={2} names={3}")
    @MethodSource("pools")
    void everyKeyIsWhereFerryPutsIt(String hash, String dist, boolean tag, boolean names) throws Exception {
        List<String> settings = new ArrayList<>(List.of("hash: " + hash, "distribution: " + dist, "redis: true"));
        if (tag) {
            settings.add("hash_tag: \"{}\"");
        }
        settings.add("servers:");
        String[] labels = {"zeta", "alpha", "mid"};
        for (int i = 0; i < BACKENDS.size(); i++) {
            settings.add("  - 127.0.0.1:" + BACKENDS.get(i).port() + ":" + (i + 1) + (names ? " " + labels[i] : ""));
        }
        try (NutcrackerProcess proxy = NutcrackerProcess.start(dir, "pool", settings)) {
            Pool pool = PoolReader.read(proxy.conf(), "pool");
            writeThrough(proxy);
            List<String> misplaced = new ArrayList<>();
            Set<String> seen = new HashSet<>();
            for (RedisServerProcess b : BACKENDS) {
                try (RedisConnection c = b.connection()) {
                    for (Reply k : c.call("KEYS", "*").asList()) {
                        byte[] key = k.asBytes();
                        seen.add(hex(key));
                        Server want = pool.servers().get(pool.serverOf(key));
                        if (want.port() != b.port()) {
                            misplaced.add(hex(key) + " on " + b.port() + ", Ferry says " + want.port());
                        }
                    }
                }
            }
            assertThat(seen).as("every key written through nutcracker is on some backend").hasSize(KEYS.size());
            assertThat(misplaced).as("keys not where Ferry computes them (%s, %s)", hash, dist).isEmpty();
            if (!(hash.equals("crc32") && dist.equals("ketama"))) { // crc32 yields 15 bits: below nearly every ketama point
                assertThat(spread()).as("the keys spread over all three backends").allMatch(n -> n > 0);
            }
        }
    }

    private static void writeThrough(NutcrackerProcess proxy) {
        AtomicReference<String> error = new AtomicReference<>();
        try (PipelinedConnection p = new PipelinedConnection(proxy.connection(), 1000, 1 << 20)) {
            for (byte[] k : KEYS) {
                p.send(new byte[][] {"SET".getBytes(StandardCharsets.US_ASCII), k, "v".getBytes(StandardCharsets.US_ASCII)}, r -> {
                    if (r.isError()) {
                        error.compareAndSet(null, r.toString());
                    }
                });
            }
            p.flush();
            p.drain();
        }
        assertThat(error.get()).as("nutcracker accepted every SET").isNull();
    }

    private static List<Long> spread() {
        List<Long> n = new ArrayList<>();
        for (RedisServerProcess b : BACKENDS) {
            try (RedisConnection c = b.connection()) {
                n.add(c.call("DBSIZE").asLong());
            }
        }
        return n;
    }

    /**
     * Keys of every length from 1 to 40 (each hash's tail cases and block sizes), bytes above 0x7f
     * (nutcracker's signed chars), and hash tags: whole, empty, unclosed, several.
     */
    private static List<byte[]> keys() {
        Random r = new Random(7);
        Set<String> seen = new HashSet<>();
        List<byte[]> out = new ArrayList<>();
        for (String s : List.of("{user1}:a", "{user1}:b", "x{}y", "{a", "a}b{c}", "{}", "{x}{y}", "tag{t}", "}{z}", "foo", "a")) {
            add(out, seen, s.getBytes(StandardCharsets.UTF_8));
        }
        for (int i = 0; out.size() < 400; i++) {
            byte[] k = new byte[1 + i % 40];
            for (int j = 0; j < k.length; j++) {
                k[j] = i % 3 == 0 ? (byte) r.nextInt(256) : (byte) ('a' + r.nextInt(26));
            }
            if (i % 5 == 0 && k.length > 4) {
                k[1] = '{';
                k[k.length - 2] = '}';
            }
            add(out, seen, k);
        }
        return out;
    }

    private static void add(List<byte[]> out, Set<String> seen, byte[] k) {
        if (seen.add(hex(k))) {
            out.add(k);
        }
    }

    private static String hex(byte[] k) {
        StringBuilder b = new StringBuilder();
        for (byte x : k) {
            b.append(String.format("%02x", x));
        }
        return b.toString();
    }
}
