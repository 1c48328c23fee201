package io.ferry.convert;

import java.nio.charset.StandardCharsets;

/** Small helpers to build argv arrays. */
public final class Args {
    private Args() {}

    public static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    public static byte[] b(long v) {
        return Long.toString(v).getBytes(StandardCharsets.US_ASCII);
    }
}
