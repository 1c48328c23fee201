package io.ferry.check;

import io.ferry.rdb.ValueType;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One side's view of one key, filled in stages (existence, TTL and strings; then the type of other keys; then
 * sizes; then small values) by
 * {@link ServerReader}, or given whole by an RDB file. Small values are held normalized for comparison:
 * string {@code byte[]}, list {@code List<byte[]>}, set {@code Set<Bytes>}, hash {@code Map<Bytes, Bytes>},
 * zset {@code Map<Bytes, Double>}, stream {@code List<StreamEntry>}.
 */
final class KeyState {
    static final long ABSENT_TTL = -2;
    static final long NO_EXPIRY = -1;

    final byte[] key;
    /** The name the source holds the value under (a Pika source: the target name may carry a {@code :type} suffix). */
    byte[] sourceKey;
    /** The source cannot tell this key's TTL (a Pika type other than its name's first): TTLs are not compared. */
    boolean ttlUnknown;
    /** Whether the key exists. */
    boolean present;
    /** null when the key does not exist, or while its type is not known yet. */
    ValueType type;
    /** As TYPE names it (a module's type name for module values). */
    String typeName;
    /** Remaining time to live in ms, {@link #NO_EXPIRY}, or {@link #ABSENT_TTL}. */
    long pttl = ABSENT_TTL;
    /** For states read from a file: absolute expiry in ms (-1: none), turned into {@link #pttl} at compare time. */
    long expireAtMs = Long.MIN_VALUE;
    /** Element count or string length; -1 while unknown. */
    long size = -1;
    /** Strings: the first window of the value (the whole value when {@code size} fits the window). */
    byte[] head;
    /** Small collections: the whole normalized value. */
    Object value;
    /** Streams: last id and groups. */
    StreamInfo stream;
    /** The key changed type while it was being read. */
    boolean changed;

    // Reply handles of the commands queued for the current stage.
    int h0 = -1;
    int h1 = -1;
    int h2 = -1;
    int h3 = -1;

    KeyState(byte[] key) {
        this.key = key;
        this.sourceKey = key;
    }

    static KeyState absent(byte[] key) {
        return new KeyState(key);
    }

    /** A state read from a file: type, absolute expiry (-1 none) and, once known, size and value. */
    static KeyState fromFile(byte[] key, ValueType type, String typeName, long expireAtMs) {
        KeyState s = new KeyState(key);
        s.present = true;
        s.type = type;
        s.typeName = typeName;
        s.expireAtMs = expireAtMs;
        s.pttl = NO_EXPIRY;
        return s;
    }

    boolean exists() {
        return present;
    }

    void gone() {
        present = false;
        type = null;
        typeName = null;
        pttl = ABSENT_TTL;
    }

    /** Turns a file's absolute expiry into a remaining TTL as of {@code nowMs}; a past expiry makes the key absent. */
    void resolveExpiry(long nowMs) {
        if (!present || expireAtMs == Long.MIN_VALUE) {
            return;
        }
        if (expireAtMs < 0) {
            pttl = NO_EXPIRY;
        } else if (expireAtMs <= nowMs) {
            gone();
        } else {
            pttl = expireAtMs - nowMs;
        }
    }

    /** Type, size and TTL, for reports. */
    Map<String, Object> describe(boolean withSize, boolean withTtl) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", typeName != null ? typeName : type == null ? "none" : type.label());
        if (withSize && size >= 0) {
            m.put("size", size);
        }
        if (withTtl) {
            m.put("ttl_ms", pttl);
        }
        return m;
    }

    static String sizeCommand(ValueType t) {
        return switch (t) {
            case STRING -> "STRLEN";
            case LIST -> "LLEN";
            case SET -> "SCARD";
            case ZSET -> "ZCARD";
            case HASH -> "HLEN";
            case STREAM -> "XLEN";
            case ARRAY -> "ARCOUNT";
            case MODULE -> null;
        };
    }

    /** The logical type for a TYPE reply; null for "none", MODULE for anything unknown (a module's type name). */
    static ValueType parseType(String name) {
        return switch (name) {
            case "none" -> null;
            case "string" -> ValueType.STRING;
            case "list" -> ValueType.LIST;
            case "set" -> ValueType.SET;
            case "zset" -> ValueType.ZSET;
            case "hash" -> ValueType.HASH;
            case "stream" -> ValueType.STREAM;
            case "array" -> ValueType.ARRAY;
            default -> ValueType.MODULE;
        };
    }
}
