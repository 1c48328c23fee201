package io.ferry.source.pika.snapshot;

import io.ferry.rdb.KeyHeader;
import io.ferry.rdb.RdbHandler;
import io.ferry.rdb.StreamId;
import io.ferry.rdb.StreamValue;
import io.ferry.rdb.ValueSink;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.rocksdb.RocksIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one floyd instance (Pika 4.0, PIKA.md §9): every string and meta is in {@code default},
 * one type per name, so no merge is needed; data rows of the meta's version are streamed from
 * the type's data CF.
 */
final class FloydReader implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(FloydReader.class);

    private final RocksStore store;

    FloydReader(Path instanceDir) throws PikaFormatException {
        this.store = RocksStore.open(instanceDir, FloydReader::comparatorOf);
    }

    static RocksStore.Comparator comparatorOf(String cf) {
        switch (cf) {
            case "list_data_cf": return RocksStore.Comparator.FLOYD_LISTS;
            case "zset_score_cf": return RocksStore.Comparator.FLOYD_ZSET_SCORE;
            default: return null;
        }
    }

    void read(int db, RdbHandler handler, long nowMs, ReadStats stats) throws PikaFormatException {
        RocksIterator it = store.iterator("default");
        for (it.seekToFirst(); it.isValid(); it.next()) {
            byte[] rowKey = it.key();
            FloydKey k = FloydKey.decodeMeta(rowKey);
            if (k == null) {
                stats.malformedSkipped++;
                log.warn("Pika snapshot {}: skipped a meta row whose key is not reserve ‖ escaped name ‖ reserve "
                        + "(4.0 corrupts names containing NUL bytes): {}", store.dir(), Le.hex(rowKey));
                continue;
            }
            byte[] name = k.userKey();
            if (ReadStats.internal(name)) {
                stats.internalSkipped++;
                continue;
            }
            byte[] value = it.value();
            int type = value.length == 0 ? -1 : value[0];
            switch (type) {
                case FloydMeta.TYPE_STRING -> {
                    FloydStringValue s = FloydStringValue.decode(rowKey, value);
                    if (!s.live(nowMs)) {
                        stats.expiredOrDeleted++;
                        continue;
                    }
                    KeyHeader h = header(db, name, PikaType.STRING, FloydTime.expireAtMs(s.etimeMs()));
                    ValueSink sink = handler.beginKey(h);
                    if (sink != null) {
                        sink.string(s.userValue());
                    }
                    end(handler, h, PikaType.STRING, stats);
                }
                case FloydMeta.TYPE_STREAM -> {
                    FloydStreamMeta m = FloydStreamMeta.decode(rowKey, value);
                    if (!m.live()) {
                        stats.expiredOrDeleted++;
                        continue;
                    }
                    KeyHeader h = header(db, name, PikaType.STREAM, KeyHeader.NO_EXPIRE);
                    ValueSink sink = handler.beginKey(h);
                    if (sink != null) {
                        emitStream(name, m, sink);
                    }
                    end(handler, h, PikaType.STREAM, stats);
                }
                default -> {
                    FloydMeta m = FloydMeta.decode(rowKey, value);
                    if (!m.live(nowMs)) {
                        stats.expiredOrDeleted++;
                        continue;
                    }
                    PikaType t = typeOf(m.type());
                    KeyHeader h = header(db, name, t, FloydTime.expireAtMs(m.etimeMs()));
                    ValueSink sink = handler.beginKey(h);
                    if (sink != null) {
                        sink.sizeHint(m.count());
                        if (t == PikaType.LIST) {
                            emitList(name, m, sink);
                        } else {
                            emitCollection(t, name, m, sink);
                        }
                    }
                    end(handler, h, t, stats);
                }
            }
        }
        store.check(it, "default");
    }

    private static PikaType typeOf(int floydType) {
        switch (floydType) {
            case FloydMeta.TYPE_HASH: return PikaType.HASH;
            case FloydMeta.TYPE_SET: return PikaType.SET;
            case FloydMeta.TYPE_LIST: return PikaType.LIST;
            default: return PikaType.ZSET;
        }
    }

    private static KeyHeader header(int db, byte[] name, PikaType t, long expireAtMs) {
        return new KeyHeader(db, name, PikaSnapshot.rdbType(t), expireAtMs, -1, -1, 0);
    }

    private static void end(RdbHandler handler, KeyHeader h, PikaType t, ReadStats stats) {
        handler.endKey(h, null);
        stats.emitted(t);
    }

    private void emitCollection(PikaType t, byte[] name, FloydMeta m, ValueSink sink) throws PikaFormatException {
        String cf = t == PikaType.HASH ? "hash_data_cf" : t == PikaType.SET ? "set_data_cf" : "zset_data_cf";
        RocksIterator it = store.cursor(cf);
        byte[] prefix = FloydDataKey.prefix(name, m.version());
        long n = 0;
        for (it.seek(prefix); it.isValid(); it.next()) {
            byte[] k = it.key();
            if (!Le.startsWith(k, prefix)) {
                break;
            }
            if (k.length < prefix.length + FloydKey.RESERVE_SUFFIX) {
                throw PikaFormatException.row(cf, k, "no reserve after the field");
            }
            byte[] element = Arrays.copyOfRange(k, prefix.length, k.length - FloydKey.RESERVE_SUFFIX);
            byte[] v = it.value();
            switch (t) {
                case HASH -> sink.hashField(element, FloydDataKey.valueBody(cf, k, v), -1);
                case SET -> sink.setMember(element);
                default -> {
                    if (v.length < 8) {
                        throw PikaFormatException.row(cf, k, "no score in the value");
                    }
                    sink.zsetEntry(element, Double.longBitsToDouble(Le.i64(v, 0)));
                }
            }
            n++;
        }
        store.check(it, cf);
        countCheck(cf, name, m.count(), n);
    }

    private void emitList(byte[] name, FloydMeta m, ValueSink sink) throws PikaFormatException {
        RocksIterator it = store.cursor("list_data_cf");
        long n = 0;
        for (it.seek(FloydDataKey.listKey(name, m.version(), m.leftIndex() + 1)); it.isValid(); it.next()) {
            byte[] k = it.key();
            FloydDataKey dk = FloydDataKey.decode("list_data_cf", k);
            if (dk.version() != m.version() || !Arrays.equals(dk.userKey(), name) || dk.payload().length != 8
                    || !m.inRange(Le.i64(dk.payload(), 0))) {
                break;
            }
            sink.listElement(FloydDataKey.valueBody("list_data_cf", k, it.value()));
            n++;
        }
        store.check(it, "list_data_cf");
        countCheck("list_data_cf", name, m.count(), n);
    }

    /** Entries in id order (ms, seq big-endian in the key), values {@code len:u32 LE ‖ bytes} repeated. */
    private void emitStream(byte[] name, FloydStreamMeta m, ValueSink sink) throws PikaFormatException {
        sink.sizeHint(m.length());
        RocksIterator it = store.cursor("stream_data_cf");
        byte[] prefix = FloydDataKey.prefix(name, m.version());
        long n = 0;
        for (it.seek(prefix); it.isValid(); it.next()) {
            byte[] k = it.key();
            if (!Le.startsWith(k, prefix)) {
                break;
            }
            if (k.length != prefix.length + 16 + FloydKey.RESERVE_SUFFIX) {
                throw PikaFormatException.row("stream_data_cf", k, "not ms ‖ seq ‖ reserve after the version");
            }
            StreamId id = new StreamId(Le.be64(k, prefix.length), Le.be64(k, prefix.length + 8));
            sink.streamEntry(id, fields(k, it.value()));
            n++;
        }
        store.check(it, "stream_data_cf");
        countCheck("stream_data_cf", name, m.length(), n);
        sink.stream(new StreamValue(m.length(), m.lastId(), m.firstId(), m.maxDeletedId(), m.entriesAdded(), List.of(), null));
    }

    static List<byte[]> fields(byte[] rowKey, byte[] v) throws PikaFormatException {
        List<byte[]> out = new ArrayList<>();
        int i = 0;
        while (i < v.length) {
            if (i + 4 > v.length) {
                throw PikaFormatException.row("stream_data_cf", rowKey, "truncated field length");
            }
            int len = Le.i32(v, i);
            if (len < 0 || i + 4 + len > v.length) {
                throw PikaFormatException.row("stream_data_cf", rowKey, "field of " + len + " bytes beyond the value");
            }
            out.add(Arrays.copyOfRange(v, i + 4, i + 4 + len));
            i += 4 + len;
        }
        if (out.size() % 2 != 0) {
            throw PikaFormatException.row("stream_data_cf", rowKey, "odd number of fields and values");
        }
        return out;
    }

    private static void countCheck(String cf, byte[] key, long count, long seen) {
        if (count != seen) {
            log.warn("Pika snapshot {}: key {} has count {} in its meta but {} data rows", cf,
                    new String(key, StandardCharsets.ISO_8859_1), count, seen);
        }
    }

    @Override
    public void close() {
        store.close();
    }
}
