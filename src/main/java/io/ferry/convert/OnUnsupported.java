package io.ferry.convert;

/** What to do with a value the target cannot hold at all (a module type it cannot take): stop, or leave the key out and count it. */
public enum OnUnsupported {
    FAIL,
    SKIP
}
