package io.ferry.source.pika.snapshot;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.stream.Stream;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.ComparatorOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.FlushOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * Writes a Pika 3.x dump in the blackwidow layout (PIKA.md §8): one RocksDB per type with the column
 * families and comparators a real master has, and an {@code info} file. For benchmarks and tests that
 * need dumps far bigger than the recorded ones. Keys are written once, never deleted: every meta row
 * is live, version {@link #VERSION}, no expiry.
 */
public final class BlackwidowDumpWriter implements AutoCloseable {
    /** A creation time as blackwidow uses for versions (§8.3 rule 4); any value works for live keys. */
    public static final int VERSION = 1_700_000_000;
    private static final int BATCH_ROWS = 20_000;

    static {
        RocksDB.loadLibrary();
    }

    private final Path dir;
    private final EnumMap<PikaType, Db> dbs = new EnumMap<>(PikaType.class);
    private final WriteOptions noWal = new WriteOptions().setDisableWAL(true); // flushed to SSTs on close

    public BlackwidowDumpWriter(Path dir) throws IOException {
        this.dir = dir;
        try {
            for (PikaType t : List.of(PikaType.STRING, PikaType.HASH, PikaType.LIST, PikaType.ZSET, PikaType.SET)) {
                dbs.put(t, new Db(t));
            }
        } catch (RocksDBException e) {
            throw new IOException(e);
        }
    }

    public void string(byte[] key, byte[] value) throws IOException {
        byte[] v = new byte[value.length + 4]; // ts 0: no expiry
        System.arraycopy(value, 0, v, 0, value.length);
        dbs.get(PikaType.STRING).put(0, key, v);
    }

    public void hash(byte[] key, List<byte[][]> fieldValues) throws IOException {
        Db d = dbs.get(PikaType.HASH);
        d.put(0, key, meta(fieldValues.size()));
        for (byte[][] fv : fieldValues) {
            d.put(1, concat(BwDataKey.prefix(key, VERSION), fv[0]), fv[1]);
        }
    }

    public void set(byte[] key, List<byte[]> members) throws IOException {
        Db d = dbs.get(PikaType.SET);
        d.put(0, key, meta(members.size()));
        for (byte[] m : members) {
            d.put(1, concat(BwDataKey.prefix(key, VERSION), m), new byte[0]);
        }
    }

    public void zset(byte[] key, List<byte[]> members, double[] scores) throws IOException {
        Db d = dbs.get(PikaType.ZSET);
        d.put(0, key, meta(members.size()));
        byte[] prefix = BwDataKey.prefix(key, VERSION);
        for (int i = 0; i < members.size(); i++) {
            byte[] score = new byte[8];
            Le.putI64(score, 0, Double.doubleToRawLongBits(scores[i]));
            d.put(1, concat(prefix, members.get(i)), score);
            d.put(2, concat(concat(prefix, score), members.get(i)), new byte[0]);
        }
    }

    /** RPUSHed elements: a new list starts at left 2^63−1, right 2^63 (§8.3 rule 5). */
    public void list(byte[] key, List<byte[]> elements) throws IOException {
        Db d = dbs.get(PikaType.LIST);
        long left = Long.MAX_VALUE;
        long first = Long.MIN_VALUE; // 2^63 as an unsigned u64
        byte[] m = new byte[32];
        Le.putI64(m, 0, elements.size());
        Le.putI32(m, 8, VERSION);
        Le.putI64(m, 16, left);
        Le.putI64(m, 24, first + elements.size());
        d.put(0, key, m);
        for (int i = 0; i < elements.size(); i++) {
            d.put(1, BwDataKey.listKey(key, VERSION, first + i), elements.get(i));
        }
    }

    /** The {@code info} file: BGSAVE duration, master ip and port, then the binlog position the stream continues from. */
    public void info(long filenum, long offset) throws IOException {
        Files.writeString(dir.resolve("info"), "0s\n127.0.0.1\n9221\n" + filenum + "\n" + offset + "\n", StandardCharsets.ISO_8859_1);
    }

    private static byte[] meta(int count) {
        byte[] m = new byte[12];
        Le.putI32(m, 0, count);
        Le.putI32(m, 4, VERSION);
        return m;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** Flushes every memtable to SSTs and drops what a checkpoint would not hold (LOCK, LOG files). */
    @Override
    public void close() throws IOException {
        try {
            for (Db d : dbs.values()) {
                d.close();
            }
        } catch (RocksDBException e) {
            throw new IOException(e);
        } finally {
            noWal.close();
        }
        for (PikaType t : dbs.keySet()) {
            try (Stream<Path> files = Files.list(dir.resolve(BlackwidowReader.DIRECTORIES.get(t)))) {
                for (Path p : files.toList()) {
                    String n = p.getFileName().toString();
                    if (n.equals("LOCK") || n.startsWith("LOG")) {
                        Files.delete(p);
                    }
                }
            }
        }
    }

    /** One type's RocksDB: {@code default} plus its data families (§8.1), rows batched. */
    private final class Db {
        final RocksDB db;
        final List<ColumnFamilyHandle> handles = new ArrayList<>();
        final List<AutoCloseable> owned = new ArrayList<>();
        WriteBatch batch = new WriteBatch();

        Db(PikaType type) throws RocksDBException, IOException {
            Path d = dir.resolve(BlackwidowReader.DIRECTORIES.get(type));
            Files.createDirectories(d);
            List<String> cfs = switch (type) {
                case STRING -> List.of("default");
                case SET -> List.of("default", "member_cf");
                case ZSET -> List.of("default", "data_cf", "score_cf");
                default -> List.of("default", "data_cf");
            };
            ComparatorOptions co = own(new ComparatorOptions());
            List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
            for (String cf : cfs) {
                ColumnFamilyOptions o = own(new ColumnFamilyOptions());
                RocksStore.Comparator c = BlackwidowReader.comparatorOf(type, cf);
                if (c != null) {
                    o.setComparator(own(c.create(co)));
                }
                descriptors.add(new ColumnFamilyDescriptor(cf.getBytes(StandardCharsets.ISO_8859_1), o));
            }
            DBOptions dbo = own(new DBOptions().setCreateIfMissing(true).setCreateMissingColumnFamilies(true));
            db = RocksDB.open(dbo, d.toString(), descriptors, handles);
        }

        private <T extends AutoCloseable> T own(T r) {
            owned.add(r);
            return r;
        }

        void put(int cf, byte[] k, byte[] v) throws IOException {
            try {
                batch.put(handles.get(cf), k, v);
                if (batch.count() >= BATCH_ROWS) {
                    db.write(noWal, batch);
                    batch.close();
                    batch = new WriteBatch();
                }
            } catch (RocksDBException e) {
                throw new IOException(e);
            }
        }

        void close() throws RocksDBException {
            if (batch.count() > 0) {
                db.write(noWal, batch);
            }
            batch.close();
            try (FlushOptions f = new FlushOptions().setWaitForFlush(true)) {
                db.flush(f, handles);
            }
            for (ColumnFamilyHandle h : handles) {
                h.close();
            }
            db.close();
            for (int i = owned.size() - 1; i >= 0; i--) {
                try {
                    owned.get(i).close();
                } catch (Exception ignored) {
                    // native option handles do not fail to close in a way the writer can act on
                }
            }
        }
    }
}
