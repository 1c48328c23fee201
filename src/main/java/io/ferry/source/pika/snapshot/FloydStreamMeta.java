package io.ferry.source.pika.snapshot;

import io.ferry.rdb.StreamId;

/**
 * floyd stream meta value, 73 bytes: {@code type=5 ‖ groups_id:i32 ‖ entries_added:u64 ‖
 * first_id ‖ last_id ‖ max_deleted_id (each ms:u64 ‖ seq:u64, LE) ‖ length:i32 ‖ version:u64}.
 * PIKA.md §9 gives no layout (it points to pika v4.0.1 pika_stream_meta_value.h); this one was
 * checked field by field against the 4.0.1 fixture rows and its expected XRANGE/XLEN. The version
 * is a counter, not a time (4.0.1 README, discrepancy 29). Streams have no expiry.
 */
record FloydStreamMeta(int groupsId, long entriesAdded, StreamId firstId, StreamId lastId, StreamId maxDeletedId,
        int length, long version) {
    static final int SIZE = 73;

    static FloydStreamMeta decode(byte[] rowKey, byte[] value) throws PikaFormatException {
        if (value.length != SIZE || value[0] != FloydMeta.TYPE_STREAM) {
            throw PikaFormatException.row("default", rowKey, "stream meta of " + value.length + " bytes, expected " + SIZE);
        }
        return new FloydStreamMeta(Le.i32(value, 1), Le.i64(value, 5), id(value, 13), id(value, 29), id(value, 45),
                Le.i32(value, 61), Le.i64(value, 65));
    }

    private static StreamId id(byte[] v, int off) {
        return new StreamId(Le.i64(v, off), Le.i64(v, off + 8));
    }

    /** A deleted or trimmed-to-nothing stream keeps its meta with length 0. */
    boolean live() {
        return length > 0;
    }
}
