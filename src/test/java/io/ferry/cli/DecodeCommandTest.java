package io.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.rdb.ListpackBytes;
import io.ferry.rdb.RdbBytes;
import io.ferry.rdb.RdbType;
import io.ferry.rdb.ZiplistBytes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ferry decode} end to end: exact JSON Lines, filters, byte strings, and failures. */
class DecodeCommandTest {
    @TempDir
    Path tmp;

    static final byte[] NOT_UTF8 = {(byte) 0xff, (byte) 0xfe, 'x'};

    /** Two dbs, every logical type, a binary key and value. */
    static byte[] sample() {
        return RdbBytes.redis(11).aux("redis-ver", "7.2.0")
                .selectDb(0)
                .stringKey("user:1", "alice")
                .expireMs(1800000000000L).stringKey("user:2", "bob")
                .key(RdbType.LIST_QUICKLIST_2, "order:1").len(1).len(2).str(new ListpackBytes().str("x").integer(7).build())
                .key(RdbType.HASH_LISTPACK, "user:1:profile").str(new ListpackBytes().str("name").str("Alice").str("age").integer(30).build())
                .key(RdbType.SET_INTSET, "ids").str(io.ferry.rdb.Packs.intset(2, 1, 2))
                .key(RdbType.STRING, NOT_UTF8).str(NOT_UTF8)
                .key(RdbType.STRING, "caf\u00e9").str("\u00e9t\u00e9 \u2713")
                .selectDb(2)
                .key(RdbType.ZSET_LISTPACK, "user:rank").str(new ListpackBytes().str("a").str("1.5").str("b").integer(2).build())
                .stringKey("user:3", "carol")
                .eof();
    }

    static final String USER1 = "{\"db\":0,\"key\":\"user:1\",\"type\":\"string\",\"expire_at_ms\":null,\"value\":\"alice\"}";
    static final String USER2 = "{\"db\":0,\"key\":\"user:2\",\"type\":\"string\",\"expire_at_ms\":1800000000000,\"value\":\"bob\"}";
    static final String ORDER1 = "{\"db\":0,\"key\":\"order:1\",\"type\":\"list\",\"expire_at_ms\":null,\"value\":[\"x\",\"7\"]}";
    static final String PROFILE = "{\"db\":0,\"key\":\"user:1:profile\",\"type\":\"hash\",\"expire_at_ms\":null,\"value\":[[\"name\",\"Alice\"],[\"age\",\"30\"]]}";
    static final String IDS = "{\"db\":0,\"key\":\"ids\",\"type\":\"set\",\"expire_at_ms\":null,\"value\":[\"1\",\"2\"]}";
    static final String BINARY = "{\"db\":0,\"key\":{\"base64\":\"//54\"},\"type\":\"string\",\"expire_at_ms\":null,\"value\":{\"base64\":\"//54\"}}";
    static final String UNICODE = "{\"db\":0,\"key\":\"caf\u00e9\",\"type\":\"string\",\"expire_at_ms\":null,\"value\":\"\u00e9t\u00e9 \u2713\"}";
    static final String RANK = "{\"db\":2,\"key\":\"user:rank\",\"type\":\"zset\",\"expire_at_ms\":null,\"value\":[[\"a\",1.5],[\"b\",2.0]]}";
    static final String USER3 = "{\"db\":2,\"key\":\"user:3\",\"type\":\"string\",\"expire_at_ms\":null,\"value\":\"carol\"}";

    private Path write(byte[] rdb) throws Exception {
        Path p = tmp.resolve("in.rdb");
        Files.write(p, rdb);
        return p;
    }

    private List<String> decode(byte[] rdb, String... options) throws Exception {
        Path in = write(rdb);
        Path out = tmp.resolve("out.jsonl");
        String[] args = new String[3 + options.length + 2];
        args[0] = "decode";
        args[1] = in.toString();
        System.arraycopy(options, 0, args, 2, options.length);
        args[2 + options.length] = "-o";
        args[3 + options.length] = out.toString();
        CliRun r = CliRun.of(Arrays.copyOf(args, 4 + options.length));
        assertThat(r.err()).as("stderr").isEmpty();
        assertThat(r.status()).as("exit status").isZero();
        return Files.readAllLines(out, StandardCharsets.UTF_8);
    }

