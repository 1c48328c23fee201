package io.ferry.source.pika.snapshot;

import io.ferry.rdb.KeyHeader;
import io.ferry.rdb.RdbHandler;
import io.ferry.rdb.ValueSink;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import org.rocksdb.RocksIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a blackwidow dump (Pika 3.x: one RocksDB per type, PIKA.md §8): merges the five meta CFs
 * by name, applies the multi-type policy (§10), then streams each live key's data rows of the
 * current version straight from an iterator.
 */
final class BlackwidowReader implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(BlackwidowReader.class);

    static final Map<PikaType, String> DIRECTORIES = Map.of(PikaType.STRING, "strings", PikaType.HASH, "hashes",
            PikaType.LIST, "lists", PikaType.ZSET, "zsets", PikaType.SET, "sets");

    private final EnumMap<PikaType, RocksStore> stores = new EnumMap<>(PikaType.class);

    BlackwidowReader(Path dbDir) throws PikaFormatException {
        try {
            for (Map.Entry<PikaType, String> e : DIRECTORIES.entrySet()) {
                Path dir = dbDir.resolve(e.getValue());
                if (PikaSnapshot.isRocksDb(dir)) {
                    stores.put(e.getKey(), RocksStore.open(dir, cf -> comparatorOf(e.getKey(), cf)));
                }
            }
        } catch (PikaFormatException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /** §8.1: only lists/data_cf and zsets/score_cf have custom comparators; every other CF is bytewise. */
    static RocksStore.Comparator comparatorOf(PikaType type, String cf) {
        if (type == PikaType.LIST && cf.equals("data_cf")) {
            return RocksStore.Comparator.BLACKWIDOW_LISTS;
        }
        if (type == PikaType.ZSET && cf.equals("score_cf")) {
            return RocksStore.Comparator.BLACKWIDOW_ZSET_SCORE;
        }
        return null;
    }

    void read(int db, RdbHandler handler, TypeConflictPolicy policy, long nowMs, ReadStats stats,
            java.util.function.BiConsumer<byte[], java.util.Set<PikaType>> multiType) throws PikaFormatException {
        long nowSec = Math.floorDiv(nowMs, 1000);
        EnumMap<PikaType, RocksIterator> metaCursors = new EnumMap<>(PikaType.class);
        for (Map.Entry<PikaType, RocksStore> e : stores.entrySet()) {
            RocksIterator it = e.getValue().iterator("default");
            it.seekToFirst();
            metaCursors.put(e.getKey(), it);
        }
        MetaMerge merge = new MetaMerge(metaCursors);
        for (MetaMerge.Name n = merge.next(); n != null; n = merge.next()) {
            if (ReadStats.internal(n.name())) {
                stats.internalSkipped += n.metaByType().size();
                continue;
            }
            EnumMap<PikaType, Object> live = new EnumMap<>(PikaType.class);
            for (Map.Entry<PikaType, byte[]> e : n.metaByType().entrySet()) {
                Object meta = decodeMeta(e.getKey(), n.name(), e.getValue());
                if (isLive(meta, nowSec)) {
                    live.put(e.getKey(), meta);
                } else {
                    stats.expiredOrDeleted++;
                }
            }
            if (live.size() > 1) {
                multiType.accept(n.name(), java.util.EnumSet.copyOf(live.keySet()));
                stats.conflict(n.name(), policy == TypeConflictPolicy.SKIP ? live.size() : policy == TypeConflictPolicy.FIRST ? live.size() - 1 : 0);
                if (policy == TypeConflictPolicy.SKIP) {
                    continue;
                }
            }
            boolean first = true;
            for (Map.Entry<PikaType, Object> e : live.entrySet()) {
                if (first) {
                    emit(db, handler, e.getKey(), n.name(), e.getValue(), stats);
                    first = false;
                } else if (policy == TypeConflictPolicy.SUFFIX) {
                    emit(db, handler, e.getKey(), suffixed(n.name(), e.getKey()), e.getValue(), stats);
                } else {
                    break; // FIRST: the type TYPE reports (the first in PikaType order) was kept
                }
            }
        }
        for (Map.Entry<PikaType, RocksIterator> e : metaCursors.entrySet()) {
            stores.get(e.getKey()).check(e.getValue(), "default");
        }
    }

    static byte[] suffixed(byte[] name, PikaType type) {
        byte[] suffix = (":" + type.typeName()).getBytes(StandardCharsets.ISO_8859_1);
        byte[] out = Arrays.copyOf(name, name.length + suffix.length);
        System.arraycopy(suffix, 0, out, name.length, suffix.length);
        return out;
    }

    private static Object decodeMeta(PikaType type, byte[] name, byte[] value) throws PikaFormatException {
        switch (type) {
            case STRING: return BwStringRow.decode(name, value);
            case LIST: return BwListMetaRow.decode(name, value);
            default: return BwMetaRow.decode(DIRECTORIES.get(type) + "/default", name, value);
        }
    }

    private static boolean isLive(Object meta, long nowSec) {
        if (meta instanceof BwStringRow s) {
            return s.live(nowSec);
        }
        if (meta instanceof BwListMetaRow l) {
            return l.live(nowSec);
        }
        return ((BwMetaRow) meta).live(nowSec);
    }

    private void emit(int db, RdbHandler handler, PikaType type, byte[] outName, Object meta, ReadStats stats)
            throws PikaFormatException {
        long expireAtMs = meta instanceof BwStringRow s ? s.expireAtMs()
                : meta instanceof BwListMetaRow l ? l.expireAtMs() : ((BwMetaRow) meta).expireAtMs();
        KeyHeader header = new KeyHeader(db, outName, PikaSnapshot.rdbType(type), expireAtMs, -1, -1, 0);
        ValueSink sink = handler.beginKey(header);
        if (sink != null) {
            switch (type) {
                case STRING -> sink.string(((BwStringRow) meta).userValue());
                case LIST -> emitList((BwListMetaRow) meta, sink);
                default -> emitCollection(type, (BwMetaRow) meta, sink);
            }
        }
        handler.endKey(header, null);
        stats.emitted(type);
    }

    /** Hash fields, set members, zset members: the data rows prefixed by (key, version). */
    private void emitCollection(PikaType type, BwMetaRow meta, ValueSink sink) throws PikaFormatException {
        sink.sizeHint(meta.count());
        String cf = type == PikaType.SET ? "member_cf" : "data_cf";
        String where = DIRECTORIES.get(type) + "/" + cf;
        RocksIterator it = stores.get(type).cursor(cf);
        byte[] prefix = BwDataKey.prefix(meta.userKey(), meta.version());
        long n = 0;
        for (it.seek(prefix); it.isValid(); it.next()) {
            byte[] k = it.key();
            if (!Le.startsWith(k, prefix)) {
                break;
            }
            byte[] element = Arrays.copyOfRange(k, prefix.length, k.length);
            switch (type) {
                case HASH -> sink.hashField(element, it.value(), -1);
                case SET -> sink.setMember(element);
                default -> sink.zsetEntry(element, BwDataKey.score(where, k, it.value()));
            }
            n++;
        }
        stores.get(type).check(it, cf);
        countCheck(where, meta.userKey(), meta.count(), n);
    }

    /** Elements of the current version with left < index < right, ascending index = head to tail. */
    private void emitList(BwListMetaRow meta, ValueSink sink) throws PikaFormatException {
        sink.sizeHint(meta.count());
        RocksIterator it = stores.get(PikaType.LIST).cursor("data_cf");
        long n = 0;
        for (it.seek(BwDataKey.listKey(meta.userKey(), meta.version(), meta.leftIndex() + 1)); it.isValid(); it.next()) {
            byte[] k = it.key();
            BwDataKey dk = BwDataKey.decode("lists/data_cf", k);
            if (dk.version() != meta.version() || !Arrays.equals(dk.userKey(), meta.userKey()) || !meta.inRange(dk.listIndex(k))) {
                break;
            }
            sink.listElement(it.value());
            n++;
        }
        stores.get(PikaType.LIST).check(it, "data_cf");
        countCheck("lists/data_cf", meta.userKey(), meta.count(), n);
    }

    /** §8.3 rule 7: count equals the live data rows; a difference means a damaged or racing dump. */
    private static void countCheck(String where, byte[] key, long count, long seen) {
        if (count != seen) {
            log.warn("Pika snapshot {}: key {} has count {} in its meta but {} data rows", where,
                    new String(key, StandardCharsets.ISO_8859_1), count, seen);
        }
    }

    @Override
    public void close() {
        for (RocksStore s : stores.values()) {
            s.close();
        }
        stores.clear();
    }
}
