package io.ferry.rdb;

/**
 * Everything known about a key before its value is read: where it lives, its type, expiry and
 * the eviction hints stored before it.
 */
public final class KeyHeader {
    public static final long NO_EXPIRE = -1;

    public final int db;
    public final byte[] key;
    public final int rdbType;
    /** Absolute Unix time in ms, or {@link #NO_EXPIRE}. */
    public final long expireAtMs;
    /** LRU idle seconds from an IDLE opcode, or -1. */
    public final long idleSeconds;
    /** LFU counter from a FREQ opcode, or -1. */
    public final int lfuFreq;
    /** Byte offset of the key's type byte in the input. */
    public final long offset;
    /** Module key metadata stored before the key (Redis RDB 13+ KEY_META); empty when none. */
    public final java.util.List<KeyMetadata> keyMetadata;

    /**
     * Scratch slot for whoever writes this key to a target and needs state shared by the key's
     * commands (the target applier counts each key once, however many commands it took).
     */
    public Object applyState;

    public KeyHeader(int db, byte[] key, int rdbType, long expireAtMs, long idleSeconds, int lfuFreq, long offset) {
        this(db, key, rdbType, expireAtMs, idleSeconds, lfuFreq, offset, java.util.List.of());
    }

    public KeyHeader(int db, byte[] key, int rdbType, long expireAtMs, long idleSeconds, int lfuFreq, long offset,
            java.util.List<KeyMetadata> keyMetadata) {
        this.keyMetadata = keyMetadata;
        this.db = db;
        this.key = key;
        this.rdbType = rdbType;
        this.expireAtMs = expireAtMs;
        this.idleSeconds = idleSeconds;
        this.lfuFreq = lfuFreq;
        this.offset = offset;
    }

    /** This header with another name (a key written under a --db-prefix); the rest, expiry included, is kept. */
    public KeyHeader withKey(byte[] name) {
        return new KeyHeader(db, name, rdbType, expireAtMs, idleSeconds, lfuFreq, offset, keyMetadata);
    }

    public ValueType type() {
        return RdbType.valueType(rdbType);
    }
}
