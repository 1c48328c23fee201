package io.ferry.convert;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.rdb.KeyHeader;
import io.ferry.rdb.RdbBytes;
import io.ferry.rdb.RdbReader;
import io.ferry.rdb.RdbType;
import io.ferry.rdb.StreamBytes;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The snapshot converter against an in-memory command sink: which commands a key becomes for a
 * target, by its version and the conflict policy.
 */
class SnapshotConverterTest {
    private static final long FUTURE = 4_102_444_800_000L; // 2100-01-01

    /** What the converter sent: "db|ARGV ..." per command. */
    private static final class Recorder implements KeyCommands {
        final List<String> sent = new ArrayList<>();

        private static String text(byte[][] argv) {
            StringBuilder b = new StringBuilder();
            for (byte[] a : argv) {
                b.append(b.length() == 0 ? "" : " ").append(new String(a, StandardCharsets.ISO_8859_1));
            }
            return b.toString();
        }

        @Override
        public void send(int db, KeyHeader key, byte[][] argv, Expect expect) {
            sent.add(db + "|" + text(argv));
        }

        @Override
        public void sendMany(int db, List<KeyHeader> keys, byte[][] argv) {
            sent.add(db + "|" + text(argv));
        }

        @Override
        public void sendFunction(byte[][] argv) {
            sent.add("-|" + text(argv));
        }
    }

    private static byte[] rdb() {
        RdbBytes b = RdbBytes.redis(9).selectDb(3).expireMs(FUTURE).stringKey("s", "v");
        b.key(2, "set").len(2).str("a").str("b"); // type 2: a plain set
        return b.eof();
    }

    private static List<String> convert(String version, ConflictPolicy policy, boolean preferTyped) {
        Recorder out = new Recorder();
        ConvertOptions opt = new ConvertOptions(policy, 64L << 20, 1000, 1 << 20, preferTyped, false);
        SnapshotConverter conv = new SnapshotConverter(TargetFeatures.of("redis", version, true, false), opt, out, new ConvertStats(),
                db -> db + 1, () -> 0L);
        new RdbReader(new ByteArrayInputStream(rdb()), RdbReader.CaptureMode.raw(1 << 20, null)).read(conv);
        return out.sent;
    }

    @Test
    void aStringIsASetWithItsExpiryAndTheConflictPolicy() {
        assertThat(convert("7.0.15", ConflictPolicy.FAIL, false).get(0)).isEqualTo("4|SET s v PXAT " + FUTURE + " NX");
        assertThat(convert("7.0.15", ConflictPolicy.REPLACE, false).get(0)).isEqualTo("4|SET s v PXAT " + FUTURE);
    }

    @Test
    void aValueTheTargetCanRestoreGoesAsOneRestore() {
        List<String> sent = convert("7.0.15", ConflictPolicy.REPLACE, false);
        assertThat(sent).hasSize(2);
        assertThat(sent.get(1)).startsWith("4|RESTORE set 0 ").endsWith(" REPLACE");
    }

    @Test
    void aKeyFedAsElementsByASourceThatIsNotAnRdbIsWrittenTyped() {
        Recorder out = new Recorder();
        ConvertOptions opt = new ConvertOptions(ConflictPolicy.REPLACE, 64L << 20, 2, 1 << 20, false, false);
        SnapshotConverter conv = new SnapshotConverter(TargetFeatures.of("redis", "7.0.15", true, false), opt, out, new ConvertStats(),
                db -> db, () -> 1000L);
        KeyHeader h = new KeyHeader(1, "h".getBytes(StandardCharsets.UTF_8), io.ferry.rdb.RdbType.HASH, FUTURE, -1, -1, 0);
        conv.elementKey(h, sink -> {
            for (int i = 0; i < 3; i++) {
                sink.hashField(("f" + i).getBytes(StandardCharsets.UTF_8), ("v" + i).getBytes(StandardCharsets.UTF_8), KeyHeader.NO_EXPIRE);
            }
        });
        assertThat(out.sent).filteredOn(c -> c.startsWith("1|HSET ")).hasSize(2); // bounded batches of 2 fields
        assertThat(String.join("\n", out.sent)).contains(" f0 v0").contains(" f2 v2");
        assertThat(out.sent).anySatisfy(c -> assertThat(c).startsWith("1|PEXPIREAT ").endsWith(" " + FUTURE));
        assertThat(out.sent.get(out.sent.size() - 1)).startsWith("1|RENAME ").endsWith(" h");

        Recorder none = new Recorder();
        new SnapshotConverter(TargetFeatures.of("redis", "7.0.15", true, false), opt, none, new ConvertStats(), db -> db, () -> FUTURE + 1)
                .elementKey(h, sink -> sink.hashField(new byte[] {'f'}, new byte[] {'v'}, KeyHeader.NO_EXPIRE));
        assertThat(none.sent).as("expired before it was written").isEmpty();
    }

