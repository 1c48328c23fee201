package io.ferry.check;

import java.util.Arrays;

/** A byte string usable as a map key or set member (equal by content). */
final class Bytes {
    final byte[] b;
    private final int hash;

    Bytes(byte[] b) {
        this.b = b;
        this.hash = Arrays.hashCode(b);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Bytes x && Arrays.equals(x.b, b);
    }

    @Override
    public int hashCode() {
        return hash;
    }
}
