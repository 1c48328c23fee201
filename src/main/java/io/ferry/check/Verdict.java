package io.ferry.check;

/** The outcome for one key: whether it is in the check's scope (type filter), and its difference if any. */
record Verdict(boolean inScope, Difference difference) {
    static final Verdict SAME = new Verdict(true, null);
    static final Verdict OUT_OF_SCOPE = new Verdict(false, null);

    static Verdict of(Difference d) {
        return new Verdict(true, d);
    }
}
