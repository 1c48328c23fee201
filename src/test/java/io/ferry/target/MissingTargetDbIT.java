package io.ferry.target;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.resp.RedisConnection;
import io.ferry.testing.FerryCli;
import io.ferry.testing.Rdbs;
import io.ferry.testing.RedisServerProcess;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keys of a db the target does not have (a source with {@code databases 64}, a target with 16)
 * used to land in db 0 and count as written. {@code restore} and {@code gen} refuse before their
 * first write, in one line that names the db and the way out.
 */
@Timeout(60)
class MissingTargetDbIT {
    private static boolean holdsNoKey(RedisConnection c) {
        return !c.call("INFO", "keyspace").asString().contains("keys=");
    }

    @Test
    void restoreRefusesAFileWithADbTheTargetLacks(@TempDir Path dir) throws Exception {
        Path rdb;
        try (RedisServerProcess src = RedisServerProcess.start("databases 64"); RedisConnection s = src.connection()) {
            s.call("SET", "first", "in db 0, read before db 40");
            s.call("SELECT", "40");
            s.call("SET", "k", "v");
            rdb = Rdbs.save(src, dir.resolve("db40.rdb"));
        }
        try (RedisServerProcess dst = RedisServerProcess.start(); RedisConnection t = dst.connection()) {
            FerryCli.Result r = FerryCli.run("restore", rdb.toString(), "-t", dst.uri().toString());
            assertThat(r.exit()).as(r.toString()).isEqualTo(1);
            assertThat(r.errorLines()).hasSize(1);
            assertThat(r.errorLines().get(0)).contains("db 40 of " + rdb, "only 16 dbs", "--db-map", "--target-db");
            assertThat(r.hasStackTrace()).isFalse();
            assertThat(holdsNoKey(t)).as("nothing written, not even db 0").isTrue();

            FerryCli.Result mapped = FerryCli.run("restore", rdb.toString(), "-t", dst.uri().toString(), "--db-map", "40=7");
            assertThat(mapped.exit()).as(mapped.toString()).isZero();
            t.call("SELECT", "7");
            assertThat(t.call("GET", "k").asString()).isEqualTo("v");
        }
    }

    @Test
    void genRefusesADbTheTargetLacks() {
        try (RedisServerProcess dst = RedisServerProcess.start("databases 4"); RedisConnection t = dst.connection()) {
            FerryCli.Result r = FerryCli.run("gen", "-t", dst.uri().toString(), "--keys", "100", "--dbs", "0,9");
            assertThat(r.exit()).as(r.toString()).isEqualTo(1);
            assertThat(r.errorLines()).hasSize(1);
            assertThat(r.errorLines().get(0)).contains("db 9", "only 4 dbs");
            assertThat(r.hasStackTrace()).isFalse();
            assertThat(holdsNoKey(t)).isTrue();
        }
    }
}
