package io.ferry.rdb;

/** Walks the elements of a compact encoding (ziplist, listpack, intset) held in one blob. */
interface PackCursor {
    boolean hasNext();

    /** The next element; integers come back as their decimal text, as Redis would return them. */
    byte[] next();

    /** The next element as a number (integer encodings directly, strings parsed). */
    default long nextLong() {
        byte[] b = next();
        try {
            return Long.parseLong(new String(b, java.nio.charset.StandardCharsets.US_ASCII));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected an integer element, got " + b.length + " bytes of text");
        }
    }
}
