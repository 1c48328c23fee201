package io.ferry.rdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Crc64BitwiseTest {
    /** Bit by bit, straight from the definition (reflected Jones polynomial, init 0, no final xor). */
    static long reference(byte[] b, int off, int len) {
        long crc = 0;
        for (int i = off; i < off + len; i++) {
            crc ^= b[i] & 0xffL;
            for (int k = 0; k < 8; k++) {
                crc = (crc & 1) != 0 ? (crc >>> 1) ^ 0x95ac9329ac4bc9b5L : crc >>> 1;
            }
        }
        return crc;
    }

    @Test
    void redisCheckValue() {
        // Redis's crc64.c self-test: crc64(0, "123456789", 9) == 0xe9c6d914c4b8d9ca
        assertThat(Crc64.of("123456789".getBytes(StandardCharsets.US_ASCII))).isEqualTo(0xe9c6d914c4b8d9caL);
    }

    @Test
    void agreesWithTheBitwiseDefinitionAtEveryOffsetLengthAndSplit() {
        byte[] b = new byte[160];
        new Random(7).nextBytes(b);
        for (int off = 0; off < 9; off++) {
            for (int len = 0; off + len <= b.length; len++) {
                long want = reference(b, off, len);
                assertThat(Crc64.update(0, b, off, len)).as("off %d len %d", off, len).isEqualTo(want);
                int split = len / 3;
                long pieces = Crc64.update(Crc64.update(0, b, off, split), b, off + split, len - split);
                assertThat(pieces).as("off %d len %d split %d", off, len, split).isEqualTo(want);
            }
        }
    }
}
