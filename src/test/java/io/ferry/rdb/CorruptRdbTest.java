package io.ferry.rdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.testing.TinyReads;
import java.io.ByteArrayInputStream;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Damaged input fails with an RdbFormatException whose message says what is wrong and where. */
class CorruptRdbTest {
    @Test
    void badMagic() {
        byte[] rdb = RdbBytes.magic("RIDES0011").selectDb(0).eof();
        assertThatThrownBy(() -> Recorder.decode(rdb)).isInstanceOf(RdbFormatException.class)
                .hasMessage("not an RDB file: it does not start with REDIS or VALKEY (at byte offset 0)");
    }

    @Test
    void versionThatIsNotANumber() {
        assertThatThrownBy(() -> Recorder.decode(RdbBytes.magic("REDIS00x1").eof())).isInstanceOf(RdbFormatException.class)
                .hasMessage("not an RDB file: the version '00x1' after the magic is not a number (at byte offset 0)");
    }

    @Test
    void unknownVersion15() {
        byte[] rdb = RdbBytes.redis(15).selectDb(0).eof();
        assertThat(new String(rdb, 0, 9)).isEqualTo("REDIS0015");
        assertThatThrownBy(() -> Recorder.decode(rdb)).isInstanceOf(RdbFormatException.class)
                .hasMessage("RDB version 15 is not supported: Ferry reads REDIS versions 1-14 and VALKEY version 80 (at byte offset 5)");
    }

    @Test
    void unknownValkeyVersion() {
        assertThatThrownBy(() -> Recorder.decode(RdbBytes.magic("VALKEY081").eof())).isInstanceOf(RdbFormatException.class)
                .hasMessage("RDB version 81 (Valkey) is not supported: Ferry reads REDIS versions 1-14 and VALKEY version 80 (at byte offset 5)");
    }

    @Test
    void unknownTypeByte() {
        RdbBytes w = RdbBytes.redis(12).selectDb(0).stringKey("ok", "v");
        int at = w.size();
        byte[] rdb = w.key(30, "k").str("v").eof();
        assertThatThrownBy(() -> Recorder.decode(rdb)).isInstanceOf(RdbFormatException.class)
                .hasMessage("unknown RDB value type 30 (Redis numbering, RDB version 12): written by a server newer than Ferry knows, or corrupt (at byte offset " + at + ")");
    }

    @Test
    void theFirstTypeAfterTheNewestKnownStopsWithItsNumberAndOffset() {
        // 29 is GCRA in the RDB 14 rdb.h, built only with ENABLE_GCRA: no server writes it by default.
        RdbBytes w = RdbBytes.redis(14).selectDb(0).stringKey("ok", "v");
        int at = w.size();
        byte[] rdb = w.key(29, "rate").len(0).eof();
        assertThatThrownBy(() -> Recorder.decode(rdb)).isInstanceOf(UnknownRdbTypeException.class)
                .hasMessage("unknown RDB value type 29 (Redis numbering, RDB version 14): written by a server newer than Ferry knows, or corrupt (at byte offset " + at + ")")
                .satisfies(e -> assertThat(((UnknownRdbTypeException) e).typeByte()).isEqualTo(29))
                .satisfies(e -> assertThat(((UnknownRdbTypeException) e).offset()).isEqualTo(at));
    }

    @Test
    void preReleaseModuleType() {
        RdbBytes w = RdbBytes.redis(8).selectDb(0);
        int at = w.size();
        byte[] rdb = w.key(RdbType.MODULE_PRE_GA, "k").eof();
        assertThatThrownBy(() -> Recorder.decode(rdb)).isInstanceOf(RdbFormatException.class)
                .hasMessage("module value in the Redis 4.0 release-candidate format (type 6) cannot be parsed without its module (at byte offset " + at + ")");
    }

    @Test
    void preReleaseFunctionOpcode() {
        RdbBytes w = RdbBytes.redis(10);
        int at = w.size();
        byte[] rdb = w.raw(RdbReader.OP_FUNCTION_PRE_GA).str("code").eof();
        assertThatThrownBy(() -> Recorder.decode(rdb)).isInstanceOf(RdbFormatException.class)
                .hasMessageStartingWith("this RDB holds functions in the Redis 7.0 release-candidate format (opcode 246)")
                .hasMessageEndingWith("(at byte offset " + at + ")");
    }

