package io.ferry.rdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Crc64Test {
    /** Bit-at-a-time reference with the reflected Jones polynomial, as crc64.c's crc64_slow. */
    static long reference(byte[] b) {
        long crc = 0;
        for (byte x : b) {
            crc ^= x & 0xff;
            for (int k = 0; k < 8; k++) {
                crc = (crc & 1) != 0 ? (crc >>> 1) ^ 0x95ac9329ac4bc9b5L : crc >>> 1;
            }
        }
        return crc;
    }

    @Test
    void checkValueOf123456789() {
        // The check value Redis' crc64.c self-test asserts.
        byte[] b = "123456789".getBytes(StandardCharsets.US_ASCII);
        assertThat(Crc64.of(b)).isEqualTo(0xe9c6d914c4b8d9caL);
        assertThat(reference(b)).isEqualTo(0xe9c6d914c4b8d9caL);
    }

    @Test
    void redisSelfTestLongString() {
        // Second vector of crc64.c's self-test (exercises the 8-byte slices).
        byte[] b = ("This is a test of the emergency broadcast system.").getBytes(StandardCharsets.US_ASCII);
        assertThat(Crc64.of(b)).isEqualTo(reference(b));
        assertThat(Crc64.of("Whoever you are, ".getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo(reference("Whoever you are, ".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void emptyInputIsZero() {
        assertThat(Crc64.of(new byte[0])).isZero();
    }

    @Test
    void incrementalUpdateGivesTheSameCrcAtEverySplit() {
        byte[] b = new byte[300];
        new Random(7).nextBytes(b);
        long whole = Crc64.of(b);
        assertThat(whole).isEqualTo(reference(b));
        for (int at = 0; at <= b.length; at++) {
            long c = Crc64.update(Crc64.update(0, b, 0, at), b, at, b.length - at);
            assertThat(c).as("split at %d", at).isEqualTo(whole);
        }
        long c = 0;
        for (int i = 0; i < b.length; i++) {
            c = Crc64.update(c, b, i, 1);
        }
        assertThat(c).as("one byte at a time").isEqualTo(whole);
    }

    @Test
    void everyLengthAndAlignmentMatchesTheReference() {
        // The slice-by-8 loop and the byte tail must agree for every length mod 8 and start offset.
        byte[] b = new byte[64];
        new Random(11).nextBytes(b);
        for (int off = 0; off < 8; off++) {
            for (int len = 0; off + len <= b.length; len++) {
                byte[] part = java.util.Arrays.copyOfRange(b, off, off + len);
                assertThat(Crc64.update(0, b, off, len)).as("off %d len %d", off, len).isEqualTo(reference(part));
            }
        }
    }

    @Test
    void readerVerifiesTheChecksumUnderEveryChunking() {
        byte[] rdb = RdbBytes.redis(9).aux("redis-ver", "5.0.0").selectDb(0).stringKey("k", "v").eof();
        assertThat(EveryChunking.transcript(rdb)).endsWith("end");
        // and the same bytes with one bit of the checksum flipped fail under every chunking
        rdb[rdb.length - 1] ^= 1;
        for (int at = 1; at < rdb.length; at++) {
            int split = at;
            assertThatThrownBy(() -> Recorder.decode(io.ferry.testing.TinyReads.splitAt(rdb, split)))
                    .isInstanceOf(RdbFormatException.class).hasMessageContaining("CRC64 checksum mismatch");
        }
    }
}
