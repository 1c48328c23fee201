package io.ferry.rdb;

/**
 * RDB value types and what they hold. Names follow the RDB_TYPE_* constants of the writing
 * server's rdb.h. Redis and Valkey number their types alike up to 21 and then part ways (Valkey's
 * 22 is HASH_2, Redis' 22 a 7.4 release-candidate hash), so a type byte is read through
 * {@link #fromWire}: Valkey-only types get codes above 255 whose low byte is the wire byte.
 */
public final class RdbType {
    public static final int STRING = 0;
    public static final int LIST = 1;
    public static final int SET = 2;
    public static final int ZSET = 3;
    public static final int HASH = 4;
    public static final int ZSET_2 = 5;
    public static final int MODULE_PRE_GA = 6;
    public static final int MODULE_2 = 7;
    public static final int HASH_ZIPMAP = 9;
    public static final int LIST_ZIPLIST = 10;
    public static final int SET_INTSET = 11;
    public static final int ZSET_ZIPLIST = 12;
    public static final int HASH_ZIPLIST = 13;
    public static final int LIST_QUICKLIST = 14;
    public static final int STREAM_LISTPACKS = 15;
    public static final int HASH_LISTPACK = 16;
    public static final int ZSET_LISTPACK = 17;
    public static final int LIST_QUICKLIST_2 = 18;
    public static final int STREAM_LISTPACKS_2 = 19;
    public static final int SET_LISTPACK = 20;
    public static final int STREAM_LISTPACKS_3 = 21;
    public static final int HASH_METADATA_PRE_GA = 22;
    public static final int HASH_LISTPACK_EX_PRE_GA = 23;
    public static final int HASH_METADATA = 24;
    public static final int HASH_LISTPACK_EX = 25;
    /** Redis RDB 13: STREAM_LISTPACKS_3 plus idempotent-producer (IDMP) state. */
    public static final int STREAM_LISTPACKS_4 = 26;
    /** Redis RDB 14: STREAM_LISTPACKS_4 plus each group's NACKed entries. */
    public static final int STREAM_LISTPACKS_5 = 27;
    /** Redis RDB 14: a sparse array of strings, integers and doubles by 64-bit index. */
    public static final int ARRAY = 28;
    /** Valkey 9 (VALKEY080): a hashtable hash with per-field TTLs; wire byte 22. */
    public static final int VALKEY_HASH_2 = 0x100 | 22;

    /** The highest type byte of Redis numbering Ferry reads (GCRA, 29, is not built by default). */
    static final int LAST_REDIS_TYPE = ARRAY;

    private RdbType() {}

    /**
     * The type code of a type byte under Valkey's or Redis' numbering, or -1 when that numbering
     * has no such type. Valkey reads Redis' types up to 21 only.
     */
    public static int fromWire(int typeByte, boolean valkeyNumbering) {
        if (valkeyNumbering) {
            return typeByte == 22 ? VALKEY_HASH_2 : typeByte <= STREAM_LISTPACKS_3 && valueType(typeByte) != null ? typeByte : -1;
        }
        return typeByte <= LAST_REDIS_TYPE && valueType(typeByte) != null ? typeByte : -1;
    }

    /** The byte a type code is written as. */
    public static int wireByte(int rdbType) {
        return rdbType & 0xff;
    }

    /** Whether a type code only exists in Valkey's numbering. */
    public static boolean valkeyOnly(int rdbType) {
        return rdbType > 0xff;
    }

