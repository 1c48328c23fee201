package io.ferry.target.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.resp.RedisConnection;
import io.ferry.route.Slots;
import io.ferry.testing.Dataset;
import io.ferry.testing.FerryCli;
import io.ferry.testing.RandomDataset;
import io.ferry.testing.RedisClusterProcess;
import io.ferry.testing.RedisServerProcess;
import io.ferry.testing.ServerDataset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code restore}, {@code gen} and {@code check} with a real 3-master Redis Cluster on one side. */
@Timeout(180)
class ClusterToolsIT {
    private static RedisClusterProcess cluster;
    private static RedisServerProcess standalone;

    @BeforeAll
    static void start() {
        cluster = RedisClusterProcess.start(3, 0);
        standalone = RedisServerProcess.start();
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
        if (standalone != null) {
            standalone.close();
        }
    }

    @BeforeEach
    void empty() {
        for (RedisServerProcess m : cluster.masters()) {
            try (RedisConnection c = m.connection()) {
                c.call("FLUSHALL");
                c.call("FUNCTION", "FLUSH");
            }
        }
        try (RedisConnection c = standalone.connection()) {
            c.call("FLUSHALL");
            c.call("FUNCTION", "FLUSH");
        }
    }

    /** Fills the standalone server with every type and encoding (db 0) and saves it; returns its RDB file. */
    private static Path filledRdb() {
        try (RedisConnection c = standalone.connection()) {
            RandomDataset.fill(c, 42, new int[] {0}, 2000);
            c.call("SAVE");
        }
        return standalone.dir().resolve("dump.rdb");
    }

    private static Dataset standaloneData() {
        try (RedisConnection c = standalone.connection()) {
            return ServerDataset.read(c, 0);
        }
    }

    @Test
    void restoreSpreadsEveryKeyOverTheMastersOfItsSlots() {
        Path rdb = filledRdb();
        FerryCli.Result r = FerryCli.run("restore", rdb.toString(), "--target", cluster.seedUri());
        assertThat(r.exit()).as(r.toString()).isZero();
        Dataset expected = standaloneData();
        Dataset actual = cluster.dataset();
        assertThat(actual.dbs.get(0).keySet()).isEqualTo(expected.dbs.get(0).keySet());
        expected.dbs.get(0).forEach((k, v) -> assertThat(actual.dbs.get(0).get(k)).as("key %s", k).isEqualTo(v.withoutMeta()));
        for (RedisServerProcess m : cluster.masters()) {
            try (RedisConnection c = m.connection()) {
                assertThat(c.call("DBSIZE").asLong()).as("keys on master %d", m.port()).isPositive();
                assertThat(c.call("FUNCTION", "LIST").asList()).as("function libraries on master %d", m.port()).hasSize(1);
            }
        }
    }

    @Test
    void checkComparesAClusterWithAServerAndFindsADifference() {
        Path rdb = filledRdb();
        assertThat(FerryCli.run("restore", rdb.toString(), "--target", cluster.seedUri()).exit()).isZero();
        FerryCli.Result same = FerryCli.run("check", "--source", standalone.uriWithPassword(), "--target", cluster.seedUri(), "--rounds", "1");
        assertThat(same.exit()).as(same.toString()).isZero();
        assertThat(same.out()).contains("no differences");

        byte[] key = "check:changed".getBytes(StandardCharsets.UTF_8);
        try (RedisConnection s = standalone.connection()) {
            s.call("SET", "check:changed", "on-the-source");
        }
        String owner = io.ferry.route.SlotMap.read(cluster.nodes().get(0).connection()).ownerOf(Slots.of(key));
        for (RedisServerProcess m : cluster.masters()) {
            if (owner.endsWith(":" + m.port())) {
                try (RedisConnection c = m.connection()) {
                    c.call("SET", "check:changed", "different");
                }
            }
        }
        FerryCli.Result differ = FerryCli.run("check", "--source", standalone.uriWithPassword(), "--target", cluster.seedUri(), "--rounds", "1");
        assertThat(differ.exit()).as(differ.toString()).isEqualTo(1);
        assertThat(differ.out()).contains("1 keys differ");
    }

    @Test
    void genWritesIntoTheCluster() {
        FerryCli.Result r = FerryCli.run("gen", "--target", cluster.seedUri(), "--keys", "5000");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(cluster.dbsize()).isEqualTo(5000);
    }

    @Test
    void restoreRefusesASourceDbTheClusterLacksBeforeWriting() {
        try (RedisConnection c = standalone.connection()) {
            c.call("SET", "a", "1");
            c.call("SELECT", "3");
            c.call("SET", "b", "2");
            c.call("SAVE");
        }
        FerryCli.Result r = FerryCli.run("restore", standalone.dir().resolve("dump.rdb").toString(), "--target", cluster.seedUri());
        assertThat(r.exit()).isNotZero();
        assertThat(r.errorLines()).hasSize(1);
        assertThat(r.errorLines().get(0)).contains("db 3").contains("cluster").contains("--db-map");
        assertThat(cluster.dbsize()).isZero();
    }
}
