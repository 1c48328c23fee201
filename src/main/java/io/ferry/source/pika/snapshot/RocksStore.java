package io.ferry.source.pika.snapshot;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.rocksdb.AbstractComparator;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.ComparatorOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.Options;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;

/**
 * One RocksDB of a dump, opened read-only with every column family it lists (RocksDB refuses to
 * open a subset), each with its Pika comparator or the bytewise one. Owns every native handle it
 * creates, iterators included, and frees them in reverse order on close.
 */
final class RocksStore implements AutoCloseable {
    /** Pika's custom comparators, by the name RocksDB recorded for the column family. */
    enum Comparator {
        BLACKWIDOW_LISTS, BLACKWIDOW_ZSET_SCORE, FLOYD_LISTS, FLOYD_ZSET_SCORE;

        AbstractComparator create(ComparatorOptions o) {
            switch (this) {
                case BLACKWIDOW_LISTS: return new BlackwidowListsDataKeyComparator(o);
                case BLACKWIDOW_ZSET_SCORE: return new BlackwidowZSetsScoreKeyComparator(o);
                case FLOYD_LISTS: return new FloydListsDataKeyComparator(o);
                default: return new FloydZSetsScoreKeyComparator(o);
            }
        }
    }

    static {
        RocksDB.loadLibrary();
    }

    private final Path dir;
    private final List<AutoCloseable> owned = new ArrayList<>(); // closed last-first
    private final Map<String, ColumnFamilyHandle> families = new LinkedHashMap<>();
    private final Map<String, RocksIterator> cursors = new java.util.HashMap<>();
    private final RocksDB db;
    private final ReadOptions scan;

    private RocksStore(Path dir, Function<String, Comparator> comparatorOf) throws PikaFormatException {
        this.dir = dir;
        try {
            List<byte[]> names;
            try (Options listing = new Options()) {
                names = RocksDB.listColumnFamilies(listing, dir.toString());
            }
            if (names.isEmpty()) {
                throw new PikaFormatException(dir + ": not a RocksDB (no column families)");
            }
            ComparatorOptions comparatorOptions = own(new ComparatorOptions());
            List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
            for (byte[] name : names) {
                ColumnFamilyOptions cfo = own(new ColumnFamilyOptions());
                Comparator c = comparatorOf.apply(new String(name, StandardCharsets.ISO_8859_1));
                if (c != null) {
                    cfo.setComparator(own(c.create(comparatorOptions)));
                }
                descriptors.add(new ColumnFamilyDescriptor(name, cfo));
            }
            DBOptions dbOptions = own(new DBOptions());
            List<ColumnFamilyHandle> handles = new ArrayList<>();
            this.db = RocksDB.openReadOnly(dbOptions, dir.toString(), descriptors, handles);
            owned.add(db);
            for (int i = 0; i < handles.size(); i++) {
                owned.add(handles.get(i)); // handles close before the DB (reverse order)
                families.put(new String(names.get(i), StandardCharsets.ISO_8859_1), handles.get(i));
            }
            // One pass over everything: do not churn the block cache.
            this.scan = own(new ReadOptions().setFillCache(false));
        } catch (RocksDBException e) {
            close();
            throw new PikaFormatException(dir + ": cannot open read-only: " + e.getMessage(), e);
        } catch (PikaFormatException | RuntimeException e) {
            close();
            throw e;
        }
    }

    static RocksStore open(Path dir, Function<String, Comparator> comparatorOf) throws PikaFormatException {
        return new RocksStore(dir, comparatorOf);
    }

    private <T extends AutoCloseable> T own(T resource) {
        owned.add(resource);
        return resource;
    }

    List<String> columnFamilies() {
        return List.copyOf(families.keySet());
    }

    boolean has(String cf) {
        return families.containsKey(cf);
    }

    /** A fresh iterator over {@code cf}, in that family's comparator order; closed with the store (closing it earlier is fine). */
    RocksIterator iterator(String cf) throws PikaFormatException {
        ColumnFamilyHandle h = families.get(cf);
        if (h == null) {
            throw new PikaFormatException(dir + ": no column family " + cf + " (has " + families.keySet() + ")");
        }
        return own(db.newIterator(h, scan)); // after its handle in the list: closed before it
    }

    /** The one iterator the store keeps over {@code cf} for seeking key after key (the data rows of each meta), made on first use. */
    RocksIterator cursor(String cf) throws PikaFormatException {
        RocksIterator it = cursors.get(cf);
        if (it == null) {
            it = iterator(cf);
            cursors.put(cf, it);
        }
        return it;
    }

    /** Throws if the iterator stopped on an error rather than at the end. */
    void check(RocksIterator it, String cf) throws PikaFormatException {
        try {
            it.status();
        } catch (RocksDBException e) {
            throw new PikaFormatException(dir + " " + cf + ": read failed: " + e.getMessage(), e);
        }
    }

    Path dir() {
        return dir;
    }

    @Override
    public void close() {
        for (int i = owned.size() - 1; i >= 0; i--) {
            try {
                owned.get(i).close();
            } catch (Exception ignored) {
                // closing native handles does not fail in a way a reader can act on
            }
        }
        owned.clear();
        cursors.clear();
    }
}
