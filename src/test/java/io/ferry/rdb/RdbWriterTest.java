package io.ferry.rdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** RdbWriter's output byte for byte against RDBs built independently with {@link RdbBytes}. */
class RdbWriterTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** A string value as a raw capture holds it: type byte, then the RDB string. */
    private static RawValue stringValue(byte[] v) {
        byte[] body = RdbBytes.redis(0).str(v).bytes();
        byte[] raw = new byte[1 + body.length - 9]; // RdbBytes starts with a 9-byte magic
        raw[0] = (byte) RdbType.STRING;
        System.arraycopy(body, 9, raw, 1, body.length - 9);
        return RawValue.of(raw);
    }

    @Test
    void writesWhatRedisWouldWithEveryLengthEncodingAndTheChecksum() throws Exception {
        byte[] code = b("#!lua name=lib\nredis.register_function('f', function() return 1 end)");
        byte[] k64 = "k".repeat(64).getBytes(StandardCharsets.US_ASCII);
        byte[] k16384 = "x".repeat(16384).getBytes(StandardCharsets.US_ASCII);
        byte[] v70000 = "v".repeat(70_000).getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        RdbWriter w = new RdbWriter(out, 10, false);
        w.aux("ferry-ver", "dev");
        w.function(code);
        w.key(0, b("a"), KeyHeader.NO_EXPIRE, -1, -1, stringValue(b("1")));
        w.key(0, k64, 1_900_000_000_123L, 7, -1, stringValue(b("")));
        w.key(20_000, k16384, KeyHeader.NO_EXPIRE, -1, 5, stringValue(v70000));
        w.key(20_000, b("b"), KeyHeader.NO_EXPIRE, -1, -1, stringValue(b("2")));
        w.finish();

        byte[] expected = RdbBytes.redis(10).aux("ferry-ver", "dev").raw(RdbReader.OP_FUNCTION2).str(code)
                .selectDb(0).stringKey("a", "1")
                .expireMs(1_900_000_000_123L).raw(RdbReader.OP_IDLE).len(7).key(RdbType.STRING, k64).str("")
                .selectDb(20_000).raw(RdbReader.OP_FREQ, 5).key(RdbType.STRING, k16384).str(v70000)
                .stringKey("b", "2")
                .eof();
        assertThat(out.toByteArray()).isEqualTo(expected);
        assertThat(w.written()).isEqualTo(expected.length);
        assertThat(Recorder.decode(out.toByteArray())).contains(Recorder.keyLine(20_000, b("b"), RdbType.STRING, -1, -1, -1));
    }

    @Test
    void spilledValuesAreCopiedFromTheirFile(@TempDir Path tmp) throws Exception {
        byte[] big = "0123456789".repeat(20_000).getBytes(StandardCharsets.US_ASCII);
        byte[] raw = RdbBytes.redis(0).raw(RdbType.STRING).str(big).bytes();
        Path spill = tmp.resolve("value.bin");
        Files.write(spill, java.util.Arrays.copyOfRange(raw, 9, raw.length));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        RdbWriter w = new RdbWriter(out, 9, false);
        w.key(3, b("big"), KeyHeader.NO_EXPIRE, -1, -1, new RawValue(spill, raw.length - 9));
        w.finish();
        assertThat(out.toByteArray()).isEqualTo(RdbBytes.redis(9).selectDb(3).key(RdbType.STRING, "big").str(big).eof());
    }

    @Test
    void oldVersionsGetNoAuxFieldsHintsOrChecksum() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        RdbWriter w = new RdbWriter(out, 4, false);
        w.aux("ferry-ver", "dev");
        w.key(0, b("a"), 1_900_000_000_000L, 3, -1, stringValue(b("1")));
        w.finish();
        assertThat(out.toByteArray()).isEqualTo(RdbBytes.redis(4).selectDb(0).expireMs(1_900_000_000_000L).stringKey("a", "1").eofNoChecksum());
    }

    @Test
    void valkeysOwnMagic() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new RdbWriter(out, RdbReader.VALKEY_VERSION, true).finish();
        assertThat(out.toByteArray()).isEqualTo(RdbBytes.magic("VALKEY080").eof());
        assertThat(RdbReader.readHeader(new java.io.ByteArrayInputStream(out.toByteArray()))).isEqualTo(new RdbReader.Header(80, true));
    }
}