    /** The logical type name as Redis' TYPE command reports it, or null for an unknown type byte. */
    public static ValueType valueType(int rdbType) {
        switch (rdbType) {
            case STRING: return ValueType.STRING;
            case LIST: case LIST_ZIPLIST: case LIST_QUICKLIST: case LIST_QUICKLIST_2: return ValueType.LIST;
            case SET: case SET_INTSET: case SET_LISTPACK: return ValueType.SET;
            case ZSET: case ZSET_2: case ZSET_ZIPLIST: case ZSET_LISTPACK: return ValueType.ZSET;
            case HASH: case HASH_ZIPMAP: case HASH_ZIPLIST: case HASH_LISTPACK: case HASH_METADATA_PRE_GA:
            case HASH_LISTPACK_EX_PRE_GA: case HASH_METADATA: case HASH_LISTPACK_EX: case VALKEY_HASH_2: return ValueType.HASH;
            case STREAM_LISTPACKS: case STREAM_LISTPACKS_2: case STREAM_LISTPACKS_3: case STREAM_LISTPACKS_4: case STREAM_LISTPACKS_5:
                return ValueType.STREAM;
            case ARRAY: return ValueType.ARRAY;
            case MODULE_2: return ValueType.MODULE;
            default: return null;
        }
    }

    /**
     * The oldest RDB version whose loader understands this value type. A RESTORE payload is
     * stamped with this version rather than the source file's, so that a value an older server can
     * read (a plain string inside a Redis 7.4 dump, say) is accepted by it. Valkey-only types
     * answer Valkey's version, 80.
     */
    public static int minRdbVersion(int rdbType) {
        switch (rdbType) {
            case STRING: case LIST: case SET: case ZSET: case HASH: return 1;
            case HASH_ZIPMAP: case LIST_ZIPLIST: case SET_INTSET: case ZSET_ZIPLIST: return 4;
            case HASH_ZIPLIST: return 5;
            case LIST_QUICKLIST: return 7;
            case ZSET_2: case MODULE_2: return 8;
            case STREAM_LISTPACKS: return 9;
            case HASH_LISTPACK: case ZSET_LISTPACK: case LIST_QUICKLIST_2: case STREAM_LISTPACKS_2: return 10;
            case SET_LISTPACK: case STREAM_LISTPACKS_3: return 11;
            case STREAM_LISTPACKS_4: return 13;
            case STREAM_LISTPACKS_5: case ARRAY: return 14;
            case VALKEY_HASH_2: return RdbReader.VALKEY_VERSION;
            default: return 12;
        }
    }

    public static String name(int rdbType) {
        switch (rdbType) {
            case STRING: return "STRING";
            case LIST: return "LIST";
            case SET: return "SET";
            case ZSET: return "ZSET";
            case HASH: return "HASH";
            case ZSET_2: return "ZSET_2";
            case MODULE_PRE_GA: return "MODULE_PRE_GA";
            case MODULE_2: return "MODULE_2";
            case HASH_ZIPMAP: return "HASH_ZIPMAP";
            case LIST_ZIPLIST: return "LIST_ZIPLIST";
            case SET_INTSET: return "SET_INTSET";
            case ZSET_ZIPLIST: return "ZSET_ZIPLIST";
            case HASH_ZIPLIST: return "HASH_ZIPLIST";
            case LIST_QUICKLIST: return "LIST_QUICKLIST";
            case STREAM_LISTPACKS: return "STREAM_LISTPACKS";
            case HASH_LISTPACK: return "HASH_LISTPACK";
            case ZSET_LISTPACK: return "ZSET_LISTPACK";
            case LIST_QUICKLIST_2: return "LIST_QUICKLIST_2";
            case STREAM_LISTPACKS_2: return "STREAM_LISTPACKS_2";
            case SET_LISTPACK: return "SET_LISTPACK";
            case STREAM_LISTPACKS_3: return "STREAM_LISTPACKS_3";
            case HASH_METADATA_PRE_GA: return "HASH_METADATA_PRE_GA";
            case HASH_LISTPACK_EX_PRE_GA: return "HASH_LISTPACK_EX_PRE_GA";
            case HASH_METADATA: return "HASH_METADATA";
            case HASH_LISTPACK_EX: return "HASH_LISTPACK_EX";
            case STREAM_LISTPACKS_4: return "STREAM_LISTPACKS_4";
            case STREAM_LISTPACKS_5: return "STREAM_LISTPACKS_5";
            case ARRAY: return "ARRAY";
            case VALKEY_HASH_2: return "HASH_2";
            default: return "type " + rdbType;
        }
    }
}
