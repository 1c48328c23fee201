package io.ferry.rdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class IntsetTest {
    @Test
    void sixteenThirtyTwoAndSixtyFourBitInAnRdbUnderEveryChunking() {
        byte[] rdb = RdbBytes.redis(9).selectDb(0)
                .key(RdbType.SET_INTSET, "s16").str(Packs.intset(2, -32768, -1, 0, 32767))
                .key(RdbType.SET_INTSET, "s32").str(Packs.intset(4, Integer.MIN_VALUE, -32769, 65536, Integer.MAX_VALUE))
                .key(RdbType.SET_INTSET, "s64").str(Packs.intset(8, Long.MIN_VALUE, -(1L << 40), 1L << 33, Long.MAX_VALUE))
                .key(RdbType.SET_INTSET, "empty").str(Packs.intset(2))
                .eof();
        assertThat(EveryChunking.transcript(rdb)).containsExactly("header 9", "db 0",
                "key db=0 's16' SET_INTSET", "  set '-32768'", "  set '-1'", "  set '0'", "  set '32767'",
                "key db=0 's32' SET_INTSET", "  set '-2147483648'", "  set '-32769'", "  set '65536'", "  set '2147483647'",
                "key db=0 's64' SET_INTSET", "  set '-9223372036854775808'", "  set '-1099511627776'", "  set '8589934592'",
                "  set '9223372036854775807'",
                "key db=0 'empty' SET_INTSET",
                "end");
    }

    @Test
    void countAndNextLong() {
        Intset s = new Intset(Packs.intset(4, -5, 7));
        assertThat(s.count()).isEqualTo(2);
        assertThat(s.nextLong()).isEqualTo(-5);
        assertThat(s.nextLong()).isEqualTo(7);
        assertThat(s.hasNext()).isFalse();
    }

    @Test
    void invalidWidth() {
        assertThatThrownBy(() -> new Intset(Packs.intset(3, 1))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid intset encoding 3");
    }

    @Test
    void countMustMatchTheBlob() {
        byte[] b = Packs.intset(2, 1, 2, 3);
        b[4] = 4;
        assertThatThrownBy(() -> new Intset(b)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("intset of 4 x 2 bytes does not match its 14-byte blob");
    }

    @Test
    void tooShort() {
        assertThatThrownBy(() -> new Intset(new byte[] {2, 0, 0, 0})).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("intset of 4 bytes is too short");
    }

    @Test
    void corruptIntsetInAnRdbNamesTheKeyAndOffset() {
        RdbBytes w = RdbBytes.redis(9).selectDb(0);
        int at = w.size();
        byte[] rdb = w.key(RdbType.SET_INTSET, "s").str(Packs.intset(5, 1)).eof();
        assertThatThrownBy(() -> Recorder.decode(rdb)).isInstanceOf(RdbFormatException.class)
                .hasMessage("corrupt SET_INTSET value of key 's' in db 0: invalid intset encoding 5 (at byte offset " + at + ")");
    }
}
