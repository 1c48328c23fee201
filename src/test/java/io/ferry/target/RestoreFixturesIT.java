package io.ferry.target;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.cli.Main;
import io.ferry.resp.RedisConnection;
import io.ferry.testing.Dataset;
import io.ferry.testing.Fixtures;
import io.ferry.testing.RedisServerProcess;
import io.ferry.testing.ServerDataset;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every real-server fixture restores into the local redis-server (7.0) and the server then holds
 * exactly the expected keys, types, values and expiries. Fixtures newer than the server (7.2+,
 * Valkey 8) exercise the typed-command path for the types it cannot RESTORE.
 */
class RestoreFixturesIT {
    static RedisServerProcess server;

    @BeforeAll
    static void start() {
        server = RedisServerProcess.start();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    static List<Path> fixtures() throws Exception {
        List<Path> newer = Fixtures.rdb2026Files(); // Restore2026FixturesIT: they hold what this server cannot
        return Fixtures.rdbFilesWithExpectations().stream().filter(p -> p.toString().endsWith(".rdb")).filter(p -> !newer.contains(p)).toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void targetHoldsExactlyTheExpectedKeys(Path rdb) throws Exception {
        try (RedisConnection c = server.connection()) {
            c.call("FLUSHALL");
            c.call("FUNCTION", "FLUSH");
            int status = Main.run("restore", rdb.toString(), "--target", server.uri().toString());
            assertThat(status).as("exit status").isZero();

            Dataset actual = ServerDataset.read(c, 15);
            Dataset expected = ServerDataset.comparable(Dataset.fromExpected(Fixtures.expectationOf(rdb)), actual, false);
            assertThat(actual.functions).as("functions").isEqualTo(expected.functions);
            assertThat(actual.dbs.keySet()).as("databases").isEqualTo(expected.dbs.keySet());
            expected.dbs.forEach((db, keys) -> {
                assertThat(actual.dbs.get(db).keySet()).as("keys of db %d", db).isEqualTo(keys.keySet());
                keys.forEach((k, v) -> assertThat(actual.dbs.get(db).get(k)).as("db %d key %s", db, k).isEqualTo(v));
            });
        }
    }
}
