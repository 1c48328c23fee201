package io.ferry.sink.file;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.testing.Dataset;
import io.ferry.testing.FerryCli;
import io.ferry.testing.FileTargets;
import io.ferry.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every fixture RDB (Redis 2.8 → 8.0, Valkey 8, the upstream test assets) restored to
 * {@code file:x.rdb} keeps its RDB version, and x.rdb read back by Ferry holds exactly the
 * fixture's expected keys, values, expiries, field TTLs, eviction hints and functions (keys
 * already expired are left out, as a restore does).
 */
class RdbWriterFixturesTest {
    static List<Path> fixtures() throws Exception {
        return Fixtures.rdbFilesWithExpectations().stream().filter(p -> p.toString().endsWith(".rdb")).toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void rewrittenFileReadsAsTheFixture(Path rdb, @TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("x.rdb");
        FerryCli.Result r = FerryCli.run("restore", rdb.toString(), "--target=file:" + out, "--big-key-bytes=4kb");
        assertThat(r.exit()).as("%s", r).isZero();
        assertThat(Arrays.copyOf(Files.readAllBytes(out), 9)).as("header").isEqualTo(Arrays.copyOf(Files.readAllBytes(rdb), 9));
        if (rdb.getFileName().toString().contains("keymeta")) { // KEY_META is not rewritten: said so, with its count
            assertThat(r.lines()).anySatisfy(l -> assertThat(l).endsWith("WARNING: 3 keys had module key metadata (Redis 8.6+ KEY_META), which was not carried over"));
        }

        long now = System.currentTimeMillis();
        Dataset expected = Dataset.fromExpected(Fixtures.expectationOf(rdb));
        expected.dbs.values().forEach(keys -> keys.values().removeIf(v -> v.expireAtMs() != null && v.expireAtMs() <= now));
        expected.dbs.values().removeIf(Map::isEmpty);
        Dataset got = FileTargets.decode(out, tmp);
        assertThat(got.functions).as("functions").isEqualTo(expected.functions);
        assertThat(got.dbs.keySet()).as("databases").isEqualTo(expected.dbs.keySet());
        for (Map.Entry<Integer, Map<String, Dataset.KeyData>> db : expected.dbs.entrySet()) {
            Map<String, Dataset.KeyData> have = got.dbs.get(db.getKey());
            assertThat(have.keySet()).as("keys of db %d", db.getKey()).isEqualTo(db.getValue().keySet());
            db.getValue().forEach((k, want) -> {
                Dataset.KeyData h = have.get(k);
                if (want.lfu() == null) { // the expectation records LFU counters only where the fixture has them
                    h = new Dataset.KeyData(h.type(), h.expireAtMs(), h.value(), h.fieldTtls(), null, h.idle());
                }
                assertThat(h).as("db %d key %s", db.getKey(), k).isEqualTo(want);
            });
        }
    }
}
