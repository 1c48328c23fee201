package io.ferry.target;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.filter.KeyFilter;
import io.ferry.replication.ReplCommand;
import io.ferry.resp.RedisConnection;
import io.ferry.resp.Reply;
import io.ferry.testing.CommandStream;
import io.ferry.testing.CrossVersion;
import io.ferry.testing.Dataset;
import io.ferry.testing.RedisServerProcess;
import io.ferry.testing.RedisVersion;
import io.ferry.testing.ServerDataset;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntUnaryOperator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The translation table end to end: a stream of the commands Redis 8.x / Valkey 9 replicate,
 * applied into real 2.8.19, 6.2.11 and 7.0.15 targets, which then hold what a new server would
 * hold, minus what is reported as lost (field TTLs below 7.4; IDMP and NACK state).
 */
class TranslationIT {
    private static final long T = System.currentTimeMillis() + 3_600_000; // an absolute expiry, as a master replicates it
    private static final long T_SECONDS = T / 1000;

    private static String t(long ms) {
        return Long.toString(ms);
    }

    private static CommandStream newStringsAndHashes() {
        return new CommandStream(1000)
                .add("SET", "s1", "v1", "PXAT", t(T), "GET")
                .add("SET", "s2", "old").add("SET", "s2", "new", "IFEQ", "old")
                .add("SET", "s3", "v3", "PXAT", t(T)).add("SET", "s3", "v3b", "KEEPTTL")
                .add("SET", "s4", "x", "IFDNE", "abcd", "EXAT", t(T_SECONDS))
                .add("MSETEX", "2", "m1", "a", "m2", "b", "NX", "PXAT", t(T))
                .add("MSETEX", "1", "m1", "a2", "KEEPTTL")
                .add("SET", "d1", "x").add("DELEX", "d1")
                .add("SET", "d2", "y").add("DELEX", "d2", "IFEQ", "y")
                .add("SET", "u1", "x").add("UNLINK", "u1", "nothing")
                .add("HSETEX", "h1", "FNX", "PXAT", t(T), "FIELDS", "2", "a", "1", "b", "2")
                .add("HSETEX", "h1", "KEEPTTL", "FIELDS", "1", "a", "1.5") // HINCRBYFLOAT, as Redis replicates it
                .add("HSETEX", "h2", "FIELDS", "1", "f", "v").add("HGETDEL", "h2", "FIELDS", "1", "f")
                .add("HSET", "h3", "a", "1", "b", "2").add("HGETDEL", "h3", "FIELDS", "1", "a")
                .add("HPEXPIREAT", "h3", t(T), "FIELDS", "1", "b").add("HPERSIST", "h3", "FIELDS", "1", "b")
                .add("HGETEX", "h3", "PXAT", t(T), "FIELDS", "1", "b")
                .add("MULTI").add("MSETEX", "1", "tx1", "1", "PXAT", t(T)).add("HSETEX", "tx2", "FIELDS", "1", "f", "v").add("EXEC")
                .add("CLUSTER", "SYNCSLOTS", "ACK", "1").add("TRIMSLOTS", "RANGES", "1", "0", "100");
    }

    /** What a new server holds after {@link #newStringsAndHashes}, without the field TTLs an older one cannot keep. */
    private static Dataset expectedStringsAndHashes() {
        Dataset d = new Dataset();
        string(d, "s1", "v1", T);
        string(d, "s2", "new", null);
        string(d, "s3", "v3b", T);
        string(d, "s4", "x", T_SECONDS * 1000);
        string(d, "m1", "a2", T);
        string(d, "m2", "b", T);
        string(d, "tx1", "1", T);
        hash(d, "h1", Map.of("a", "1.5", "b", "2"));
        hash(d, "h3", Map.of("b", "2"));
        hash(d, "tx2", Map.of("f", "v"));
        return d;
    }

    private static void string(Dataset d, String k, String v, Long expireAt) {
        d.put(0, k, new Dataset.KeyData("string", expireAt, v, new TreeMap<>(), null, null));
    }

    private static void hash(Dataset d, String k, Map<String, String> fields) {
        d.put(0, k, new Dataset.KeyData("hash", null, new TreeMap<>(fields), new TreeMap<>(), null, null));
    }

