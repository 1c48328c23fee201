package io.ferry.rdb;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Small helpers shared by the test-side blob builders. */
public final class Packs {
    private Packs() {}

    static void le(ByteArrayOutputStream out, long v, int n) {
        for (int i = 0; i < n; i++) {
            out.write((int) (v >>> (8 * i)));
        }
    }

    /**
     * The value of {@code s} when it is a canonical decimal long (no sign but '-', no leading
     * zeros, not "-0"), which is when Redis stores a string as an integer; else null.
     */
    static Long canonicalLong(byte[] s) {
        if (s.length == 0 || s.length > 20) {
            return null;
        }
        String t = new String(s, StandardCharsets.ISO_8859_1);
        try {
            long v = Long.parseLong(t);
            return Long.toString(v).equals(t) ? v : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** An intset blob: encoding width, count, sorted little-endian values. */
    public static byte[] intset(int width, long... sortedValues) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        le(out, width, 4);
        le(out, sortedValues.length, 4);
        for (long v : sortedValues) {
            le(out, v, width);
        }
        return out.toByteArray();
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
