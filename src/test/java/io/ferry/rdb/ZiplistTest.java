package io.ferry.rdb;

import static io.ferry.rdb.Packs.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ZiplistTest {
    private static List<String> elements(byte[] blob) {
        List<String> out = new ArrayList<>();
        Ziplist z = new Ziplist(blob);
        while (z.hasNext()) {
            out.add(Recorder.text(z.next()));
        }
        return out;
    }

    private static byte[] everyEncoding() {
        return new ZiplistBytes()
                .str6(utf8("a"))
                .str6(new byte[0])
                .str14(utf8("x".repeat(100)))
                .str32(utf8("s32"))
                .int8(-5).int8(127)
                .int16(-300).int16(32767)
                .int24(-70000).int24(8388607).int24(-8388608)
                .int32(Integer.MIN_VALUE).int32(Integer.MAX_VALUE)
                .int64(Long.MIN_VALUE).int64(Long.MAX_VALUE)
                .imm(0).imm(1).imm(12)
                .str14(utf8("y".repeat(300))) // >= 254 bytes: the next entry's prevlen is 0xFE + 4 bytes
                .str6(utf8("after-big"))
                .int16(-1)
                .build();
    }

    private static final List<String> EVERY_ENCODING = List.of("a", "", "x".repeat(100), "s32", "-5", "127", "-300", "32767",
            "-70000", "8388607", "-8388608", "-2147483648", "2147483647", "-9223372036854775808", "9223372036854775807",
            "0", "1", "12", "y".repeat(300), "after-big", "-1");

    @Test
    void everyEntryEncoding() {
        assertThat(elements(everyEncoding())).containsExactlyElementsOf(EVERY_ENCODING);
    }

    @Test
    void usesTheFiveBytePrevlenAfterABigEntry() {
        byte[] blob = everyEncoding();
        int big = indexOf(blob, utf8("y".repeat(300)));
        assertThat(blob[big + 300] & 0xff).as("prevlen marker of the entry after the 300-byte one").isEqualTo(0xfe);
    }

    @Test
    void nextLongReadsIntegersAndDecimalStrings() {
        Ziplist z = new Ziplist(new ZiplistBytes().int24(-70000).str("123").imm(7).build());
        assertThat(z.nextLong()).isEqualTo(-70000);
        assertThat(z.nextLong()).isEqualTo(123);
        assertThat(z.nextLong()).isEqualTo(7);
        assertThat(z.hasNext()).isFalse();
    }

    @Test
    void listZiplistInAnRdbUnderEveryChunking() {
        byte[] rdb = RdbBytes.redis(9).selectDb(0).key(RdbType.LIST_ZIPLIST, "l").str(everyEncoding()).eof();
        List<String> expected = new ArrayList<>(List.of("header 9", "db 0", "key db=0 'l' LIST_ZIPLIST"));
        EVERY_ENCODING.forEach(e -> expected.add("  list '" + e + "'"));
        expected.add("end");
        assertThat(EveryChunking.transcript(rdb)).containsExactlyElementsOf(expected);
    }

    @Test
    void hashAndZsetZiplistsPairTheirEntries() {
        byte[] hash = new ZiplistBytes().str("f1").str("v1").str("n").int16(1000).build();
        byte[] zset = new ZiplistBytes().str("m1").imm(3).str("m2").str("1.5").str("m3").str("-inf").build();
        byte[] rdb = RdbBytes.redis(9).selectDb(0)
                .key(RdbType.HASH_ZIPLIST, "h").str(hash)
                .key(RdbType.ZSET_ZIPLIST, "z").lzfStr(zset) // compact blobs are often LZF-compressed
                .eof();
        assertThat(EveryChunking.transcript(rdb)).containsExactly("header 9", "db 0",
                "key db=0 'h' HASH_ZIPLIST", "  hash 'f1' 'v1'", "  hash 'n' '1000'",
                "key db=0 'z' ZSET_ZIPLIST", "  zset 'm1' 3.0", "  zset 'm2' 1.5", "  zset 'm3' -Infinity",
                "end");
    }

    @Test
    void invalidEntryEncoding() {
        byte[] blob = new ZiplistBytes().str("ok").build();
        blob[11] = (byte) 0xc1; // the entry's encoding byte (after zlbytes, zltail, zllen, prevlen)
        assertThatThrownBy(() -> elements(blob)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid ziplist entry encoding 0xc1");
    }

    @Test
    void headerLengthMustMatchTheBlob() {
        byte[] blob = new ZiplistBytes().str("ok").build();
        blob[0]++;
        assertThatThrownBy(() -> new Ziplist(blob)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("ziplist header says 16 bytes, blob has 15");
    }

    @Test
    void mustEndWith0xFF() {
        byte[] blob = new ZiplistBytes().str("ok").build();
        blob[blob.length - 1] = 0;
        assertThatThrownBy(() -> new Ziplist(blob)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("ziplist does not end with 0xFF");
    }

    @Test
    void entryRunningPastTheEnd() {
        byte[] blob = new ZiplistBytes().str("ok").build();
        blob[11] = 10; // claims a 10-byte string where 2 bytes remain
        assertThatThrownBy(() -> elements(blob)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("ziplist entry runs past the end of the blob");
        byte[] blob2 = new ZiplistBytes().int64(1).build();
        byte[] cut = java.util.Arrays.copyOf(blob2, blob2.length - 3);
        cut[0] = (byte) cut.length;
        cut[cut.length - 1] = (byte) 0xff;
        assertThatThrownBy(() -> elements(cut)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("ziplist entry runs past the end of the blob");
    }

    @Test
    void str32LengthAbove2GiBIsAnErrorNotAnOverflow() {
        // The 32-bit big-endian string length is unsigned; 0x80000003 must not turn negative.
        byte[] blob = new ZiplistBytes().str32(utf8("abc")).build();
        blob[12] = (byte) 0x80; // length bytes 12..15 (after prevlen and the 0x80 encoding byte)
        assertThatThrownBy(() -> elements(blob)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("ziplist entry runs past the end of the blob");
        assertThatThrownBy(() -> new Ziplist(blob).nextLong()).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("ziplist entry runs past the end of the blob");
    }

    @Test
    void tooShortToBeAZiplist() {
        assertThatThrownBy(() -> new Ziplist(new byte[] {5, 0, 0, 0, (byte) 0xff})).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("ziplist of 5 bytes is too short");
    }

    static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