    @Test
    void typedCommandsGoIntoATempKeyRenamedIntoPlace() {
        List<String> sent = convert("7.0.15", ConflictPolicy.FAIL, true);
        assertThat(sent.subList(1, sent.size())).anySatisfy(c -> assertThat(c).startsWith("4|SADD ").contains(" a").contains(" b"))
                .anySatisfy(c -> assertThat(c).startsWith("4|RENAMENX ").endsWith(" set"));
        assertThat(sent.get(sent.size() - 1)).doesNotContain("PEXPIREAT"); // the set has no TTL
    }

    /** What a file's keys become for a target of this product and version (values captured raw, as a restore reads). */
    private static List<String> convert(byte[] rdb, String product, String version, ConvertStats stats) {
        Recorder out = new Recorder();
        ConvertOptions opt = new ConvertOptions(ConflictPolicy.REPLACE, 64L << 20, 1000, 1 << 20, false, false);
        SnapshotConverter conv = new SnapshotConverter(TargetFeatures.of(product, version, false, false), opt, out, stats, db -> db, () -> 0L);
        new RdbReader(new ByteArrayInputStream(rdb), RdbReader.CaptureMode.raw(1 << 20, null)).read(conv);
        return out.sent;
    }

    /** The 2-byte version in a RESTORE payload's footer. */
    private static int footerVersion(String restore) {
        byte[] b = restore.getBytes(StandardCharsets.ISO_8859_1);
        int end = restore.lastIndexOf(" REPLACE");
        return (b[end - 10] & 0xff) | (b[end - 9] & 0xff) << 8;
    }

    @Test
    void valkeysHash2IsRestoredOnlyIntoValkey9AndRewrittenWithFieldTtlsElsewhere() {
        byte[] rdb = RdbBytes.magic("VALKEY080").selectDb(0)
                .key(RdbType.VALKEY_HASH_2, "h").len(2).str("a").str("1").u64le(FUTURE).str("b").str("2").u64le(-1).eof();
        List<String> valkey = convert(rdb, "valkey", "9.0.4", new ConvertStats());
        assertThat(valkey).hasSize(1);
        assertThat(valkey.get(0)).startsWith("0|RESTORE h 0 \u0016"); // the wire byte 22, as Valkey wrote it
        assertThat(footerVersion(valkey.get(0))).isEqualTo(80);

        // To Redis, 22 is another hash layout: never the raw payload.
        assertThat(convert(rdb, "redis", "7.4.1", new ConvertStats()))
                .contains("0|HSET h a 1 b 2", "0|HPEXPIREAT h " + FUTURE + " FIELDS 1 a")
                .noneSatisfy(c -> assertThat(c).contains("RESTORE"));
        ConvertStats old = new ConvertStats();
        assertThat(convert(rdb, "redis", "7.0.15", old)).noneSatisfy(c -> assertThat(c).contains("HPEXPIREAT"));
        assertThat(old.droppedFieldTtls.sum()).isEqualTo(1);
    }