    @Test
    void everyKeyAsExactJsonLines() throws Exception {
        assertThat(decode(sample())).containsExactly(USER1, USER2, ORDER1, PROFILE, IDS, BINARY, UNICODE, RANK, USER3);
    }

    @Test
    void toStandardOutputWithoutDashO() throws Exception {
        CliRun r = CliRun.of("decode", write(sample()).toString(), "--db", "2");
        assertThat(r.status()).isZero();
        assertThat(r.out()).isEqualTo(RANK + "\n" + USER3 + "\n");
    }

    @Test
    void keyGlob() throws Exception {
        assertThat(decode(sample(), "--key", "user:?")).containsExactly(USER1, USER2, USER3);
        assertThat(decode(sample(), "--key", "user:*", "--key", "ids")).containsExactly(USER1, USER2, PROFILE, IDS, RANK, USER3);
        assertThat(decode(sample(), "--key", "user:[13]*", "--exclude-key", "*profile")).containsExactly(USER1, USER3);
    }

    @Test
    void keyGlobMatchesBytesNotCharacters() throws Exception {
        // '?' is one byte: the 3-byte non-UTF-8 key matches ??? and the 5-byte "café" matches ?????
        assertThat(decode(sample(), "--key", "???")).containsExactly(IDS, BINARY);
        assertThat(decode(sample(), "--key", "?????")).containsExactly(UNICODE);
    }

    @Test
    void dbFilter() throws Exception {
        assertThat(decode(sample(), "--db", "2")).containsExactly(RANK, USER3);
        assertThat(decode(sample(), "--db", "0,2", "--key", "user:3")).containsExactly(USER3);
        assertThat(decode(sample(), "--db", "5")).isEmpty();
    }

    @Test
    void typeFilter() throws Exception {
        assertThat(decode(sample(), "--type", "hash,zset")).containsExactly(PROFILE, RANK);
        assertThat(decode(sample(), "--type", "list", "--type", "set")).containsExactly(ORDER1, IDS);
        assertThat(decode(sample(), "--type", "string", "--db", "0", "--key", "user:*")).containsExactly(USER1, USER2);
    }

    @Test
    void unknownTypeIsAUsageError() throws Exception {
        CliRun r = CliRun.of("decode", write(sample()).toString(), "--type", "bitmap");
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("ferry decode: error: unknown type 'bitmap' (expected string, list, set, zset, hash, stream, module or array)\n");
    }

    // ---- failures ----

    private void assertOneLineError(CliRun r, String messageStart) {
        assertThat(r.status()).as("exit status").isEqualTo(1);
        assertThat(r.err()).as("stderr").startsWith("ferry decode: error: " + messageStart).endsWith("\n");
        assertThat(r.err().lines()).as("stderr lines").hasSize(1);
        assertThat(r.err()).doesNotContain("\tat ", "Exception");
    }

    @Test
    void corruptValueExitsWithOneLineAndKeepsTheRecordsBefore() throws Exception {
        RdbBytes w = RdbBytes.redis(9).selectDb(0).stringKey("user:1", "alice")
                .expireMs(1800000000000L).stringKey("user:2", "bob");
        int at = w.size();
        byte[] bad = new ZiplistBytes().str("a").build();
        bad[11] = (byte) 0xc5;
        byte[] rdb = w.key(RdbType.LIST_ZIPLIST, "broken").str(bad).stringKey("user:3", "never").eof();
        Path out = tmp.resolve("out.jsonl");
        CliRun r = CliRun.of("decode", write(rdb).toString(), "-o", out.toString());
        assertOneLineError(r, "corrupt LIST_ZIPLIST value of key 'broken' in db 0: invalid ziplist entry encoding 0xc5 (at byte offset " + at + ")");
        assertThat(Files.readString(out)).isEqualTo(USER1 + "\n" + USER2 + "\n");
    }

    @Test
    void truncatedInsideABigValueLeavesOnlyCompleteRecords() throws Exception {
        // The cut falls in the middle of a list whose elements were already being written out.
        RdbBytes w = RdbBytes.redis(9).selectDb(0).stringKey("user:1", "alice").key(RdbType.LIST, "long").len(1000);
        for (int i = 0; i < 1000; i++) {
            w.str("element-" + i);
        }
        byte[] full = w.eof();
        byte[] cut = Arrays.copyOf(full, full.length - 4000);
        Path out = tmp.resolve("out.jsonl");
        CliRun r = CliRun.of("decode", write(cut).toString(), "-o", out.toString());
        assertOneLineError(r, "unexpected end of input while reading a list/set element: the RDB is truncated (at byte offset " + cut.length + ")");
        assertThat(Files.readString(out)).isEqualTo(USER1 + "\n");
    }