    private static CommandStream newStreamCommands(CommandStream s) {
        return s.add("XADD", "x1", "IDMP", "p1", "i1", "1-1", "f", "v")
                .add("XADD", "x1", "IDMP", "p1", "i1", "*", "f", "v") // a duplicate: nothing added
                .add("XADD", "x1", "IDMPAUTO", "p1", "KEEPREF", "MAXLEN", "=", "10", "2-1", "f", "w")
                .add("XADD", "x1", "3-1", "f", "x").add("XADD", "x1", "4-1", "f", "y")
                .add("XCFGSET", "x1", "IDMP-DURATION", "100").add("XIDMPRECORD", "x1", "p1", "i2", "4-1")
                .add("XGROUP", "CREATE", "x1", "g", "0")
                .add("XCLAIM", "x1", "g", "alice", "0", "1-1", "2-1", "FORCE", "JUSTID") // how XREADGROUP is replicated
                .add("XACKDEL", "x1", "g", "KEEPREF", "IDS", "1", "1-1")
                .add("XDELEX", "x1", "IDS", "1", "3-1")
                .add("XNACK", "x1", "g", "2-1")
                .add("XDELEX", "x1", "DELREF", "IDS", "1", "2-1"); // no exact translation: counted under --on-error skip
    }

    @ParameterizedTest(name = "into {0}")
    @EnumSource(RedisVersion.class)
    void targetHoldsWhatANewServerWouldMinusWhatIsReportedLost(RedisVersion v) throws Exception {
        boolean streams = v.atLeast(5, 0);
        CommandStream s = newStringsAndHashes();
        if (streams) {
            newStreamCommands(s);
        }
        s.add("SET", "end", "1");
        try (RedisServerProcess server = v.start(); RedisConnection c = server.connection();
                RedisTarget target = RedisTarget.open(server.uri(), null, 4, 1000, 1 << 20)) {
            StreamApplier a = new StreamApplier(target, OnError.SKIP, "translation", 1000, 0, null, KeyFilter.ALL, IntUnaryOperator.identity(), 100,
                    () -> {});
            for (ReplCommand cmd : s.cmds) {
                a.apply(cmd);
            }
            a.drain();
            a.clearCheckpointKeys();
            assertThat(a.failure()).isNull();
            assertThat(a.skippedErrors.sum()).as("skipped: only the XDELEX DELREF").isEqualTo(streams ? 1 : 0);
            assertThat(a.unknownCommands.sum()).as("unknown commands").isZero();

            Dataset actual = ServerDataset.read(c, 15);
            Dataset expected = expectedStringsAndHashes();
            string(expected, "end", "1", null);
            if (streams) {
                Dataset.KeyData x1 = actual.dbs.get(0).remove("x1");
                assertThat(x1).as("stream x1").isNotNull();
                @SuppressWarnings("unchecked")
                List<List<Object>> entries = (List<List<Object>>) ((Map<String, Object>) x1.value()).get("entries");
                assertThat(entries.stream().map(e -> e.get(0))).containsExactly("2-1", "4-1");
                List<Reply> pending = c.call("XPENDING", "x1", "g", "-", "+", "10").asList();
                assertThat(pending).as("pending entries of g: 1-1 acked and deleted").hasSize(1);
                assertThat(pending.get(0).asList().get(0).asString()).isEqualTo("2-1");
            }
            CrossVersion.assertSame(expected, actual, 1_000);

            assertThat(a.translations.fieldTtlsLost.sum()).as("field TTLs reported lost").isEqualTo(5);
            Map<String, Long> rules = a.translations.byRule();
            assertThat(rules).containsEntry("HSETEX→HSET", 4L).containsEntry("MSETEX→SET", 3L).containsEntry("HGETDEL→HDEL", 2L)
                    .containsEntry("DELEX→DEL", 2L).containsEntry("CLUSTER SYNCSLOTS not forwarded (cluster-internal)", 1L)
                    .containsEntry("TRIMSLOTS not forwarded (cluster-internal)", 1L);
            if (streams) {
                assertThat(rules).containsEntry("XADD IDMP duplicate dropped", 1L).containsEntry("XADD IDMP→XADD", 2L)
                        .containsEntry("XACKDEL→XACK+XDEL", 1L).containsEntry("XDELEX→XDEL", 1L)
                        .containsEntry("XNACK dropped (NACK state lost)", 1L).containsEntry("XCFGSET dropped (IDMP state lost)", 1L);
            }
        }
    }
}
