package io.ferry.source.pika.snapshot;

import java.nio.ByteBuffer;
import org.rocksdb.AbstractComparator;
import org.rocksdb.ComparatorOptions;

/**
 * One of Pika's custom key orders, under the exact name Pika gave it: RocksDB refuses to open a
 * column family whose comparator name differs from the one recorded in its files. Ferry only
 * reads, so the separator/successor hooks stay RocksDB's no-op defaults.
 */
abstract class PikaComparator extends AbstractComparator {
    PikaComparator(ComparatorOptions options) {
        super(options); // which reads name() already: subclasses answer it with a constant, never a field
    }

    @Override
    public final int compare(ByteBuffer x, ByteBuffer y) {
        return order(new KeyBytes(x), new KeyBytes(y));
    }

    /** The order of two keys of this column family. */
    abstract int order(KeyBytes a, KeyBytes b);
}
