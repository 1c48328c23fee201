package io.ferry.cli;

import java.util.Locale;

/** Parses byte sizes such as 512, 64kb, 16MB, 1g (binary multiples). */
final class Sizes {
    private Sizes() {}

    static long parse(String s) {
        String t = s.trim().toLowerCase(Locale.ROOT).replace("ib", "").replace("b", "");
        long mul = 1;
        if (t.endsWith("k")) {
            mul = 1L << 10;
        } else if (t.endsWith("m")) {
            mul = 1L << 20;
        } else if (t.endsWith("g")) {
            mul = 1L << 30;
        }
        if (mul > 1) {
            t = t.substring(0, t.length() - 1);
        }
        try {
            return Math.multiplyExact(Long.parseLong(t.trim()), mul);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("invalid size '" + s + "' (examples: 4096, 64kb, 16mb, 1gb)");
        }
    }
}
