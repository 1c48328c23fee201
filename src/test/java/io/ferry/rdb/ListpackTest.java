package io.ferry.rdb;

import static io.ferry.rdb.Packs.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.testing.TinyReads;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ListpackTest {
    private static List<String> elements(byte[] blob) {
        List<String> out = new ArrayList<>();
        Listpack l = new Listpack(blob);
        while (l.hasNext()) {
            out.add(Recorder.text(l.next()));
        }
        return out;
    }

    private static byte[] everyEncoding() {
        return new ListpackBytes()
                .uint7(0).uint7(127)
                .int13(-1).int13(-4096).int13(4095).int13(200)
                .int16(-32768).int16(32767)
                .int24(-8388608).int24(8388607)
                .int32(Integer.MIN_VALUE).int32(Integer.MAX_VALUE)
                .int64(Long.MIN_VALUE).int64(Long.MAX_VALUE)
                .str6(new byte[0]).str6(utf8("z".repeat(63)))
                .str12(utf8("m".repeat(64))).str12(utf8("n".repeat(4095)))
                .str32(utf8("s32")).str32(utf8("w".repeat(4096)))
                .build();
    }

    private static final List<String> EVERY_ENCODING = List.of("0", "127", "-1", "-4096", "4095", "200", "-32768", "32767",
            "-8388608", "8388607", "-2147483648", "2147483647", "-9223372036854775808", "9223372036854775807",
            "", "z".repeat(63), "m".repeat(64), "n".repeat(4095), "s32", "w".repeat(4096));

    @Test
    void everyEntryEncoding() {
        assertThat(elements(everyEncoding())).containsExactlyElementsOf(EVERY_ENCODING);
    }

    @Test
    void setListpackInAnRdbUnderEveryChunking() {
        byte[] lp = new ListpackBytes().str("a").integer(-1).integer(100000).str("b").build();
        byte[] rdb = RdbBytes.redis(11).selectDb(0).key(RdbType.SET_LISTPACK, "s").str(lp).eof();
        assertThat(EveryChunking.transcript(rdb)).containsExactly("header 11", "db 0", "key db=0 's' SET_LISTPACK",
                "  set 'a'", "  set '-1'", "  set '100000'", "  set 'b'", "end");
    }

    @Test
    void everyEncodingInAQuicklistUnderEveryChunking() {
        byte[] rdb = RdbBytes.redis(11).selectDb(0).key(RdbType.LIST_QUICKLIST_2, "l")
                .len(2).len(2).str(everyEncoding()).len(1).str("plain node").eof();
        List<String> expected = new ArrayList<>(List.of("header 11", "db 0", "key db=0 'l' LIST_QUICKLIST_2"));
        EVERY_ENCODING.forEach(e -> expected.add("  list '" + e + "'"));
        expected.add("  list 'plain node'");
        expected.add("end");
        assertThat(EveryChunking.transcript(rdb)).containsExactlyElementsOf(expected);
    }

    @Test
    void backlenSizesAtTheirThresholds() {
        // Entry sizes (encoding + data) where lpEncodeBacklen switches width: 127/128 (1 → 2 bytes),
        // 16382/16383 (2 → 3) and 2097150/2097151 (3 → 4). A str32 entry is 5 + n bytes.
        int[] strLens = {122, 123, 16377, 16378, 2097145, 2097146};
        ListpackBytes b = new ListpackBytes();
        List<String> expected = new ArrayList<>();
        for (int n : strLens) {
            byte[] s = new byte[n];
            java.util.Arrays.fill(s, (byte) ('a' + expected.size()));
            b.str32(s).str6(utf8("after" + n));
            expected.add(n + ":" + (char) s[0]);
            expected.add("after" + n);
        }
        byte[] blob = b.build();
        List<String> got = new ArrayList<>();
        Listpack l = new Listpack(blob);
        while (l.hasNext()) {
            byte[] e = l.next();
            got.add(e.length > 100 ? e.length + ":" + (char) e[0] : new String(e));
        }
        assertThat(got).containsExactlyElementsOf(expected);
    }

    @Test
    void listWhoseElementFillsA16383ByteEntry() {
        // What Redis 7 writes for RPUSH of a 16378-byte element: a quicklist node holding it alone.
        byte[] big = utf8("q".repeat(16378));
        byte[] lp = new ListpackBytes().str(big).build();
        byte[] rdb = RdbBytes.redis(10).selectDb(0).key(RdbType.LIST_QUICKLIST_2, "l")
                .len(2).len(2).str(lp).len(2).str(new ListpackBytes().str("next").build()).eof();
        List<String> want = Recorder.decode(rdb);
        assertThat(want).containsExactly("header 10", "db 0", "key db=0 'l' LIST_QUICKLIST_2",
                "  list '" + "q".repeat(16378) + "'", "  list 'next'", "end");
        assertThat(Recorder.decode(TinyReads.randomChunks(rdb, 5, 700))).isEqualTo(want);
    }

    @Test
    void nextLongReadsIntegersAndDecimalStrings() {
        Listpack l = new Listpack(new ListpackBytes().int13(-4000).str("99").int64(1L << 40).build());
        assertThat(l.nextLong()).isEqualTo(-4000);
        assertThat(l.nextLong()).isEqualTo(99);
        assertThat(l.nextLong()).isEqualTo(1L << 40);
    }

    @Test
    void invalidEntryEncoding() {
        byte[] blob = new ListpackBytes().str("ok").build();
        blob[6] = (byte) 0xf7;
        assertThatThrownBy(() -> elements(blob)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid listpack entry encoding 0xf7");
    }

    @Test
    void headerLengthMustMatchTheBlob() {
        byte[] blob = new ListpackBytes().str("ok").build();
        blob[0]--;
        assertThatThrownBy(() -> new Listpack(blob)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("listpack header says 10 bytes, blob has 11");
    }

    @Test
    void mustEndWith0xFF() {
        byte[] blob = new ListpackBytes().str("ok").build();
        blob[blob.length - 1] = 1;
        assertThatThrownBy(() -> new Listpack(blob)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("listpack does not end with 0xFF");
    }

    @Test
    void entryRunningPastTheEnd() {
        byte[] blob = new ListpackBytes().str("ok").build();
        blob[6] = (byte) (0x80 | 20);
        assertThatThrownBy(() -> elements(blob)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("listpack entry runs past the end of the blob");
    }

    @Test
    void hugeStr32LengthIsAnErrorNotAnOverflow() {
        // A corrupt 32-bit length near 2^31 must not wrap the position around.
        byte[] blob = new ListpackBytes().str32(utf8("abc")).build();
        blob[7] = (byte) 0xff; // length bytes 7..10, little-endian: 0x7fffffff
        blob[8] = (byte) 0xff;
        blob[9] = (byte) 0xff;
        blob[10] = 0x7f;
        assertThatThrownBy(() -> elements(blob)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("listpack");
        assertThatThrownBy(() -> new Listpack(blob).nextLong()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("listpack");
    }
}
