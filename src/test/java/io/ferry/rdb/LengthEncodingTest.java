package io.ferry.rdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** RDB length prefixes: 00 6-bit, 01 14-bit big-endian, 0x80 32-bit BE, 0x81 64-bit BE. */
class LengthEncodingTest {
    private static List<String> resize(java.util.function.Consumer<RdbBytes> lengths) {
        RdbBytes w = RdbBytes.redis(9).raw(RdbReader.OP_RESIZEDB);
        lengths.accept(w);
        return EveryChunking.transcript(w.eof());
    }

    @Test
    void sixBit() {
        assertThat(resize(w -> w.raw(0x00).raw(0x3f))).contains("resize 0 63");
    }

    @Test
    void fourteenBit() {
        // 0x40|hi, lo: 64 and the largest, 16383
        assertThat(resize(w -> w.raw(0x40, 0x40).raw(0x7f, 0xff))).contains("resize 64 16383");
    }

    @Test
    void thirtyTwoBit() {
        assertThat(resize(w -> w.raw(0x80, 0x00, 0x00, 0x40, 0x00).raw(0x80, 0xff, 0xff, 0xff, 0xff)))
                .contains("resize 16384 4294967295");
    }

    @Test
    void sixtyFourBit() {
        assertThat(resize(w -> w.raw(0x81, 0, 0, 0, 1, 0, 0, 0, 0).raw(0x81, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe)))
                .contains("resize 4294967296 9223372036854775806");
    }

    @Test
    void nonMinimalEncodingsAreAccepted() {
        // Redis always writes the shortest form, but its loader accepts any; so do we.
        assertThat(resize(w -> w.len14(5).len64(7))).contains("resize 5 7");
        assertThat(resize(w -> w.len32(0).len32(63))).contains("resize 0 63");
    }

    @Test
    void allOnes64BitReadsAsMinusOne() {
        // A stream group's unknown entries-read counter is -1 written as an unsigned length.
        assertThat(resize(w -> w.len64(-1).len(1))).contains("resize -1 1");
    }

    @Test
    void lengthsOfStringsInEachEncoding() {
        byte[] rdb = RdbBytes.redis(9).selectDb(0)
                .key(RdbType.STRING, "a").len6(2).ascii("ab")
                .key(RdbType.STRING, "b").len14(3).ascii("abc")
                .key(RdbType.STRING, "c").len32(1).ascii("x")
                .key(RdbType.STRING, "d").len64(2).ascii("yz")
                .key(RdbType.STRING, "e").len(100).ascii("q".repeat(100))
                .eof();
        assertThat(EveryChunking.transcript(rdb)).containsExactly("header 9", "db 0",
                "key db=0 'a' STRING", "  = 'ab'",
                "key db=0 'b' STRING", "  = 'abc'",
                "key db=0 'c' STRING", "  = 'x'",
                "key db=0 'd' STRING", "  = 'yz'",
                "key db=0 'e' STRING", "  = '" + "q".repeat(100) + "'",
                "end");
    }

    @Test
    void fourteenBitCollectionSize() {
        RdbBytes w = RdbBytes.redis(9).selectDb(0).key(RdbType.LIST, "l").len14(300);
        for (int i = 0; i < 300; i++) {
            w.str("e" + i);
        }
        List<String> t = EveryChunking.transcript(w.eof());
        assertThat(t).hasSize(2 + 1 + 300 + 1).contains("  list 'e0'", "  list 'e299'");
    }

    @Test
    void invalidPrefixIsAnErrorAtItsOffset() {
        RdbBytes w = RdbBytes.redis(9).raw(RdbReader.OP_SELECTDB);
        int at = w.size();
        byte[] rdb = w.raw(0x82, 0, 0, 0, 0).eof();
        assertThatThrownBy(() -> Recorder.decode(rdb)).isInstanceOf(RdbFormatException.class)
                .hasMessage("invalid length prefix 0x82 for a SELECTDB number (at byte offset " + at + ")");
    }

    @Test
    void encodedStringWhereALengthBelongsIsAnError() {
        RdbBytes w = RdbBytes.redis(9).raw(RdbReader.OP_SELECTDB);
        int at = w.size();
        byte[] rdb = w.raw(0xc0, 1).eof();
        assertThatThrownBy(() -> Recorder.decode(rdb)).isInstanceOf(RdbFormatException.class)
                .hasMessage("unexpected encoded string where a SELECTDB number (a length) was expected (at byte offset " + at + ")");
    }

    @Test
    void stringLongerThanAJavaArrayIsAnError() {
        RdbBytes w = RdbBytes.redis(9).selectDb(0).key(RdbType.STRING, "k");
        int at = w.size();
        byte[] rdb = w.len64(1L << 40).eof();
        assertThatThrownBy(() -> Recorder.decode(rdb)).isInstanceOf(RdbFormatException.class)
                .hasMessageContaining("length 1099511627776 of a string value is too large")
                .hasMessageContaining("key 'k'")
                .hasMessageEndingWith("(at byte offset " + at + ")");
    }
}
