package io.ferry.check;

import java.util.Locale;

/**
 * What differs about a key, most serious first: a key reports only its most serious difference (a key whose value
 * and TTL both differ is a {@link #VALUE} difference).
 */
public enum Kind {
    /** On the source, not on the target. */
    MISSING,
    /** On the target, not on the source. */
    EXTRA,
    TYPE,
    /** Same type, different element count or string length. */
    SIZE,
    VALUE,
    /** Expiries further apart than the tolerance, or an expiry on one side only. */
    TTL;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
