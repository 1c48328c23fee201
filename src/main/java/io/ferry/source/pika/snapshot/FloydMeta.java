package io.ferry.source.pika.snapshot;

/**
 * floyd hash/set/zset/list meta values (PIKA.md §9). Hash/set/zset: {@code type ‖ count:i32 ‖
 * version:u64 ‖ reserve[16] ‖ ctime ‖ etime} (45 bytes). List: {@code type=3 ‖ count:u64 ‖
 * version:u64 ‖ left:u64 ‖ pad[8] ‖ right:u64 ‖ pad[8] ‖ reserve[16] ‖ ctime ‖ etime} (81 bytes;
 * the pads hold garbage in 4.0.1, discrepancy 27). left/right are 0 for non-lists.
 */
record FloydMeta(int type, long count, long version, long leftIndex, long rightIndex, long ctimeMs, long etimeMs) {
    static final byte TYPE_STRING = 0;
    static final byte TYPE_HASH = 1;
    static final byte TYPE_SET = 2;
    static final byte TYPE_LIST = 3;
    static final byte TYPE_ZSET = 4;
    static final byte TYPE_STREAM = 5;

    static FloydMeta decode(byte[] rowKey, byte[] value) throws PikaFormatException {
        int type = value.length == 0 ? -1 : value[0];
        if (type == TYPE_LIST) {
            if (value.length != 81) {
                throw PikaFormatException.row("default", rowKey, "list meta of " + value.length + " bytes, expected 81");
            }
            return new FloydMeta(type, Le.i64(value, 1), Le.i64(value, 9), Le.i64(value, 17), Le.i64(value, 33),
                    FloydTime.toMs(Le.i64(value, 65), false), FloydTime.toMs(Le.i64(value, 73), false));
        }
        if (type != TYPE_HASH && type != TYPE_SET && type != TYPE_ZSET) {
            throw PikaFormatException.row("default", rowKey, "meta type " + type + " is not a hash, set, list or zset");
        }
        if (value.length != 45) {
            throw PikaFormatException.row("default", rowKey, "meta of " + value.length + " bytes, expected 45");
        }
        return new FloydMeta(type, Le.i32(value, 1), Le.i64(value, 5), 0, 0,
                FloydTime.toMs(Le.i64(value, 29), false), FloydTime.toMs(Le.i64(value, 37), false));
    }

    boolean live(long nowMs) {
        return count != 0 && FloydTime.live(etimeMs, nowMs);
    }

    boolean inRange(long index) {
        return Long.compareUnsigned(leftIndex, index) < 0 && Long.compareUnsigned(index, rightIndex) < 0;
    }
}
