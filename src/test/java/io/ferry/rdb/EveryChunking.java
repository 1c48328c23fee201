package io.ferry.rdb;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.testing.TinyReads;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.List;
import java.util.function.Function;

/**
 * Decodes an input read whole, then one byte at a time, then split in two at every byte
 * boundary, and asserts every way gives the same transcript. The reader buffers and folds the
 * CRC lazily, so each boundary is a distinct path through its refill code.
 */
public final class EveryChunking {
    private EveryChunking() {}

    /** The transcript, after checking that every chunking agrees with the whole read. */
    static List<String> transcript(byte[] rdb) {
        return check(rdb, Recorder::decode);
    }

    public static <T> T check(byte[] rdb, Function<InputStream, T> decode) {
        T whole = decode.apply(new ByteArrayInputStream(rdb));
        assertThat(decode.apply(TinyReads.oneByteAtATime(rdb))).as("one byte at a time").isEqualTo(whole);
        for (int at = 1; at < rdb.length; at++) {
            assertThat(decode.apply(TinyReads.splitAt(rdb, at))).as("split at byte %d", at).isEqualTo(whole);
        }
        return whole;
    }
}