    @Test
    void anRdb14StreamIsRestoredIntoRedis88AndRewrittenWithItsLossesCountedElsewhere() {
        RdbBytes w = RdbBytes.redis(14).selectDb(0).key(RdbType.STREAM_LISTPACKS_5, "s").len(0).len(1);
        w.len(0).len(1).len(0).len(0).len(0).len(0).len(1).len(1); // last id 0-1, first/max-deleted 0-0, 1 added, 1 group
        w.str("g").len(0).len(1).len(1).len(1) // last delivered 0-1, read 1, one PEL entry
                .raw(StreamBytes.id16(0, 1)).u64le(0).len(2)
                .len(0) // no consumers
                .len(1).raw(StreamBytes.id16(0, 1)); // NACKed
        w.len(60).len(10).len(1).str("p").len(1).str("iid").len(0).len(1).len(1).len(0); // IDMP: 60 s, 10 ids, one producer
        byte[] rdb = w.eof();
        List<String> redis88 = convert(rdb, "redis", "8.8.0", new ConvertStats());
        assertThat(redis88).hasSize(1);
        assertThat(footerVersion(redis88.get(0))).isEqualTo(14);
        assertThat(convert(rdb, "redis", "255.255.255", new ConvertStats()).get(0)).as("an unstable build").startsWith("0|RESTORE s ");

        ConvertStats to86 = new ConvertStats();
        assertThat(convert(rdb, "redis", "8.6.0", to86)).anySatisfy(c -> assertThat(c).startsWith("0|XCFGSET s").endsWith(" IDMP-DURATION 60 IDMP-MAXSIZE 10"));
        assertThat(to86.lostIdmpIids.sum()).as("ids no command re-records").isEqualTo(1);
        assertThat(to86.lostNackedEntries.sum()).isZero(); // the NACKed entry's message is gone: a lost pending entry
        assertThat(to86.lostPendingEntries.sum()).isEqualTo(1);
        ConvertStats to70 = new ConvertStats();
        assertThat(convert(rdb, "redis", "7.0.15", to70)).noneSatisfy(c -> assertThat(c).contains("XCFGSET"));
        assertThat(to70.lostIdmpStreams.sum()).isEqualTo(1);
        assertThat(to70.losses()).contains("WARNING: the idempotent-producer (IDMP) state of 1 streams could not be kept (1 remembered idempotency ids): typed commands cannot recreate it");
    }

    @Test
    void arraysGoAsArsetRunsIntoRedis88TypedAndAreCountedLostBefore() {
        byte[] rdb = RdbBytes.redis(14).selectDb(0)
                .key(RdbType.ARRAY, "a").len(3).len(1).len(7)
                .len(0).len(3).str("x").len(1).len(1).u64le(5).len(7).len(0).str("far")
                .eof();
        Recorder out = new Recorder();
        ConvertOptions typed = new ConvertOptions(ConflictPolicy.REPLACE, 64L << 20, 1000, 1 << 20, true, false);
        new RdbReader(new ByteArrayInputStream(rdb), RdbReader.CaptureMode.raw(1 << 20, null))
                .read(new SnapshotConverter(TargetFeatures.of("redis", "8.8.0", true, false), typed, out, new ConvertStats(), db -> db, () -> 0L));
        assertThat(out.sent).filteredOn(c -> c.contains("ARSET") || c.contains("ARSEEK"))
                .containsExactly("0|ARSET " + tmpOf(out.sent) + " 0 x 5", "0|ARSET " + tmpOf(out.sent) + " 7 far", "0|ARSEEK " + tmpOf(out.sent) + " 8");

        ConvertStats old = new ConvertStats();
        assertThat(convert(rdb, "redis", "8.6.0", old)).isEmpty();
        assertThat(old.lostArrays.sum()).isEqualTo(1);
        assertThat(old.losses()).containsExactly("WARNING: 1 arrays were not written: the target has no array type (Redis 8.8+)");
    }

    private static String tmpOf(List<String> sent) {
        return sent.stream().filter(c -> c.startsWith("0|DEL ")).findFirst().orElseThrow().substring("0|DEL ".length());
    }
}
