package io.ferry.rdb;

/**
 * Receives the decoded value of one key, element by element, so that a collection of any size
 * passes through in bounded memory. Only the callbacks of the key's type are called. Arrays
 * handed over belong to the receiver.
 */
public interface ValueSink {
    /** Announces the element count when the encoding stores it up front (-1 when unknown). */
    default void sizeHint(long elements) {}

    default void string(byte[] value) {}

    default void listElement(byte[] element) {}

    default void setMember(byte[] member) {}

    default void zsetEntry(byte[] member, double score) {}

    /** A hash field; {@code expireAtMs} is the field's absolute TTL in ms, or -1. */
    default void hashField(byte[] field, byte[] value, long expireAtMs) {}

    /** A live stream entry, in id order; {@code fields} alternates field, value. */
    default void streamEntry(StreamId id, java.util.List<byte[]> fields) {}

    /**
     * After its entries, the rest of a stream: counters, consumer groups with their PELs. (Groups
     * are held whole: PEL entries refer to consumers stored after them.)
     */
    default void stream(StreamValue stream) {}

    /**
     * Before an array's elements: how many it holds and its insert index (the position of the
     * last ARINSERT/ARRING, -1 when none).
     */
    default void arrayStart(long count, long insertIndex) {}

    /**
     * An array element, in index order. {@code index} is unsigned (print it with
     * Long.toUnsignedString); integers and doubles arrive as the strings the server prints.
     */
    default void arrayElement(long index, byte[] value) {}

    /**
     * A module value, kept serialized: {@code payload} is the value as DUMP holds it without its
     * footer (the MODULE_2 type byte, the module id, then the module's own data).
     */
    default void module(String moduleName, long moduleId, byte[] payload) {}
}
