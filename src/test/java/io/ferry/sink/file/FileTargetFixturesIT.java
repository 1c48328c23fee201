package io.ferry.sink.file;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.rdb.RdbReader;
import io.ferry.testing.Dataset;
import io.ferry.testing.FerryCli;
import io.ferry.testing.FileTargets;
import io.ferry.testing.Fixtures;
import io.ferry.testing.ServerDataset;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every fixture RDB that the local redis-server (7.0, RDB 10) can read, restored to
 * {@code file:x.rdb}: a new server started on x.rdb holds exactly the fixture's expected data.
 */
class FileTargetFixturesIT {
    static List<Path> fixtures() throws Exception {
        return Fixtures.rdbFilesWithExpectations().stream().filter(p -> p.toString().endsWith(".rdb")).filter(p -> {
            try (InputStream in = Files.newInputStream(p)) {
                RdbReader.Header h = RdbReader.readHeader(in);
                return !h.valkey() && h.version() <= 10;
            } catch (Exception e) {
                return false;
            }
        }).toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void aServerLoadsTheRewrittenFile(Path rdb, @TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("x.rdb");
        FerryCli.Result r = FerryCli.run("restore", rdb.toString(), "--target=file:" + out);
        assertThat(r.exit()).as("%s", r).isZero();
        Dataset actual = FileTargets.loadRdb(out);
        Dataset expected = ServerDataset.comparable(Dataset.fromExpected(Fixtures.expectationOf(rdb)), actual, false);
        FileTargets.assertSameKeyspace(actual, expected, rdb.getFileName().toString());
    }
}
