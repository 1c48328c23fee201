package io.ferry.rdb;

import java.util.Locale;

/** Logical value types, as TYPE reports them (plus module values). */
public enum ValueType {
    STRING, LIST, SET, ZSET, HASH, STREAM, MODULE, ARRAY;

    private final String label = name().toLowerCase(Locale.ROOT); // asked for once per key: computed once

    /** The lower-case name used on the command line and in JSON output. */
    public String label() {
        return label;
    }

    public static ValueType parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown type '" + s + "' (expected string, list, set, zset, hash, stream, module or array)");
        }
    }
}
