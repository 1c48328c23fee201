package io.ferry.target;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.resp.RedisConnection;
import io.ferry.testing.CrossVersion;
import io.ferry.testing.Dataset;
import io.ferry.testing.FerryCli;
import io.ferry.testing.Fixtures;
import io.ferry.testing.RedisServerProcess;
import io.ferry.testing.RedisVersion;
import io.ferry.testing.ServerDataset;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every fixture of {@code ../shared/fixtures/rdb} (Redis 2.8 → 8.0, Valkey 8; not {@code 2026/})
 * restored into real 2.8.19, 6.2.11 and 7.0.15 servers: RESTORE where the server takes the
 * payload, typed commands where it does not, and then exactly the expected keys, values and
 * expiries. What a server cannot hold at all is refused in one line (streams before 5.0) or
 * counted (function libraries before 7.0, hash-field TTLs before 7.4). One server per version.
 */
class VersionMatrixRestoreIT {
    private static final Map<RedisVersion, RedisServerProcess> SERVERS = new EnumMap<>(RedisVersion.class);

    static Stream<Arguments> cases() throws Exception {
        List<Arguments> out = new ArrayList<>();
        // rdb/2026 (RDB 13/14, Valkey 9) is RestoreFixturesIT's: vector sets there need a module no server here has.
        List<Path> files = Fixtures.rdbFilesWithExpectations().stream().filter(p -> p.toString().endsWith(".rdb"))
                .filter(p -> !p.getParent().getFileName().toString().equals("2026")).toList();
        for (RedisVersion v : RedisVersion.values()) {
            for (Path f : files) {
                out.add(Arguments.of(v, f));
            }
        }
        return out.stream();
    }

    private static synchronized RedisServerProcess server(RedisVersion v) {
        return SERVERS.computeIfAbsent(v, x -> x.start());
    }

    @AfterAll
    static void stop() {
        SERVERS.values().forEach(RedisServerProcess::close);
    }

    @ParameterizedTest(name = "{0} ← {1}")
    @MethodSource("cases")
    void restoresEveryFixtureTheServerCanHold(RedisVersion v, Path rdb) throws Exception {
        RedisServerProcess server = server(v);
        Dataset expected = Dataset.fromExpected(Fixtures.expectationOf(rdb));
        boolean streams = expected.dbs.values().stream().anyMatch(keys -> keys.values().stream().anyMatch(k -> k.type().equals("stream")));
        try (RedisConnection c = server.connection()) {
            c.call("FLUSHALL");
            if (v.atLeast(7, 0)) {
                c.call("FUNCTION", "FLUSH");
            }
            FerryCli.Result r = FerryCli.run("restore", rdb.toString(), "--target", server.uriWithPassword());
            if (streams && !v.atLeast(5, 0)) {
                assertThat(r.exit()).as(r.toString()).isEqualTo(1);
                assertThat(r.errorLines()).as(r.toString()).hasSize(1).allMatch(l -> l.contains("unknown command 'X"));
                assertThat(r.hasStackTrace()).isFalse();
                return;
            }
            assertThat(r.exit()).as(r.toString()).isZero();
            Dataset actual = ServerDataset.read(c, 15);
            Dataset want = ServerDataset.comparable(expected, actual, false);
            if (!v.atLeast(7, 0) && !want.functions.isEmpty()) {
                want.functions.clear();
                assertThat(r.err()).as("function libraries the server cannot hold are reported").contains("function libraries were not restored");
            }
            CrossVersion.assertSame(want, actual, 1_000);
        }
    }
}
