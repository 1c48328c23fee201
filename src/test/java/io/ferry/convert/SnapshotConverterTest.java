package io.ferry.convert;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.rdb.KeyHeader;
import io.ferry.rdb.RdbBytes;
import io.ferry.rdb.RdbReader;
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
}