    @Test
    void checksumMismatch() {
        RdbBytes w = RdbBytes.redis(9).selectDb(0).stringKey("k", "value");
        int eofAt = w.size();
        byte[] rdb = w.eof();
        long good = Crc64.of(Arrays.copyOf(rdb, eofAt + 1));
        int valueByte = eofAt - 1; // the last byte of "value"
        rdb[valueByte] = 'X';
        long bad = Crc64.of(Arrays.copyOf(rdb, eofAt + 1));
        assertThatThrownBy(() -> Recorder.decode(rdb)).isInstanceOf(RdbFormatException.class)
                .hasMessage(String.format("CRC64 checksum mismatch: the file says %016x but its contents give %016x; the RDB is corrupt (at byte offset %d)",
                        good, bad, eofAt + 1));
    }

    @Test
    void checksumIsVerifiedAfterTheKeysWereReported() {
        // The keys come first (a stream cannot be re-read); the mismatch is reported at the end.
        byte[] rdb = RdbBytes.redis(9).selectDb(0).stringKey("k", "v").eof();
        rdb[rdb.length - 8] ^= 0x40;
        Recorder r = new Recorder();
        assertThatThrownBy(() -> new RdbReader(new ByteArrayInputStream(rdb)).read(r)).isInstanceOf(RdbFormatException.class);
        assertThat(r.lines).containsExactly("header 9", "db 0", "key db=0 'k' STRING", "  = 'v'");
    }

    @Test
    void ziplistGarbage() {
        RdbBytes w = RdbBytes.redis(9).selectDb(3);
        int at = w.size();
        byte[] rdb = w.key(RdbType.LIST_ZIPLIST, "zl").str("this is not a ziplist").eof();
        assertThatThrownBy(() -> Recorder.decode(rdb)).isInstanceOf(RdbFormatException.class)
                .hasMessage("corrupt LIST_ZIPLIST value of key 'zl' in db 3: ziplist header says 1936287860 bytes, blob has 21 (at byte offset " + at + ")");
    }

    @Test
    void ziplistWithAValidHeaderAndGarbageEntries() {
        byte[] blob = new ZiplistBytes().str("aaaa").str("bbbb").build();
        blob[17] = (byte) 0xc7; // the second entry's encoding byte (after its prevlen at 16)
        RdbBytes w = RdbBytes.redis(9).selectDb(0).stringKey("before", "x");
        int at = w.size();
        byte[] rdb = w.key(RdbType.HASH_ZIPLIST, "h\u00ff").str(blob).eof();
        assertThatThrownBy(() -> Recorder.decode(rdb)).isInstanceOf(RdbFormatException.class)
                .hasMessage("corrupt HASH_ZIPLIST value of key 'h\\xc3\\xbf' in db 0: invalid ziplist entry encoding 0xc7 (at byte offset " + at + ")");
    }

    @Test
    void unknownModuleOpcode() {
        RdbBytes w = RdbBytes.redis(9).selectDb(0);
        int at = w.size();
        byte[] rdb = w.key(RdbType.MODULE_2, "m").len64(AllOpcodesRdbTest.MODULE).len(9).eof();
        assertThatThrownBy(() -> Recorder.decode(rdb)).isInstanceOf(RdbFormatException.class)
                .hasMessage("corrupt MODULE_2 value of key 'm' in db 0: unknown module value opcode 9 (at byte offset " + at + ")");
    }

    @Test
    void hugeLengthNearTheEndIsReportedAsTruncationNotAllocated() {
        // One damaged length byte can claim 2 GiB; the reader must not allocate it before the bytes exist.
        RdbBytes w = RdbBytes.redis(9).selectDb(0).key(RdbType.STRING, "k").len32(0x7fff0000L).ascii("only a few bytes");
        int end = w.size();
        byte[] rdb = w.bytes();
        assertThatThrownBy(() -> Recorder.decode(rdb)).isInstanceOf(RdbTruncatedException.class)
                .hasMessage("unexpected end of input while reading a string value: the RDB is truncated (at byte offset " + end + ")");
    }

    @Test
    void lzfLengthBeyondWhatTheDataCanHoldIsCorruptNotAllocated() {
        RdbBytes w = RdbBytes.redis(9).selectDb(0).key(RdbType.STRING, "k");
        int at = w.size();
        byte[] rdb = w.raw(0xc3).len(3).len32(0x7fff0000L).raw(0x01, 'a', 'b').eof();
        assertThatThrownBy(() -> Recorder.decode(rdb)).isInstanceOf(RdbFormatException.class)
                .hasMessage("corrupt LZF data: 3 compressed bytes cannot hold 2147418112 bytes in a string value in key 'k' (at byte offset " + at + ")");
    }

