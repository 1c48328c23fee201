package io.ferry.rdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LzfTest {
    private static byte[] b(int... v) {
        byte[] out = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (byte) v[i];
        }
        return out;
    }

    private static String lzf(byte[] in, int outLen) {
        return new String(Lzf.decompress(in, in.length, outLen), StandardCharsets.ISO_8859_1);
    }

    @Test
    void literalRun() {
        // ctrl < 32: a literal run of ctrl+1 bytes
        assertThat(lzf(b(0x02, 'a', 'b', 'c'), 3)).isEqualTo("abc");
    }

    @Test
    void longestLiteralRunIs32Bytes() {
        byte[] in = new byte[33];
        in[0] = 31;
        for (int i = 1; i <= 32; i++) {
            in[i] = (byte) ('A' + i % 26);
        }
        assertThat(lzf(in, 32)).hasSize(32).isEqualTo(new String(in, 1, 32, StandardCharsets.ISO_8859_1));
    }

    @Test
    void backReference() {
        // "abcdX" literal, then copy 4 bytes from 5 back: ctrl = (4-2)<<5, offset byte = 5-1
        assertThat(lzf(b(0x04, 'a', 'b', 'c', 'd', 'X', 0x40, 0x04), 9)).isEqualTo("abcdXabcd");
    }

    @Test
    void overlappingBackReferenceRepeatsARun() {
        // "abc", then copy 6 bytes from 3 back: the source overlaps what is being written
        assertThat(lzf(b(0x02, 'a', 'b', 'c', 0x80, 0x02), 9)).isEqualTo("abcabcabc");
        // distance 1: run-length of one byte
        assertThat(lzf(b(0x00, 'z', 0x20, 0x00), 4)).isEqualTo("zzzz");
    }

    @Test
    void longBackReferenceUsesALengthByte() {
        // ctrl length field 7 means 7 + next byte; 'a' then 264 more 'a' (the maximum), then 35 more
        String s = lzf(b(0x00, 'a', 0xe0, 255, 0x00, 0xe0, 26, 0x00), 300);
        assertThat(s).isEqualTo("a".repeat(300));
    }

    @Test
    void farBackReferenceUsesTheHighOffsetBits() {
        // 300 literal bytes, then copy 3 bytes from 300 back: offset-1 = 299 = 0x12b
        java.io.ByteArrayOutputStream in = new java.io.ByteArrayOutputStream();
        StringBuilder expect = new StringBuilder();
        for (int chunk = 0; chunk < 10; chunk++) {
            in.write(29);
            for (int i = 0; i < 30; i++) {
                char c = (char) ('0' + (chunk * 30 + i) % 75);
                in.write(c);
                expect.append(c);
            }
        }
        in.write(0x20 | 0x01);
        in.write(0x2b);
        expect.append(expect, 0, 3);
        byte[] c = in.toByteArray();
        assertThat(lzf(c, 303)).isEqualTo(expect.toString());
    }

    @Test
    void backReferenceBeforeTheStartIsCorrupt() {
        assertThatThrownBy(() -> Lzf.decompress(b(0x00, 'a', 0x20, 0x05), 4, 4))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("back reference out of range");
    }

    @Test
    void literalRunPastTheInputIsCorrupt() {
        assertThatThrownBy(() -> Lzf.decompress(b(0x05, 'a', 'b'), 3, 6))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("literal run past the end");
    }

    @Test
    void literalRunPastTheOutputIsCorrupt() {
        assertThatThrownBy(() -> Lzf.decompress(b(0x02, 'a', 'b', 'c'), 4, 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("literal run past the end");
    }

    @Test
    void truncatedBackReferenceIsCorrupt() {
        assertThatThrownBy(() -> Lzf.decompress(b(0x00, 'a', 0x20), 3, 4))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("truncated back reference");
        assertThatThrownBy(() -> Lzf.decompress(b(0x00, 'a', 0xe0, 0x10), 4, 30))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("truncated back reference");
    }

    @Test
    void backReferencePastTheOutputIsCorrupt() {
        assertThatThrownBy(() -> Lzf.decompress(b(0x00, 'a', 0x80, 0x00), 4, 3))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("back reference out of range");
    }

    @Test
    void shortOutputIsCorrupt() {
        assertThatThrownBy(() -> Lzf.decompress(b(0x02, 'a', 'b', 'c'), 4, 5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("3 bytes decompressed, 5 expected");
    }

    @Test
    void compressedStringInAnRdbUnderEveryChunking() {
        byte[] value = "hello hello hello hello, LZF!".getBytes(StandardCharsets.US_ASCII);
        byte[] rdb = RdbBytes.redis(9).selectDb(0).key(RdbType.STRING, "k").lzfStr(value).eof();
        assertThat(EveryChunking.transcript(rdb)).containsExactly(
                "header 9", "db 0", "key db=0 'k' STRING", "  = 'hello hello hello hello, LZF!'", "end");
    }

    @Test
    void corruptCompressedStringInAnRdbNamesTheKeyAndOffset() {
        RdbBytes w = RdbBytes.redis(9).selectDb(0);
        int keyAt = w.size();
        w.key(RdbType.STRING, "k");
        int valueAt = w.size();
        byte[] rdb = w.raw(0xc3).len(4).len(4).raw(0x00, 'a', 0x20, 0x05).eof();
        assertThatThrownBy(() -> Recorder.decode(rdb))
                .isInstanceOf(RdbFormatException.class)
                .hasMessageContaining("corrupt LZF data")
                .hasMessageContaining("key 'k'")
                .hasMessageEndingWith("(at byte offset " + valueAt + ")")
                .satisfies(e -> assertThat(((RdbFormatException) e).offset()).isEqualTo(valueAt).isGreaterThan(keyAt));
    }
}
