package io.ferry.rdb;

import java.nio.charset.StandardCharsets;

/**
 * Decodes Redis' ARRAY (RDB 14): the element count, an optional insert index, then each element
 * as its index and a tagged value (string, 8-byte integer, 8-byte double, or small string).
 */
final class ArrayDecoder {
    private static final int TAG_SDS = 0;
    private static final int TAG_INT = 1;
    private static final int TAG_FLOAT = 2;
    private static final int TAG_SMALL_STRING = 3;

    private ArrayDecoder() {}

    static void decode(RdbReader r, ValueSink sink) {
        long count = r.len("an array element count");
        long hasInsert = r.len("an array insert-index flag");
        if (hasInsert > 1) {
            throw new IllegalArgumentException("array insert-index flag " + hasInsert + " (expected 0 or 1)");
        }
        long insertIndex = hasInsert == 1 ? r.u64("an array insert index") : -1;
        if (sink != null) {
            sink.sizeHint(count);
            sink.arrayStart(count, insertIndex);
        }
        for (long i = 0; i < count; i++) {
            long index = r.u64("an array index");
            long tag = r.len("an array element tag");
            byte[] value;
            switch ((int) tag) {
                case TAG_SDS: case TAG_SMALL_STRING:
                    if (sink == null) {
                        r.skipString("an array element");
                        continue;
                    }
                    value = r.string("an array element");
                    break;
                case TAG_INT:
                    value = Long.toString(r.input().u64le("an array integer")).getBytes(StandardCharsets.US_ASCII);
                    break;
                case TAG_FLOAT:
                    value = Ints.formatScore(Double.longBitsToDouble(r.input().u64le("an array double"))).getBytes(StandardCharsets.US_ASCII);
                    break;
                default:
                    throw new IllegalArgumentException("unknown array element tag " + tag);
            }
            if (sink != null) {
                sink.arrayElement(index, value);
            }
        }
    }
}
