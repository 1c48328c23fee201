package io.ferry.rdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Integer-encoded strings (0xC0 int8, 0xC1 int16 LE, 0xC2 int32 LE), for values and key names. */
class StringEncodingTest {
    @Test
    void integerEncodedValues() {
        byte[] rdb = RdbBytes.redis(9).selectDb(0)
                .key(RdbType.STRING, "i8a").raw(0xc0, 0x00)
                .key(RdbType.STRING, "i8b").raw(0xc0, 0x7f)
                .key(RdbType.STRING, "i8c").raw(0xc0, 0x80)
                .key(RdbType.STRING, "i8d").raw(0xc0, 0xff)
                .key(RdbType.STRING, "i16a").raw(0xc1, 0x00, 0x80)
                .key(RdbType.STRING, "i16b").raw(0xc1, 0xff, 0x7f)
                .key(RdbType.STRING, "i16c").raw(0xc1, 0x80, 0x00)
                .key(RdbType.STRING, "i32a").raw(0xc2, 0x00, 0x00, 0x00, 0x80)
                .key(RdbType.STRING, "i32b").raw(0xc2, 0xff, 0xff, 0xff, 0x7f)
                .key(RdbType.STRING, "i32c").raw(0xc2, 0x00, 0x80, 0x00, 0x00)
                .eof();
        assertThat(EveryChunking.transcript(rdb)).containsExactly("header 9", "db 0",
                "key db=0 'i8a' STRING", "  = '0'",
                "key db=0 'i8b' STRING", "  = '127'",
                "key db=0 'i8c' STRING", "  = '-128'",
                "key db=0 'i8d' STRING", "  = '-1'",
                "key db=0 'i16a' STRING", "  = '-32768'",
                "key db=0 'i16b' STRING", "  = '32767'",
                "key db=0 'i16c' STRING", "  = '128'",
                "key db=0 'i32a' STRING", "  = '-2147483648'",
                "key db=0 'i32b' STRING", "  = '2147483647'",
                "key db=0 'i32c' STRING", "  = '32768'",
                "end");
    }

    @Test
    void integerEncodedKeyNamesAndAuxValues() {
        // Redis integer-encodes any short numeric string, key names and aux values included.
        byte[] rdb = RdbBytes.redis(9).raw(RdbReader.OP_AUX).str("redis-bits").raw(0xc0, 64)
                .selectDb(0).raw(RdbType.STRING).raw(0xc1, 0x39, 0x30).intStr(-7)
                .eof();
        assertThat(EveryChunking.transcript(rdb)).containsExactly("header 9", "aux 'redis-bits'='64'", "db 0",
                "key db=0 '12345' STRING", "  = '-7'", "end");
    }

    @Test
    void unknownStringEncodingIsAnError() {
        RdbBytes w = RdbBytes.redis(9).selectDb(0).key(RdbType.STRING, "k");
        int at = w.size();
        byte[] rdb = w.raw(0xc4, 0).eof();
        assertThatThrownBy(() -> Recorder.decode(rdb)).isInstanceOf(RdbFormatException.class)
                .hasMessage("unknown string encoding 4 for a string value in key 'k' (at byte offset " + at + ")");
    }
}
