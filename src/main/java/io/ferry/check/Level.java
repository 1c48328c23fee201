package io.ferry.check;

import java.util.Locale;

/** How deep the check compares a key present on both sides. */
public enum Level {
    /** Existence only. */
    KEYS,
    /** Existence, type, size (STRLEN/LLEN/SCARD/ZCARD/HLEN/XLEN) and TTL. */
    TYPE,
    /** Everything {@link #TYPE} compares, plus every value. */
    FULL;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
