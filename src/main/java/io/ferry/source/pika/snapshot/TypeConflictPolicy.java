package io.ferry.source.pika.snapshot;

import java.util.Locale;

/** What to do with a name that holds several types (Pika ≤ 3.5; Redis allows one). */
public enum TypeConflictPolicy {
    /** Keep the type TYPE reports first, drop the others. */
    FIRST,
    /** The first type keeps the name, the others are written as {@code name:<typeName>}. */
    SUFFIX,
    /** Leave the name out entirely. */
    SKIP;

    /** Parses the {@code --pika-type-conflict} value: first, suffix or skip (any case). */
    public static TypeConflictPolicy parse(String s) {
        if (s != null) {
            switch (s.trim().toLowerCase(Locale.ROOT)) {
                case "first": return FIRST;
                case "suffix": return SUFFIX;
                case "skip": return SKIP;
                default: break;
            }
        }
        throw new IllegalArgumentException("--pika-type-conflict must be first, suffix or skip, not " + s);
    }
}
