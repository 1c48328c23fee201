package io.ferry.rdb;

import java.nio.charset.StandardCharsets;

/** Number ↔ text conversions shared by the decoders. */
public final class Ints {
    private Ints() {}

    public static byte[] ascii(long v) {
        return Long.toString(v).getBytes(StandardCharsets.US_ASCII);
    }

    /** Parses a zset score as Redis prints it ("inf", "-inf", "nan", or a decimal). */
    public static double parseScore(byte[] b) {
        String s = new String(b, StandardCharsets.US_ASCII).trim();
        switch (s.toLowerCase(java.util.Locale.ROOT)) {
            case "inf": case "+inf": case "infinity": case "+infinity": return Double.POSITIVE_INFINITY;
            case "-inf": case "-infinity": return Double.NEGATIVE_INFINITY;
            case "nan": return Double.NaN;
            default:
                try {
                    return Double.parseDouble(s);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("invalid zset score '" + s + "'");
                }
        }
    }

    /** Formats a score the way Redis 7 does (shortest round-trip text, "inf"/"-inf", integers without ".0"). */
    public static String formatScore(double d) {
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        if (Double.isNaN(d)) {
            return "nan";
        }
        if (d == Math.rint(d) && Math.abs(d) < 1e17) {
            return Long.toString((long) d);
        }
        return Double.toString(d);
    }
}
