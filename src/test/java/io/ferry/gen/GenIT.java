package io.ferry.gen;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.cli.Main;
import io.ferry.resp.RedisConnection;
import io.ferry.testing.Dataset;
import io.ferry.testing.RedisServerProcess;
import io.ferry.testing.ServerDataset;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** `ferry gen` writes the requested shape of data, and the same seed gives the same data. */
class GenIT {
    private static Dataset withoutTtlInstants(Dataset d) {
        Dataset out = new Dataset();
        d.dbs.forEach((db, keys) -> keys.forEach((k, v) ->
                out.put(db, k, new Dataset.KeyData(v.type(), v.expireAtMs() == null ? null : 1L, v.value(), v.fieldTtls(), null, null))));
        return out;
    }

    @Test
    void sameSeedSameDataAndTheRequestedShape() throws Exception {
        try (RedisServerProcess a = RedisServerProcess.start(); RedisServerProcess b = RedisServerProcess.start();
                RedisConnection ca = a.connection(); RedisConnection cb = b.connection()) {
            String[] opts = {"--keys", "3000", "--dbs", "0,2", "--big-keys", "2", "--big-key-elements", "20000", "--expire-ratio", "0.2", "--seed", "7"};
            assertThat(Main.run(concat(new String[] {"gen", "-t", a.uri().toString()}, opts))).isZero();
            assertThat(Main.run(concat(new String[] {"gen", "-t", b.uri().toString(), "--lanes", "1"}, opts))).isZero();

            Dataset da = ServerDataset.read(ca, 3);
            Dataset db = ServerDataset.read(cb, 3);
            assertThat(da.keyCount()).isEqualTo(3000);
            assertThat(da.dbs.keySet()).containsExactly(0, 2);
            assertThat(withoutTtlInstants(da)).isEqualTo(withoutTtlInstants(db));

            Map<String, Integer> types = new TreeMap<>();
            long withTtl = 0;
            int biggest = 0;
            for (var keys : da.dbs.values()) {
                for (var v : keys.values()) {
                    types.merge(v.type(), 1, Integer::sum);
                    withTtl += v.expireAtMs() != null ? 1 : 0;
                    if (v.value() instanceof java.util.Collection<?> c) {
                        biggest = Math.max(biggest, c.size());
                    } else if (v.value() instanceof Map<?, ?> m && !v.type().equals("stream")) {
                        biggest = Math.max(biggest, m.size());
                    }
                }
            }
            assertThat(types.keySet()).containsExactlyInAnyOrder("string", "hash", "list", "set", "zset", "stream");
            assertThat(types.get("string")).isBetween(1500, 2100);
            assertThat(withTtl).isBetween(450L, 750L);
            assertThat(biggest).isGreaterThanOrEqualTo(19_000); // a big key (zset members may collide a little)

            assertThat(Main.run("gen", "-t", a.uri().toString(), "--keys", "10", "--seed", "8", "--prefix", "other:")).isZero();
            assertThat(ServerDataset.read(ca, 3).keyCount()).isEqualTo(3010);
        }
    }

    @Test
    void differentSeedDifferentData() throws Exception {
        try (RedisServerProcess a = RedisServerProcess.start(); RedisConnection ca = a.connection()) {
            assertThat(Main.run("gen", "-t", a.uri().toString(), "--keys", "200", "--seed", "1", "--expire-ratio", "0")).isZero();
            Dataset one = ServerDataset.read(ca, 0);
            ca.call("FLUSHALL");
            assertThat(Main.run("gen", "-t", a.uri().toString(), "--keys", "200", "--seed", "2", "--expire-ratio", "0")).isZero();
            assertThat(ServerDataset.read(ca, 0)).isNotEqualTo(one);
        }
    }

    @Test
    void badTypeMixIsAClearError() {
        assertThat(Main.run("gen", "-t", "redis://127.0.0.1:1", "--types", "strings=5")).isEqualTo(1);
    }

    private static String[] concat(String[] a, String[] b) {
        String[] r = new String[a.length + b.length];
        System.arraycopy(a, 0, r, 0, a.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