    @Test
    void truncatedToStandardOutput() throws Exception {
        byte[] full = sample();
        CliRun r = CliRun.of("decode", write(Arrays.copyOf(full, full.length - 20)).toString());
        assertOneLineError(r, "unexpected end of input");
        assertThat(r.out()).isEqualTo(String.join("\n", USER1, USER2, ORDER1, PROFILE, IDS, BINARY, UNICODE, RANK) + "\n");
    }

    @Test
    void badMagic() throws Exception {
        Path out = tmp.resolve("out.jsonl");
        CliRun r = CliRun.of("decode", write("GIF89a...not an rdb".getBytes(StandardCharsets.US_ASCII)).toString(), "-o", out.toString());
        assertOneLineError(r, "not an RDB file: it does not start with REDIS or VALKEY (at byte offset 0)");
        assertThat(Files.readString(out)).isEmpty();
    }

    @Test
    void checksumMismatch() throws Exception {
        byte[] rdb = sample();
        rdb[rdb.length - 1] ^= 1;
        Path out = tmp.resolve("out.jsonl");
        CliRun r = CliRun.of("decode", write(rdb).toString(), "-o", out.toString());
        assertOneLineError(r, "CRC64 checksum mismatch: the file says ");
        assertThat(Files.readAllLines(out)).hasSize(9); // every record was already written
    }

    @Test
    void unsupportedVersion() throws Exception {
        CliRun r = CliRun.of("decode", write(RdbBytes.redis(15).eof()).toString(), "-o", tmp.resolve("o").toString());
        assertOneLineError(r, "RDB version 15 is not supported");
    }

    @Test
    void missingFile() {
        CliRun r = CliRun.of("decode", tmp.resolve("nope.rdb").toString());
        assertOneLineError(r, "no such file: ");
    }

    /** One RDB per shard of a cluster dump: printed one after the other, as one stream of records. */
    @Test
    void severalFilesOneAfterTheOther() throws Exception {
        Path a = tmp.resolve("a.rdb");
        Path b = tmp.resolve("b.rdb");
        Files.write(a, RdbBytes.redis(9).selectDb(0).stringKey("user:1", "alice").eof());
        Files.write(b, RdbBytes.redis(11).selectDb(0).expireMs(1800000000000L).stringKey("user:2", "bob").eof());
        Path out = tmp.resolve("out.jsonl");
        CliRun r = CliRun.of("decode", a.toString(), b.toString(), "--key", "user:*", "-o", out.toString());
        assertThat(r.err()).isEmpty();
        assertThat(r.status()).isZero();
        assertThat(Files.readAllLines(out)).containsExactly(USER1, USER2);
    }

    @Test
    void aCorruptFileAmongSeveralIsNamedAndTheRecordsBeforeItStay() throws Exception {
        Path a = tmp.resolve("a.rdb");
        Path b = tmp.resolve("b.rdb");
        Files.write(a, RdbBytes.redis(9).selectDb(0).stringKey("user:1", "alice").eof());
        byte[] full = RdbBytes.redis(9).selectDb(0).stringKey("user:2", "bob").eof();
        Files.write(b, Arrays.copyOf(full, full.length - 12));
        Path out = tmp.resolve("out.jsonl");
        CliRun r = CliRun.of("decode", a.toString(), b.toString(), "-o", out.toString());
        assertOneLineError(r, b + ": unexpected end of input");
        assertThat(r.err()).contains("(at byte offset ");
        assertThat(Files.readAllLines(out)).containsExactly(USER1);
    }

    @Test
    void aMissingFileAmongSeveralIsRefusedBeforeAnythingIsPrinted() throws Exception {
        Path a = tmp.resolve("a.rdb");
        Files.write(a, RdbBytes.redis(9).selectDb(0).stringKey("user:1", "alice").eof());
        CliRun r = CliRun.of("decode", a.toString(), tmp.resolve("nope.rdb").toString());
        assertOneLineError(r, "no such file: ");
        assertThat(r.out()).isEmpty();
    }
}
