package io.ferry.source.pika.snapshot;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import org.rocksdb.RocksIterator;

/**
 * A k-way merge of the blackwidow type DBs' meta column families (each ordered bytewise by user
 * key), so each name arrives once with the meta value of every type DB that has it: same-name
 * detection in one pass without holding the names in memory.
 */
final class MetaMerge {
    private final Map<PikaType, RocksIterator> cursors;

    /** Iterators already positioned (seekToFirst) by the caller, who also closes them. */
    MetaMerge(Map<PikaType, RocksIterator> cursors) {
        this.cursors = cursors;
    }

    /** One name and its meta value per type, types in {@link PikaType} (TYPE) order. */
    record Name(byte[] name, EnumMap<PikaType, byte[]> metaByType) {}

    /** The next name, or null when every cursor is exhausted. */
    Name next() {
        byte[] min = null;
        for (RocksIterator it : cursors.values()) {
            if (it.isValid()) {
                byte[] k = it.key();
                if (min == null || Arrays.compareUnsigned(k, min) < 0) {
                    min = k;
                }
            }
        }
        if (min == null) {
            return null;
        }
        EnumMap<PikaType, byte[]> metas = new EnumMap<>(PikaType.class);
        for (Map.Entry<PikaType, RocksIterator> e : cursors.entrySet()) {
            RocksIterator it = e.getValue();
            if (it.isValid() && Arrays.equals(it.key(), min)) {
                metas.put(e.getKey(), it.value());
                it.next();
            }
        }
        return new Name(min, metas);
    }
}
