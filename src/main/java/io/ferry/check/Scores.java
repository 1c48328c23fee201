package io.ferry.check;

/** Sorted-set scores as servers print them ("1.5", "inf", "-inf"). */
final class Scores {
    private Scores() {}

    static double parse(String s) {
        switch (s) {
            case "inf", "+inf", "Infinity", "+Infinity" -> {
                return Double.POSITIVE_INFINITY;
            }
            case "-inf", "-Infinity" -> {
                return Double.NEGATIVE_INFINITY;
            }
            default -> {
                return Double.parseDouble(s);
            }
        }
    }

    /** Equal as numbers (the two servers may print the same score differently). */
    static boolean same(double a, double b) {
        return a == b || Double.isNaN(a) && Double.isNaN(b);
    }
}
