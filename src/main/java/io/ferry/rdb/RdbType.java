package io.ferry.rdb;

/** RDB value-type bytes and what they hold. Names follow the RDB_TYPE_* constants of rdb.h. */
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

    private RdbType() {}

    /** The logical type name as Redis' TYPE command reports it, or null for an unknown type byte. */
    public static ValueType valueType(int rdbType) {
        switch (rdbType) {
            case STRING: return ValueType.STRING;
            case LIST: case LIST_ZIPLIST: case LIST_QUICKLIST: case LIST_QUICKLIST_2: return ValueType.LIST;
            case SET: case SET_INTSET: case SET_LISTPACK: return ValueType.SET;
            case ZSET: case ZSET_2: case ZSET_ZIPLIST: case ZSET_LISTPACK: return ValueType.ZSET;
            case HASH: case HASH_ZIPMAP: case HASH_ZIPLIST: case HASH_LISTPACK: case HASH_METADATA_PRE_GA:
            case HASH_LISTPACK_EX_PRE_GA: case HASH_METADATA: case HASH_LISTPACK_EX: return ValueType.HASH;
            case STREAM_LISTPACKS: case STREAM_LISTPACKS_2: case STREAM_LISTPACKS_3: return ValueType.STREAM;
            case MODULE_2: return ValueType.MODULE;
            default: return null;
        }
    }

    /**
     * The oldest RDB version whose loader understands this value type. A RESTORE payload is
     * stamped with this version rather than the source file's, so that a value an older server can
     * read (a plain string inside a Redis 7.4 dump, say) is accepted by it.
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
            default: return "type " + rdbType;
        }
    }
}
