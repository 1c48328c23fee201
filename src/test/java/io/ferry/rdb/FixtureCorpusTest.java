package io.ferry.rdb;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.cli.Main;
import io.ferry.testing.Dataset;
import io.ferry.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every RDB written by a real server (Redis 2.8 → 8.0, Valkey 8) decodes to exactly its expected
 * contents: keys, types, values, expiries, field TTLs, stream groups, LFU/LRU hints, functions.
 * Runs through the {@code ferry decode} command, so the JSON output is checked too.
 */
class FixtureCorpusTest {
    static List<Path> fixtures() throws Exception {
        return Fixtures.rdbFilesWithExpectations();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void decodesToExpectedContents(Path rdb, @TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("out.jsonl");
        int status = Main.run("decode", rdb.toString(), "-o", out.toString());
        assertThat(status).as("exit status").isZero();

        Dataset expected = Dataset.fromExpected(Fixtures.expectationOf(rdb));
        Dataset decoded = Dataset.fromDecodeOutput(out);
        if (rdb.toString().endsWith(".aof")) {
            // The RDB preamble holds only part of the keys; the rest is in the AOF tail.
            expected.dbs.get(0).keySet().retainAll(decoded.dbs.get(0).keySet());
            assertThat(decoded.keyCount()).isPositive();
        }
        assertThat(decoded.functions).as("functions").isEqualTo(expected.functions);
        assertThat(decoded.dbs.keySet()).as("databases").isEqualTo(expected.dbs.keySet());
        for (Map.Entry<Integer, Map<String, Dataset.KeyData>> db : expected.dbs.entrySet()) {
            Map<String, Dataset.KeyData> got = decoded.dbs.get(db.getKey());
            assertThat(got.keySet()).as("keys of db %d", db.getKey()).isEqualTo(db.getValue().keySet());
            for (var k : db.getValue().entrySet()) {
                Dataset.KeyData want = k.getValue();
                Dataset.KeyData have = got.get(k.getKey());
                if (want.lfu() == null) {
                    have = new Dataset.KeyData(have.type(), have.expireAtMs(), have.value(), have.fieldTtls(), null, have.idle());
                }
                assertThat(have).as("db %d key %s", db.getKey(), k.getKey()).isEqualTo(want);
            }
        }
    }
}
