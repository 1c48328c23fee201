package io.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.resp.RedisConnection;
import io.ferry.testing.Dataset;
import io.ferry.testing.RedisClusterProcess;
import io.ferry.testing.RedisServerProcess;
import io.ferry.testing.ServerDataset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code restore --db-prefix} of a 3-db RDB into a 3-master cluster, then {@code check --db-prefix}
 * of the server the RDB came from against it: identical; a check without the prefixes (or a
 * changed value) finds differences.
 */
@Timeout(240)
class DbPrefixRestoreCheckIT {
    private static final String[] PREFIX = {"", "db1:", "db2:"};

    @Test
    void restoreAndCheckAMultiDbRdbIntoAClusterUnderPrefixes(@TempDir Path tmp) throws Exception {
        try (RedisClusterProcess cluster = RedisClusterProcess.start(3, 0); RedisServerProcess src = RedisServerProcess.start();
                RedisConnection s = src.connection()) {
            for (int db = 0; db < 3; db++) {
                s.call("SELECT", "" + db);
                for (int i = 0; i < 200; i++) {
                    s.call("SET", "k:" + i, "db" + db + "-" + i);
                }
                s.call("SET", "ttl", "v" + db, "PX", "3600000");
                s.call("HSET", "hash", "a", "" + db);
                s.call("RPUSH", "list", "a", "" + db);
                s.call("SADD", "set", "x", "" + db);
                s.call("ZADD", "zset", "" + db, "m");
                s.call("XADD", "stream", "1-1", "db", "" + db);
            }
            s.call("SELECT", "0");
            s.call("SAVE");
            Path rdb = tmp.resolve("three-dbs.rdb");
            Files.copy(src.dir().resolve("dump.rdb"), rdb);

            CliRun r = CliRun.of("restore", rdb.toString(), "--target", cluster.seedUri(), "--db-prefix", "0=,1=db1:,2=db2:");
            assertThat(r.status()).as(r.err()).isZero();
            Dataset source = ServerDataset.read(s, 2);
            Map<String, Dataset.KeyData> expected = new TreeMap<>();
            source.dbs.forEach((db, keys) -> keys.forEach((k, v) -> expected.put(PREFIX[db] + k, v)));
            Dataset t = cluster.dataset();
            assertThat(t.dbs.keySet()).containsExactly(0);
            assertThat(t.dbs.get(0)).isEqualTo(expected);

            CliRun same = CliRun.of("check", "--source", src.uri().toString(), "--target", cluster.seedUri(), "--db-prefix", "0=,1=db1:,2=db2:",
                    "--rounds", "1");
            assertThat(same.status()).as(same.out() + same.err()).isZero();

            CliRun unprefixed = CliRun.of("check", "--source", src.uri().toString(), "--target", cluster.seedUri(), "--rounds", "1");
            assertThat(unprefixed.status()).as("without the prefixes dbs 1 and 2 are missing").isNotZero();

            s.call("SELECT", "2");
            s.call("SET", "k:7", "changed");
            s.call("SELECT", "0");
            CliRun changed = CliRun.of("check", "--source", src.uri().toString(), "--target", cluster.seedUri(), "--db-prefix", "0=,1=db1:,2=db2:",
                    "--rounds", "1");
            assertThat(changed.status()).as("a changed value of db 2").isNotZero();
            assertThat(changed.out()).contains("result: 1 keys differ");
        }
    }
}
