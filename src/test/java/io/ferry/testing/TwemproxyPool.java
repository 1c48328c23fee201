package io.ferry.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.resp.RedisConnection;
import io.ferry.resp.Reply;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Three real redis-server backends behind a real nutcracker pool named {@code pool}, for end-to-end
 * tests of the twemproxy target; and the comparison of a source with what is read back through
 * the proxy (only commands nutcracker forwards: TYPE, PTTL, GET, LRANGE, SMEMBERS, ZRANGE, HGETALL).
 */
public final class TwemproxyPool implements AutoCloseable {
    public final List<RedisServerProcess> backends = new ArrayList<>();
    public final NutcrackerProcess proxy;

    /** {@code settings}: hash, distribution, hash_tag lines; {@code names}: whether servers carry names. */
    public TwemproxyPool(Path dir, boolean names, String... settings) {
        this(dir, names, null, List.of(settings));
    }

    /** Backends with {@code requirepass password}, and the pool's {@code redis_auth}. */
    public static TwemproxyPool withAuth(Path dir, boolean names, String password, String... settings) {
        return new TwemproxyPool(dir, names, password, List.of(settings));
    }

    private TwemproxyPool(Path dir, boolean names, String password, List<String> settings) {
        for (int i = 0; i < 3; i++) {
            backends.add(password == null ? RedisServerProcess.start() : RedisServerProcess.start("requirepass " + password));
        }
        List<String> conf = new ArrayList<>(settings);
        if (password != null) {
            conf.add("redis_auth: " + password);
        }
        conf.add("redis: true");
        conf.add("servers:");
        String[] labels = {"shard-b", "shard-a", "c"};
        for (int i = 0; i < 3; i++) {
            conf.add("  - 127.0.0.1:" + backends.get(i).port() + ":" + (i + 1) + (names ? " " + labels[i] : ""));
        }
        proxy = NutcrackerProcess.start(dir, "pool", conf, password);
    }

    /** The {@code --target} naming this pool. */
    public String spec() {
        return "twemproxy:" + proxy.conf() + ":pool";
    }

    /** Every backend's keys in {@code db} (Ferry's checkpoint keys left out), as Latin-1 strings. */
    public TreeSet<String> backendKeys(int db) {
        TreeSet<String> keys = new TreeSet<>();
        for (RedisServerProcess b : backends) {
            try (RedisConnection c = b.connection()) {
                c.call("SELECT", Integer.toString(db));
                for (Reply k : c.call("KEYS", "*").asList()) {
                    String s = new String(k.asBytes(), StandardCharsets.ISO_8859_1);
                    if (!s.startsWith("__ferry_checkpoint:")) {
                        keys.add(s);
                    }
                }
            }
        }
        return keys;
    }

    public TreeSet<String> backendKeys() {
        return backendKeys(0);
    }

    /**
     * Every key of the source's db 0 reads back through nutcracker with the same type, value and
     * TTL (within 5 s), and the backends hold no other key.
     */
    public void assertSameThroughProxy(RedisConnection source) {
        assertSameThroughProxy(source, 0);
    }

    /** As {@link #assertSameThroughProxy(RedisConnection)} for a pool whose {@code redis_db} is {@code poolDb}. */
    public void assertSameThroughProxy(RedisConnection source, int poolDb) {
        TreeSet<String> sourceKeys = new TreeSet<>();
        for (Reply k : source.call("KEYS", "*").asList()) {
            sourceKeys.add(new String(k.asBytes(), StandardCharsets.ISO_8859_1));
        }
        assertThat(sourceKeys).as("source keys").isNotEmpty();
        assertThat(backendKeys(poolDb)).as("the backends hold exactly the source's keys").isEqualTo(sourceKeys);
        List<String> differ = new ArrayList<>();
        try (RedisConnection p = proxy.connection()) {
            for (String k : sourceKeys) {
                byte[] key = k.getBytes(StandardCharsets.ISO_8859_1);
                View want = View.of(source, key);
                View got = View.of(p, key);
                if (!want.type.equals(got.type) || !want.value.equals(got.value) || Math.abs(want.pttl - got.pttl) > 5000
                        || (want.pttl < 0) != (got.pttl < 0)) {
                    differ.add(k + ": source " + want + ", through nutcracker " + got);
                }
            }
        }
        assertThat(differ).as("keys read through nutcracker that differ from the source").isEmpty();
    }

    private record View(String type, Object value, long pttl) {
        static View of(RedisConnection c, byte[] key) {
            String type = c.call(b("TYPE"), key).asString();
            long pttl = c.call(b("PTTL"), key).asLong();
            Object value = switch (type) {
                case "string" -> str(c.call(b("GET"), key));
                case "list" -> strs(c.call(b("LRANGE"), key, b("0"), b("-1")));
                case "set" -> new TreeSet<>(strs(c.call(b("SMEMBERS"), key)));
                case "zset" -> strs(c.call(b("ZRANGE"), key, b("0"), b("-1"), b("WITHSCORES")));
                case "hash" -> {
                    List<String> kv = strs(c.call(b("HGETALL"), key));
                    Map<String, String> m = new TreeMap<>();
                    for (int i = 0; i + 1 < kv.size(); i += 2) {
                        m.put(kv.get(i), kv.get(i + 1));
                    }
                    yield m;
                }
                default -> type;
            };
            return new View(type, value, pttl);
        }

        private static String str(Reply r) {
            return r.isNull() ? null : new String(r.asBytes(), StandardCharsets.ISO_8859_1);
        }

        private static List<String> strs(Reply r) {
            List<String> out = new ArrayList<>();
            r.asList().forEach(x -> out.add(str(x)));
            return out;
        }

        private static byte[] b(String s) {
            return s.getBytes(StandardCharsets.US_ASCII);
        }
    }

    @Override
    public void close() {
        proxy.close();
        backends.forEach(RedisServerProcess::close);
    }
}