    @Test
    void streamFieldCountBeyondTheListpackIsCorruptNotAllocated() {
        byte[] lp = new ListpackBytes().integer(1).integer(0).integer(Integer.MAX_VALUE).str("f").integer(0).build();
        RdbBytes w = RdbBytes.redis(11).selectDb(0);
        int at = w.size();
        w.key(RdbType.STREAM_LISTPACKS_3, "s").len(1).str(StreamBytes.id16(1, 0)).str(lp);
        byte[] rdb = w.eof();
        assertThatThrownBy(() -> Recorder.decode(rdb)).isInstanceOf(RdbFormatException.class)
                .hasMessageStartingWith("corrupt STREAM_LISTPACKS_3 value of key 's' in db 0: ")
                .hasMessageEndingWith("(at byte offset " + at + ")");
    }

    /** A small RDB touching every opcode and most encodings. */
    static byte[] smallValidRdb() {
        RdbBytes w = RdbBytes.redis(12).aux("redis-ver", "7.4.1")
                .raw(RdbReader.OP_MODULE_AUX).len64(AllOpcodesRdbTest.MODULE).len(ModuleValue.OP_UINT).len(2);
        AllOpcodesRdbTest.moduleBody(w)
                .raw(RdbReader.OP_FUNCTION2).str("#!lua name=l\n")
                .selectDb(0).resizeDb(9, 1).raw(RdbReader.OP_SLOT_INFO).len(1).len(9).len(1)
                .expireMs(1800000000000L).raw(RdbReader.OP_IDLE).len(20).stringKey("s", "plain")
                .raw(RdbReader.OP_FREQ).raw(9).key(RdbType.STRING, "lzf").lzfStr("abcabcabcabcabcabc".getBytes())
                .key(RdbType.STRING, "int").intStr(-100000)
                .key(RdbType.LIST_ZIPLIST, "zl").str(new ZiplistBytes().str("a").int16(300).build())
                .key(RdbType.LIST_QUICKLIST_2, "ql").len(1).len(2).str(new ListpackBytes().str("b").integer(-5).build())
                .key(RdbType.SET_INTSET, "is").str(Packs.intset(2, 1, 2))
                .key(RdbType.ZSET_2, "z").len(1).str("m").u64le(Double.doubleToLongBits(1.5))
                .key(RdbType.HASH_METADATA, "hm").u64le(1800000000000L).len(1).len(1).str("f").str("v");
        w.key(RdbType.MODULE_2, "mod");
        AllOpcodesRdbTest.moduleBody(w.len64(AllOpcodesRdbTest.MODULE));
        w.key(RdbType.STREAM_LISTPACKS_3, "st");
        StreamBytes.nodes(w, new StreamBytes.Node(5, 0, "f").same(5, 0, false, "v").same(5, 1, true, "w")).len(1);
        StreamBytes.id(w, 5, 1);
        StreamBytes.id(w, 5, 0);
        StreamBytes.id(w, 5, 1);
        w.len(2).len(1).str("g");
        StreamBytes.id(w, 5, 0).len(1).len(1).raw(StreamBytes.id16(5, 0)).u64le(1000).len(1)
                .len(1).str("c").u64le(2000).u64le(1500).len(1).raw(StreamBytes.id16(5, 0));
        return w.expireSeconds(1800000000).stringKey("last", "x").eof();
    }

    @Test
    void truncatedAtEveryByteOffset() {
        byte[] rdb = smallValidRdb();
        assertThat(Recorder.decode(rdb)).contains("  entry 5-0 'f' 'v'").endsWith("end"); // the whole file is valid
        for (int len = 0; len < rdb.length; len++) {
            byte[] cut = Arrays.copyOf(rdb, len);
            for (boolean tiny : new boolean[] {false, true}) {
                int at = len;
                assertThatThrownBy(() -> Recorder.decode(tiny ? TinyReads.oneByteAtATime(cut) : new ByteArrayInputStream(cut)))
                        .as("cut to %d bytes%s", len, tiny ? ", one-byte reads" : "")
                        .isInstanceOf(RdbTruncatedException.class)
                        .hasMessageStartingWith("unexpected end of input while reading ")
                        .hasMessageContaining("the RDB is truncated")
                        .hasMessageEndingWith("(at byte offset " + at + ")")
                        .satisfies(e -> assertThat(((RdbFormatException) e).offset()).isEqualTo(at));
            }
        }
    }

    @Test
    void truncationMessageNamesWhatWasBeingRead() {
        byte[] rdb = smallValidRdb();
        assertThatThrownBy(() -> Recorder.decode(Arrays.copyOf(rdb, 4))).hasMessage(
                "unexpected end of input while reading the RDB header: the RDB is truncated (at byte offset 4)");
        assertThatThrownBy(() -> Recorder.decode(Arrays.copyOf(rdb, rdb.length - 3))).hasMessage(
                "unexpected end of input while reading the checksum after EOF: the RDB is truncated (at byte offset " + (rdb.length - 3) + ")");
    }
}
