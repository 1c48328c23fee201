package io.ferry.rdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Redis RDB 14's ARRAY: count, optional insert index, then (index, tag, value) per element. */
class ArrayTest {
    @Test
    void everyElementTagAnd64BitIndices() {
        byte[] rdb = RdbBytes.redis(14).selectDb(0)
                .key(RdbType.ARRAY, "a").len(5).len(0)
                .len(0).len(3).str("a") // small string
                .len(2).len(1).u64le(-42) // 8-byte integer
                .len(5).len(2).u64le(Double.doubleToLongBits(3.5)) // double
                .len(10).len(0).str("9223372036854775807") // sds string
                .len64(5_000_000_000L).len(0).str(new byte[] {0, (byte) 0xff})
                .eof();
        assertThat(EveryChunking.transcript(rdb)).containsExactly("header 14", "db 0", "key db=0 'a' ARRAY",
                "  array count=5 insert=none",
                "  [0] 'a'", "  [2] '-42'", "  [5] '3.5'", "  [10] '9223372036854775807'", "  [5000000000] '\\x00\\xff'",
                "end");
    }

    @Test
    void anInsertIndex() {
        byte[] rdb = RdbBytes.redis(14).selectDb(1).expireMs(7258118400001L)
                .key(RdbType.ARRAY, "ring").len(2).len(1).len(1)
                .len(0).len(3).str("r5")
                .len(1).len(3).str("r6")
                .eof();
        assertThat(EveryChunking.transcript(rdb)).containsExactly("header 14", "db 1", "key db=1 'ring' ARRAY expire=7258118400001",
                "  array count=2 insert=1", "  [0] 'r5'", "  [1] 'r6'", "end");
    }

    @Test
    void anUnknownTagIsCorrupt() {
        RdbBytes w = RdbBytes.redis(14).selectDb(0);
        int at = w.size();
        byte[] rdb = w.key(RdbType.ARRAY, "a").len(1).len(0).len(0).len(4).str("x").eof();
        assertThatThrownBy(() -> Recorder.decode(rdb)).isInstanceOf(RdbFormatException.class)
                .hasMessage("corrupt ARRAY value of key 'a' in db 0: unknown array element tag 4 (at byte offset " + at + ")");
    }
}
